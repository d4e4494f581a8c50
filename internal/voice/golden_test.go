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
	"librispeech_2033": {"b01f03cb70d06316fbbe96a6a21d3e2eb159628c314450bc7a5d7f94c2982278", "f12808d18cb431cb6cb8f206efe1e096fde4ba7fffcea2876222bd10f5314cc9"},
	"vctk_p226":        {"a9dbb9b1418f3c2ebf826d7efeaf32cf0790d34823184f1c5b93e64960248d60", "292395ef1080b287066d8f19b2d0ebd2cad5cdb2d26b724847cb1bfd348d005b"},
	"ljspeech_LJ":      {"332ba2e1eaa60e621ddaadb81c3a5cc9105d03441dff58daa5deab0a67c695d6", "5b6dd881fcf216a11b619746dca4a21f83d9ce116a4020f9b3a744960709e57b"},
	"cmuarctic_axb":    {"b53bd6a7b54addfa41dda89f4c7de7aea3a67186100ea05305c95befa1b552bf", "022eb62409159e71441a3eb2e3c58e59b040204cf816445e37af2252c89fb38a"},
	"librispeech_3080": {"710d1db72e77589b0b7bdbfd309cac4474ed818472d0f494476a16cea7d56a68", "30a28fb0887cd641ce890678a6d0e577e9d7a3bcfb153b87079d8d082869153e"},
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
