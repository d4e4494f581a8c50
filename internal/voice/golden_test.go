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
// since the phone shift is scaled by shiftGain (voxclone-a/6, 2026-12-07;
// profiles unchanged). A speed-up that is not meant to change
// the engine must not move a single byte. They depend on the installed
// pocketsphinx and flite as well; VOXCLONE_GOLDEN=print logs fresh values
// when a deliberate engine change moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"5066f6b968c6331fb3c706f4c9003f95799f9a9ed353a6e85fb87babfe5cc779", "060f5aedcd99528c2c9ee27e019163f5a082af233b0e018bb3062b2b1b8f9211"},
	"vctk_p226":        {"dcbe5b4f7c482a41e8e2337db83b8bfb89204b0f25dedcec670cfcca2a527d1c", "9b16122a59a992d81ab74efa72af757b8f53dd36bf77e09c927500047787f6e3"},
	"ljspeech_LJ":      {"210d68ae4baf472e1e84a59d02ab303f7fbb199adaa3446c14cda0d23f70a613", "ca0244e6780a0e12043e9e89a6f9f13a194751b3891debed13c43bd4feddb8cf"},
	"cmuarctic_axb":    {"7a9a0edab5251ec4c1bb030ff7dfae8a19a86af7779730a0709d41ab41102367", "f2948ee4089d015c8902c2b240e26e93593930538c04a6213bae8e8799c0f1f5"},
	"librispeech_3080": {"eec6bd2ca5f73503009f279f60430080ca5736f837b4dd3d4c9a15e6fa68875a", "a20e5ec1c49e2af57d18df87fd2752de07f3fce86cdefcfa43ded02dae955e6f"},
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
