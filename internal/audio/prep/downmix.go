package prep

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// Downmix returns p as mono. Two channels are averaged unless they are
// anti-correlated (a polarity-inverted channel, common with badly wired
// stereo microphones), where averaging would cancel the voice; then the
// louder channel is kept alone. More channels are averaged. Mono input is
// returned as is.
func Downmix(p *audio.PCM) *audio.PCM {
	if p.Channels == 1 {
		return p
	}
	if p.Channels != 2 {
		return p.Mono()
	}
	n := p.Frames()
	s := p.Samples[:2*n]
	var ll, rr, lr float32
	var sll, srr, slr float64
	for i := 0; i < n; i++ {
		l, r := s[2*i], s[2*i+1]
		ll += l * l
		rr += r * r
		lr += l * r
		// Flush the float32 partial sums every 4096 frames so precision
		// holds over hours.
		if i&4095 == 4095 {
			sll, srr, slr = sll+float64(ll), srr+float64(rr), slr+float64(lr)
			ll, rr, lr = 0, 0, 0
		}
	}
	sll, srr, slr = sll+float64(ll), srr+float64(rr), slr+float64(lr)
	out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, n)}
	if sll == 0 || srr == 0 || slr/math.Sqrt(sll*srr) >= 0 {
		for i := range out.Samples {
			out.Samples[i] = 0.5 * (p.Samples[2*i] + p.Samples[2*i+1])
		}
		return out
	}
	c := 0
	if srr > sll {
		c = 1
	}
	for i := range out.Samples {
		out.Samples[i] = p.Samples[2*i+c]
	}
	return out
}
