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
// voxclone-a/5; profiles unchanged). A speed-up that is not meant to change
// the engine must not move a single byte. They depend on the installed
// pocketsphinx and flite as well; VOXCLONE_GOLDEN=print logs fresh values
// when a deliberate engine change moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"7dc566f046f3c0bfac837f2d541fbf45269503a78c60230eab78ec8cdaae7ad8", "3ff138c3954032583e9ae25fedf3678288714e0f6812c42c66fd29516845c8ce"},
	"vctk_p226":        {"43f08b93a40d65b93d4a47a17bc4a9d1f54bafac21c8fd6a47a069191a45738a", "08c07ff5c7be98574a363e58c770d06dd5e864d0e303e7d8d73cb2e6708b8f09"},
	"ljspeech_LJ":      {"2d716c8523843f898069b1949c36a26ca2f4147fe64c75743e32b9f993148ac7", "fd8ace78cf7a06fd9d424a6ffae613748f095cc8882094be46521a5ace97ffac"},
	"cmuarctic_axb":    {"6f5bc6a2ce848e0864df83fc07d8a12a232b57d9ea3e4eb135914b8d621dece2", "10f03a1c2cb35c518c15c0f1c8239e28e8992c622222d28e3d5ac27e9d5c3059"},
	"librispeech_3080": {"70c899fabfa1cd5db6402942eb7c801f488b7a823f72cb98bca55f1da606d1f2", "7ff6dcc48337d842ee3c807726dce7cb61bbad45672d0ef40c9e01be872c6c23"},
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
