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
// 20 ms: pitchStride, 2026-12-07; cmuarctic_axb, 3 s, has none); every
// speaker with recognised audio since the phone loop runs without the phone
// trigram, at a fixed cost per phone (-pip 0.1, 2026-12-07); every profile
// since params hash 7, and ljspeech_LJ's sentence since the noise
// subtraction keeps −10 dB of each bin on references prep denoised
// (denoisedFloor, voxclone-a/9, 2026-12-07: prep denoises some of LJ's
// first 60 s). A speed-up
// that is not meant to change the engine must not move a single byte.
// They depend on the installed pocketsphinx and flite as well;
// VOXCLONE_GOLDEN=print logs fresh values when a deliberate engine change
// moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"5d7b3bef0f2b904584aa686694c4763b65ba7c74fc6a27fdbdd0eeba148093ab", "3a2d2209549c3c168094cc78a594bd58ee31a26791e0b8b8f15216b4b4f0b490"},
	"vctk_p226":        {"d5e54cef16715d324279a65157fc412324545e7172b37bdf86c1b366cf39875a", "1c98a2e51ac73dec6ab840f16e62ae6bb163040c0f3dfb874b625f715cb3e19e"},
	"ljspeech_LJ":      {"79537e6c84fa47e6af765aefb1083d304eba7f339c491580ac3af5303156a8f8", "202ccb24a85521f34b786755515b74196df37b022158177c00f01ccb64c63bf6"},
	"cmuarctic_axb":    {"0478951597c79d9650b0f374603a82570e204137838b9020c956c6f41fe2e77e", "f8735426d9e0c63ee77c277149d81ee29cd64507ef34bbb35e3c0687c77856cc"},
	"librispeech_3080": {"a59021f2bcce58dc879119d9ee7704934c3e90145d10dfd9a4c78c4bff065841", "153c6a9863a9767b8ecaac2ac048faa831f51a5e9f4786b6132aff219f8f541d"},
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
