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
	var ll, rr, lr float64
	for i := 0; i < n; i++ {
		l, r := float64(p.Samples[2*i]), float64(p.Samples[2*i+1])
		ll += l * l
		rr += r * r
		lr += l * r
	}
	if ll == 0 || rr == 0 || lr/math.Sqrt(ll*rr) >= 0 {
		return p.Mono()
	}
	c := 0
	if rr > ll {
		c = 1
	}
	out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, n)}
	for i := range out.Samples {
		out.Samples[i] = p.Samples[2*i+c]
	}
	return out
}
