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
// before the enrolment speed-ups (docs/performance.md). Those changes
// must not move a single byte. They depend on the installed pocketsphinx
// and flite as well; VOXCLONE_GOLDEN=print logs fresh values when a
// deliberate engine change moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"fe09b12538af553f57d0814db7c9b7a50c2259e024b0346eeb890c10cf9d6767", "e0efa9d19c797f53129925ad8974ce82fbb377d76ced2755e59850776e45e2ba"},
	"vctk_p226":        {"13ddfc6250baef1d42c380a46f65628bf48a9224ea945949c6595c19187777f8", "b8c90ae767a80e6d07233a4ba9f62038f13db3c7d135b0c33ca75486333399a2"},
	"ljspeech_LJ":      {"4d1c7a2f53d7ed1d40092b84a3313907dda2c237a136311937316a4b3d6599ae", "9b26e17abff69f02d484cc02a9a3443aa5526af6adff53bfd243d34f217024b5"},
	"cmuarctic_axb":    {"b53bd6a7b54addfa41dda89f4c7de7aea3a67186100ea05305c95befa1b552bf", "022eb62409159e71441a3eb2e3c58e59b040204cf816445e37af2252c89fb38a"},
	"librispeech_3080": {"c99d7e68e0b57604250ba4ae09cc47d6694ff8e8898bd6cfe6db99fd715d39c6", "b5c8e042c7dda054187c623536f4a164acc266a848f96999e45aa5529367c8ff"},
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
