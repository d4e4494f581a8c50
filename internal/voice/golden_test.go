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
// shiftGain (voxclone-a/7, 2026-12-07; profiles unchanged); every speaker
// with recognised audio since the phone loop mixes two Gaussians per
// codebook instead of four (-topn 2, 2026-12-07; cmuarctic_axb, aligned
// throughout, keeps its profile); every speaker with audio past the
// labelling budget since its envelopes, mel-cepstra, formants and
// aperiodicity are taken every 40 ms there (statStride 4, DIO still at
// 20 ms: pitchStride, 2026-12-07; cmuarctic_axb, 3 s, has none). A speed-up
// that is not meant to change the engine must not move a single byte.
// They depend on the installed pocketsphinx and flite as well;
// VOXCLONE_GOLDEN=print logs fresh values when a deliberate engine change
// moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"ba95d5bbfa77dbd6939e1759b01260aaf4fd98d97d19fc8566415c957889db71", "bbb99d8fea2f5751c3f4ea7633a12e875cf28bed9de5e26365e7d8045b1ce85c"},
	"vctk_p226":        {"fc0b3786fef2424f69d9ba5610e63b3b53446c597efadd766284b4cc8a78fbbc", "60b59be6fb0302c759aa3b8ca71bfa503487ea483e506485d0880859544ccd32"},
	"ljspeech_LJ":      {"9fa748a5575c8412a1f1f69fd4f90c1a5c7d320bcc15029fc78a2ffb6a901fcc", "099981f07bc98716e4df2e6d8c7b71994951c8081613b28495e45ee11de12388"},
	"cmuarctic_axb":    {"7a9a0edab5251ec4c1bb030ff7dfae8a19a86af7779730a0709d41ab41102367", "f8735426d9e0c63ee77c277149d81ee29cd64507ef34bbb35e3c0687c77856cc"},
	"librispeech_3080": {"e8ffb335d073c4b506963b05eee67026def5697f1bbf50baa45a79da0000dcf1", "9d10cf80a1a0ca6eeb009b6f18b76385bc3df328249bb1bdba5a5bf0a6fcbc1f"},
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
