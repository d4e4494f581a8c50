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
// alignment (-ds 2, align/decoder.go, 2026-12-06 late); every sentence
// since the band above 8 kHz follows each frame's own 1–4 kHz level and
// phone (hbOffset) and, on flite's unvoiced frames, the level heard there
// (bandMatch), and the wide-band speakers' profiles since their band is
// learned on frames inside their class (HBND version 2; voxclone-a/6,
// 2026-12-07), and every sentence since the phone shift is scaled by
// shiftGain (voxclone-a/7, 2026-12-07; profiles unchanged). A speed-up
// that is not meant to change the engine must not move a single byte.
// They depend on the installed pocketsphinx and flite as well;
// VOXCLONE_GOLDEN=print logs fresh values when a deliberate engine change
// moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"5066f6b968c6331fb3c706f4c9003f95799f9a9ed353a6e85fb87babfe5cc779", "2a3d7686dedabe1285aa7594cba755880a5c18d12b4de3751e567fe6132e4350"},
	"vctk_p226":        {"da8f9bc0b500c194e49903411dc7643ea0d5c46de0fc06beb2d2466df3b54064", "8951114eee6a0c8237f7cbca4ebe5cb7b6721164cd6d9b400f8bbb89382be221"},
	"ljspeech_LJ":      {"3d100d7521904d45c540bebb9509f9052f983f3b0bfec4647f2cdf25bc99e552", "95c7580c86ee919694cadebc3bc056aac0597830e01a5c05de5cf253ce49698f"},
	"cmuarctic_axb":    {"7a9a0edab5251ec4c1bb030ff7dfae8a19a86af7779730a0709d41ab41102367", "f8735426d9e0c63ee77c277149d81ee29cd64507ef34bbb35e3c0687c77856cc"},
	"librispeech_3080": {"eec6bd2ca5f73503009f279f60430080ca5736f837b4dd3d4c9a15e6fa68875a", "066cc8cc15d3d015b503b11a38db93be6ea8ff34a69e4b56d3087b00307fc9ab"},
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
