package voice

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice/mcep"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// TestProfileUnderMP3 enrols two speakers from their first 30 s and from
// the same audio through MP3 at 32 kbit/s, as a phone's voice memo or a
// messaging app may deliver it. The codec's spectral holes pulled the
// voiced mean's 4–8 kHz down (against the clean profile's, each against
// its own 1–3 kHz), the phone means apart and the variance of c1–c8 up;
// holding each frame above its codec floor (holdHoles) keeps them closer,
// though not as close as the clean profile (docs/engine.md, "Lossy
// references").
func TestProfileUnderMP3(t *testing.T) {
	if raceEnabled {
		t.Skip("numbers only; slow under the race detector")
	}
	ctx := context.Background()
	e := New(Config{})
	for _, tc := range []struct {
		speaker           string
		upper, phones, gv float64 // bounds: |Δ 4–8 kHz| dB, phone-mean MCD dB, GV ratio
	}{
		{"vctk_p226", 6.5, 2.7, 1.4},         // voxclone-a/9: 9.7, 3.58, ×1.63; a/10: 4.5, 2.00, ×1.20
		{"librispeech_2033", 8.5, 6.0, 1.05}, // a/9: 10.0, 6.96, ×1.10; a/10: 7.1, 5.15, ×0.98
	} {
		refs := loadRefs(t, tc.speaker, 30)
		coded := make([]Reference, len(refs))
		for i, r := range refs {
			coded[i] = Reference{Audio: throughMP3(t, r.Audio, 32), Transcript: r.Transcript}
		}
		ps := cloneEach(ctx, t, e, refs, coded)
		upper := upperBandGap(ps[0].Spectrum.VoicedMean, ps[1].Spectrum.VoicedMean)
		phones := phoneMeansDistance(phoneMeans(ps[0].Pool), phoneMeans(ps[1].Pool))
		gv := gvSum(ps[1].Spectrum.GV) / gvSum(ps[0].Spectrum.GV)
		t.Logf("%s: voiced 4–8 kHz %+.1f dB, phone means %.2f dB apart, GV c1–c8 ×%.2f", tc.speaker, upper, phones, gv)
		if math.Abs(upper) > tc.upper || phones > tc.phones || gv > tc.gv {
			t.Errorf("%s: through MP3 the profile moved beyond %.1f dB, %.2f dB, ×%.2f", tc.speaker, tc.upper, tc.phones, tc.gv)
		}
	}
}

// throughMP3 encodes p as MP3 at kbps (LAME) and decodes it again.
func throughMP3(t *testing.T, p *audio.PCM, kbps int) *audio.PCM {
	t.Helper()
	var b bytes.Buffer
	if err := codec.Encode(context.Background(), &b, p.Mono(), audio.FormatMP3, codec.EncodeOptions{Bitrate: kbps}); err != nil {
		t.Fatal(err)
	}
	out, _, err := codec.Decode(context.Background(), b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// upperBandGap is the mean 4–8 kHz level of mel-cepstrum b's envelope
// minus a's, each against its own 1–3 kHz, in dB.
func upperBandGap(a, b []float32) float64 {
	rel := func(mc []float32) float64 {
		c := mcep.NewConverter(world.FFTSizeFor(analysisRate, 0)/2+1, len(mc)-1, mcepAlpha)
		env := c.ToEnvelope(nil, f64s(mc))
		db := make([]float64, len(env))
		for j, v := range env {
			db[j] = 10 * math.Log10(math.Max(v, 1e-30))
		}
		return bandMean(db, 4000, 8000) - bandMean(db, 1000, 3000)
	}
	return rel(b) - rel(a)
}

// gvSum sums the global variance of c1–c8, where the holes showed.
func gvSum(gv []float32) float64 {
	var s float64
	for _, v := range gv[1:9] {
		s += float64(v)
	}
	return s
}
