// Package loudness measures and sets programme loudness as ITU-R BS.1770-4
// and EBU R128 define it: K-weighted, gated integrated loudness in LUFS and
// true peak in dBTP from 4× oversampling.
package loudness

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio"
)

// Silence is what Integrated returns when no 400 ms block passes the
// −70 LUFS absolute gate (silence, or audio shorter than one block). It is
// −Inf, so comparisons like "quieter than −45 LUFS" hold; callers that
// print or serialise it must handle the infinity.
var Silence = math.Inf(-1)

const (
	absoluteGate = -70.0 // LUFS
	relativeGate = -10.0 // LU below the absolute-gated loudness
	offset       = -0.691
)

// kFilter is the BS.1770 K-weighting pre-filter for one channel: a high
// shelf modelling the head (+4 dB above ~1.7 kHz) followed by the RLB
// high-pass, fused in one loop with the power sum because loudness runs on
// every upload and every synthesis. Coefficients come from the analog
// prototype, as libebur128 derives them, so any rate works and 48 kHz
// matches the standard's table.
type kFilter struct {
	sb0, sb1, sb2, sa1, sa2 float64
	hb0, hb1, hb2, ha1, ha2 float64
	s1, s2, h1, h2          float64
}

func newKFilter(rate float64) *kFilter {
	const (
		f0s, gain, qs = 1681.974450955533, 3.999843853973347, 0.7071752369554196
		f0h, qh       = 38.13547087602444, 0.5003270373238773
	)
	f := &kFilter{}
	k := math.Tan(math.Pi * f0s / rate)
	vh := math.Pow(10, gain/20)
	vb := math.Pow(vh, 0.4996667741545416)
	a0 := 1 + k/qs + k*k
	f.sb0, f.sb1, f.sb2 = (vh+vb*k/qs+k*k)/a0, 2*(k*k-vh)/a0, (vh-vb*k/qs+k*k)/a0
	f.sa1, f.sa2 = 2*(k*k-1)/a0, (1-k/qs+k*k)/a0
	k = math.Tan(math.Pi * f0h / rate)
	a0 = 1 + k/qh + k*k
	f.hb0, f.hb1, f.hb2 = 1/a0, -2/a0, 1/a0
	f.ha1, f.ha2 = 2*(k*k-1)/a0, (1-k/qh+k*k)/a0
	return f
}

// power filters every stride-th sample of x (one channel of interleaved
// audio) and returns the sum of squares of the output.
func (f *kFilter) power(x []float32, stride int) float64 {
	s1, s2, h1, h2 := f.s1, f.s2, f.h1, f.h2
	var sum float64
	for i := 0; i < len(x); i += stride {
		in := float64(x[i])
		y := f.sb0*in + s1
		s1 = f.sb1*in - f.sa1*y + s2
		s2 = f.sb2*in - f.sa2*y
		z := f.hb0*y + h1
		h1 = f.hb1*y - f.ha1*z + h2
		h2 = f.hb2*y - f.ha2*z
		sum += z * z
	}
	// Flush denormals that would slow every later block after silence.
	if math.Abs(s1)+math.Abs(s2)+math.Abs(h1)+math.Abs(h2) < 1e-30 {
		s1, s2, h1, h2 = 0, 0, 0, 0
	}
	f.s1, f.s2, f.h1, f.h2 = s1, s2, h1, h2
	return sum
}

// channelWeight follows BS.1770's Gi: surround channels (the 4th and 5th of
// a 5.1 layout) count 1.41, all others 1. The LFE is not excluded: voxclone
// never sees 5.1 in practice, and guessing a layout would be worse.
func channelWeight(c, channels int) float64 {
	if channels == 6 && (c == 4 || c == 5) {
		return 1.41
	}
	return 1
}

// blockPowers returns the weighted mean square of each 100 ms step of the
// K-weighted signal, summed over channels. Gating blocks are 400 ms, four
// of these steps, so every overlapping block is a sum of four.
func blockPowers(p *audio.PCM) []float64 {
	step := int(math.Round(float64(p.Rate) / 10))
	frames := p.Frames()
	if step <= 0 || frames < step {
		return nil
	}
	n := frames / step
	pow := make([]float64, n)
	ch := p.Channels
	for c := 0; c < ch; c++ {
		f := newKFilter(float64(p.Rate))
		w := channelWeight(c, ch) / float64(step)
		for b := 0; b < n; b++ {
			pow[b] += w * f.power(p.Samples[b*step*ch+c:(b+1)*step*ch], ch)
		}
	}
	return pow
}

// Integrated returns the gated integrated loudness of p in LUFS, or Silence
// (−Inf) when nothing passes the absolute gate. Audio shorter than one
// 400 ms gating block (a one-word synthesis) is measured as a single
// ungated block over its whole length, so it can still be normalised.
func Integrated(p *audio.PCM) float64 {
	if p.Rate > 0 && p.Frames() < 4*int(math.Round(float64(p.Rate)/10)) {
		return shortLoudness(p)
	}
	return integratedFromSteps(blockPowers(p))
}

func shortLoudness(p *audio.PCM) float64 {
	n := p.Frames()
	if n == 0 {
		return Silence
	}
	var sum float64
	for c := 0; c < p.Channels; c++ {
		sum += channelWeight(c, p.Channels) * newKFilter(float64(p.Rate)).power(p.Samples[c:], p.Channels) / float64(n)
	}
	l := offset + 10*math.Log10(sum)
	if l <= absoluteGate {
		return Silence
	}
	return l
}

func integratedFromSteps(steps []float64) float64 {
	if len(steps) < 4 {
		return Silence
	}
	blocks := make([]float64, 0, len(steps)-3)
	for i := 0; i+4 <= len(steps); i++ {
		blocks = append(blocks, (steps[i]+steps[i+1]+steps[i+2]+steps[i+3])/4)
	}
	absPow := math.Pow(10, (absoluteGate-offset)/10)
	mean := gatedMean(blocks, absPow)
	if mean == 0 {
		return Silence
	}
	relPow := mean * math.Pow(10, relativeGate/10)
	mean = gatedMean(blocks, math.Max(absPow, relPow))
	return offset + 10*math.Log10(mean)
}

func gatedMean(blocks []float64, threshold float64) float64 {
	var s float64
	var n int
	for _, b := range blocks {
		if b > threshold {
			s += b
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// Momentary returns the loudness of each 400 ms block (hop 100 ms) in LUFS,
// −Inf for digital silence. Preprocessing uses it to find quiet passages.
func Momentary(p *audio.PCM) []float64 {
	steps := blockPowers(p)
	if len(steps) < 4 {
		return nil
	}
	out := make([]float64, len(steps)-3)
	for i := range out {
		m := (steps[i] + steps[i+1] + steps[i+2] + steps[i+3]) / 4
		out[i] = offset + 10*math.Log10(m)
	}
	return out
}

// Gain returns p scaled by db decibels, as a new PCM.
func Gain(p *audio.PCM, db float64) *audio.PCM {
	g := float32(math.Pow(10, db/20))
	out := &audio.PCM{Rate: p.Rate, Channels: p.Channels, Samples: slices.Clone(p.Samples)}
	for i := range out.Samples {
		out.Samples[i] *= g
	}
	return out
}
