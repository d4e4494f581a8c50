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
// first 60 s); every speaker since each reference frame's envelope is
// held at most 50 dB under its 1–3 kHz level (holdHoles, params hash 8,
// voxclone-a/10, 2026-12-07); every profile since params hash 9 (the
// formants of noisy references, voxclone-a/11, 2026-12-08; no golden
// speaker's sentence moved). A speed-up
// that is not meant to change the engine must not move a single byte.
// They depend on the installed pocketsphinx and flite as well;
// VOXCLONE_GOLDEN=print logs fresh values when a deliberate engine change
// moves them.
var cloneGolden = map[string][2]string{
	"librispeech_2033": {"28e8c0dd0140c881b29d9c4668cb5f23e06865bd96c52a38ddfb04902c67e84e", "aebf3ae338fc229c4911c9f4bb87fadf7f499148c6329d85b7c675c58164bc14"},
	"vctk_p226":        {"41a221546d527fa80a63ab27f6410d428c012da8c476b60fa8961ecba11ad047", "32f6b51b8e5692901dccf446466b52019ba289ecfc7b4583b9855009b4c746e4"},
	"ljspeech_LJ":      {"dbcde7d2841d6eff082b866006279edef8c5967ad389b6beba3edaf6b2d8895b", "5a772fd4dcdc25aa842c1d5427da3f7619bbea50ab5b5e9e78ab77d592bda392"},
	"cmuarctic_axb":    {"6fad4ed1e88e0afdc34b96f2477c646f14a9df74467e0826b7820d2c23643d3f", "fdd53aa6aba55e5c520abac2d4e5674fce0231843d85ca2a825c058cf3296347"},
	"librispeech_3080": {"990c0d61ae8ae729782ad3844aa3a2da797a2023615bde1d7ed363fe457b1832", "a212bf7ef261c9902fa4fd44cace9c94d45d4e136577dc34eb018eeed613876b"},
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
