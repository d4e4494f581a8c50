package voice

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice/mcep"
)

// TestProfileStableUnderNoise enrols a speaker from clean audio and from
// the same audio with white noise at 20 dB SNR: the pitch statistics and
// the base-voice fit should barely move, and the quality score must drop.
func TestProfileStableUnderNoise(t *testing.T) {
	if raceEnabled {
		t.Skip("numbers only; slow under the race detector")
	}
	ctx := context.Background()
	refs := loadRefs(t, "vctk_p225", 20)
	noisy := make([]Reference, len(refs))
	rng := rand.New(rand.NewPCG(1, 2))
	for i, r := range refs {
		noisy[i] = Reference{Audio: withNoise(r.Audio, 20, rng)}
	}
	e := New(Config{})
	var clean, dirty Profile
	for _, c := range []struct {
		refs []Reference
		p    *Profile
	}{{refs, &clean}, {noisy, &dirty}} {
		b, err := e.Clone(ctx, c.refs)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.p.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
	}
	st := 12 / math.Ln2 * math.Abs(float64(dirty.Prosody.LogF0Median-clean.Prosody.LogF0Median))
	t.Logf("SNR %.0f → %.0f dB; F0 moved %.2f st, warp %.3f → %.3f, quality %.0f → %.0f", clean.SNR, dirty.SNR, st, clean.Base.Warp, dirty.Base.Warp, clean.Quality, dirty.Quality)
	if st > 0.5 {
		t.Errorf("median F0 moved %.2f semitones", st)
	}
	if dirty.Base.Voice != clean.Base.Voice || math.Abs(float64(dirty.Base.Warp-clean.Base.Warp)) > 0.05 {
		t.Errorf("base fit moved: %s %.3f → %s %.3f", clean.Base.Voice, clean.Base.Warp, dirty.Base.Voice, dirty.Base.Warp)
	}
	// Noise subtraction keeps the voiced spectrum far closer than two
	// different speakers (≈ 8 dB apart): without it this noise moved the
	// mean 4.5 dB.
	if d := mcep.MCD(f64s(clean.Spectrum.VoicedMean), f64s(dirty.Spectrum.VoicedMean)); d > 2.5 {
		t.Errorf("voiced mean spectrum moved %.2f dB", d)
	} else {
		t.Logf("voiced mean spectrum moved %.2f dB", d)
	}
	if dirty.Quality >= clean.Quality {
		t.Errorf("quality %.0f with noise, %.0f without", dirty.Quality, clean.Quality)
	}
}

// withNoise adds white noise snr dB below the signal's mean power.
func withNoise(p *audio.PCM, snr float64, rng *rand.Rand) *audio.PCM {
	var pw float64
	for _, v := range p.Samples {
		pw += float64(v) * float64(v)
	}
	sd := math.Sqrt(pw / float64(len(p.Samples)) * math.Pow(10, -snr/10))
	out := &audio.PCM{Rate: p.Rate, Channels: p.Channels, Samples: make([]float32, len(p.Samples))}
	for i, v := range p.Samples {
		out.Samples[i] = v + float32(rng.NormFloat64()*sd)
	}
	return out
}
