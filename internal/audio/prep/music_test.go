package prep

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// withMusic mixes a synthetic music bed under p: chords of harmonic tones
// (piano-like decay) changing every 400 ms, at db relative to the speech
// power. It stands in for the background music of a podcast or video.
func withMusic(p *audio.PCM, db float64) *audio.PCM {
	notes := []float64{220, 261.6, 329.6, 392, 293.7, 349.2, 440, 246.9}
	m := make([]float64, len(p.Samples))
	step := int(0.4 * float64(p.Rate))
	for start := 0; start < len(m); start += step {
		seg := m[start:min(len(m), start+step)]
		k := start / step
		for j := 0; j < 3; j++ {
			f := notes[(k+2*j)%len(notes)]
			for h := 1.0; h <= 6 && f*h < float64(p.Rate)/2; h++ {
				addDecayingTone(seg, f*h, 1/h, float64(p.Rate))
			}
		}
	}
	var ps, pm float64
	for i, v := range p.Samples {
		ps += float64(v) * float64(v)
		pm += m[i] * m[i]
	}
	g := math.Sqrt(ps / pm * math.Pow(10, db/10))
	out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, len(m))}
	for i, v := range p.Samples {
		out.Samples[i] = v + float32(g*m[i])
	}
	return out
}

// addDecayingTone adds amp·e^(−2t)·sin(2πft) to x, by rotating a phasor
// rather than calling math.Sin per sample.
func addDecayingTone(x []float64, f, amp, rate float64) {
	w := 2 * math.Pi * f / rate
	cw, sw := math.Cos(w), math.Sin(w)
	decay := math.Exp(-2 / rate)
	re, im := amp, 0.0 // the phasor amp·e^(iωt); its imaginary part is the sine
	for i := range x {
		x[i] += im
		re, im = (re*cw-im*sw)*decay, (re*sw+im*cw)*decay
	}
}
