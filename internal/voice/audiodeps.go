package voice

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// prepare cleans one reference for analysis and reports its net speech
// seconds.
func prepare(p *audio.PCM) (*audio.PCM, float64, error) {
	m := p.Mono()
	if m.Frames() == 0 {
		return nil, 0, audio.ErrEmpty
	}
	// Net speech: 20 ms frames within 30 dB of the loud frames.
	win := max(1, m.Rate/50)
	cum := prefixEnergy(m.Samples)
	var es []float64
	for s := 0; s+win <= len(m.Samples); s += win {
		es = append(es, cum[s+win]-cum[s])
	}
	floor := quantile(append([]float64(nil), es...), 0.95) * 1e-3
	n := 0
	for _, e := range es {
		if e > floor {
			n++
		}
	}
	return m, float64(n) * float64(win) / float64(m.Rate), nil
}

// normalizeLoudness scales p to about lufs with peaks at most peakDB.
func normalizeLoudness(p *audio.PCM, lufs, peakDB float64) *audio.PCM {
	var s, pk float64
	for _, v := range p.Samples {
		s += float64(v) * float64(v)
		pk = math.Max(pk, math.Abs(float64(v)))
	}
	if s == 0 {
		return p
	}
	rmsDB := 10 * math.Log10(s/float64(len(p.Samples)))
	g := math.Pow(10, (lufs-rmsDB)/20)
	if lim := math.Pow(10, peakDB/20); pk*g > lim {
		g = lim / pk
	}
	for i := range p.Samples {
		p.Samples[i] *= float32(g)
	}
	return p
}
