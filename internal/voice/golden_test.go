package voice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"
)

// cloneGolden holds the SHA-256 of the profile cloned from the first 60 s
// of each speaker, and of the sentence then synthesised from it, as built
// after the strided analysis of unlabelled audio and D4C on every 8th
// voiced frame (docs/performance.md, 2026-12-05), and since the rate fit
// predicts the base voice's speaking time from flite's phone durations
// (2026-12-06; that moved the two transcribed speakers whose rate is not
// clamped, ljspeech_LJ and cmuarctic_axb); the sentences since the output
// became 24 kHz (highband.go) and flite's own unvoiced frames replaced the
// vocoder's noise (unvoiced.go), both 2026-12-06; since enrolment's DIO
// runs on a 4 kHz copy (pitchSpeed, 2026-12-06; every speaker and
// basestats.json moved); every profile since params hash 6, and the
// sentences of the speakers recorded at 22.05 kHz and above (vctk_p226,
// ljspeech_LJ) since the profile learns their band above 8 kHz
// (highband_learn.go, 2026-12-06); every sentence since flite's unvoiced
// frames are lifted back over the upsampler's roll-off (upsampleLift,
// voxclone-a/5; profiles unchanged); every speaker since pocketsphinx
// scores its Gaussians on every other frame for the phone loop and for
// alignment (-ds 2, align/decoder.go, 2026-12-06 late), and again since
// the phone loop mixes two Gaussians per codebook instead of four (-topn 2,
// 2026-12-07: new recognised labels, so every speaker with recognised
// audio moved; cmuarctic_axb, aligned throughout, did not). A speed-up that
// is not meant to change the engine must not move a single byte. They depend on the installed
// pocketsphinx and flite as well; VOXCLONE_GOLDEN=print logs fresh values
// when a deliberate engine change moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"f55ae514ff460f0a98469f72db2d2e539477943125872e853e3e0c104a00e636", "efe6ee36cb70d97d9f5313b772433a2f69f9b41446ae07c723f7e874279a411d"},
	"vctk_p226":        {"8a5a98ab821fb42bd80d1c937cd55a6e642fa2a335d3a852b9aba0677d074705", "0fc3deeafd5a917614732dee6064dd08f8c6d3db5c2aa9bc036caaabb34d2d3b"},
	"ljspeech_LJ":      {"d33a2e50f6a3a3702feeaed7869121445d298499e675a3178725d87b1e56f010", "7c1bd0c024c28a504e37abe1da5c0fcd2b0d88d8f0631ace70965e58531c102a"},
	"cmuarctic_axb":    {"7a9a0edab5251ec4c1bb030ff7dfae8a19a86af7779730a0709d41ab41102367", "37de3ee172615f9c85d9f4a8668084c59f91a8a3073af2db74b7864de7330baa"},
	"librispeech_3080": {"cb467044473d94fce541b3bf0c69ce2e510547fdc07a1b397f6b46880069587a", "2a0215253aa367ac6217f292196b2a2e380181e32b61dd1a3d63262440a38fa6"},
}

func TestCloneGolden(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("slow")
	}
	print := os.Getenv("VOXCLONE_GOLDEN") == "print"
	for _, spk := range goldenSpeakers {
		prof, err := New(Config{}).Clone(context.Background(), firstSeconds(loadRefs(t, spk, 60), 60))
		if err != nil {
			t.Fatal(spk, err)
		}
		pcm, err := New(Config{}).Synthesize(context.Background(), prof, benchSentence, Options{Seed: 1})
		if err != nil {
			t.Fatal(spk, err)
		}
		got := [2]string{sha(prof), sha(f32bytes(pcm.Samples))}
		if print {
			t.Logf("%q: {%q, %q},", spk, got[0], got[1])
			continue
		}
		if want := cloneGolden[spk]; got != want {
			t.Errorf("%s: profile/synthesis hashes %v, want %v", spk, got, want)
		}
	}
}

var goldenSpeakers = []string{"librispeech_2033", "vctk_p226", "ljspeech_LJ", "cmuarctic_axb", "librispeech_3080"}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
