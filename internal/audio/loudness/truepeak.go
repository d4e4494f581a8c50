package loudness

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// The true-peak meter oversamples 4× (BS.1770-4 Annex 2) with a
// Kaiser-windowed sinc of 16 taps per phase, a little longer than the
// standard's 12-tap example so the estimate also holds at 16 kHz.
const (
	oversample = 4
	tpTaps     = 16
	tpBlock    = 256 // samples per pruning block
)

var tpPhases, tpGain = truePeakFilter()

// truePeakFilter builds the three fractional phases (phase 0 is the sample
// itself) and the largest L1 norm of any phase: an interpolated value can
// never exceed that norm times the largest input in reach.
func truePeakFilter() ([oversample - 1][tpTaps]float32, float64) {
	var ph [oversample - 1][tpTaps]float32
	var worst float64
	half := float64(tpTaps / 2)
	for k := 1; k < oversample; k++ {
		frac := float64(k) / oversample
		var l1 float64
		for j := 0; j < tpTaps; j++ {
			d := frac + float64(tpTaps/2-1-j)
			v := sinc(d) * kaiserWin(d/half, 7)
			ph[k-1][j] = float32(v)
			l1 += math.Abs(v)
		}
		worst = max(worst, l1)
	}
	return ph, worst
}

// TruePeak returns the maximum absolute value of p's 4× oversampled signal,
// in dBTP (dB relative to full scale), over all channels. Digital silence
// gives −Inf.
//
// Only blocks whose neighbourhood is loud enough to possibly beat the
// running maximum are interpolated; for speech that is a few percent of the
// signal, which makes the meter about as cheap as a sample-peak scan.
func TruePeak(p *audio.PCM) float64 {
	ch, n := p.Channels, p.Frames()
	if n == 0 {
		return math.Inf(-1)
	}
	buf := make([]float32, n+tpTaps)
	pad := tpTaps/2 - 1
	var best float64
	for c := 0; c < ch; c++ {
		clear(buf)
		for i := 0; i < n; i++ {
			buf[pad+i] = p.Samples[i*ch+c]
		}
		best = max(best, channelTruePeak(buf, pad, n, best))
	}
	if best == 0 {
		return math.Inf(-1)
	}
	return 20 * math.Log10(best)
}

func channelTruePeak(buf []float32, pad, n int, best float64) float64 {
	nb := (n + tpBlock - 1) / tpBlock
	bmax := make([]float64, nb)
	for b := range bmax {
		var m float32
		for _, v := range buf[pad+b*tpBlock : pad+min(n, (b+1)*tpBlock)] {
			m = max(m, v, -v)
		}
		bmax[b] = float64(m)
		best = max(best, bmax[b])
	}
	for b := range bmax {
		reach := bmax[b]
		if b > 0 {
			reach = max(reach, bmax[b-1])
		}
		if b+1 < nb {
			reach = max(reach, bmax[b+1])
		}
		if reach*tpGain <= best {
			continue
		}
		for i := b * tpBlock; i < min(n, (b+1)*tpBlock); i++ {
			// Interpolate between sample i and i+1.
			x := buf[i : i+tpTaps]
			for k := range tpPhases {
				v := math.Abs(float64(dot(x, tpPhases[k][:])))
				best = max(best, v)
			}
		}
	}
	return best
}

// SamplePeak returns the largest absolute sample value of p in dBFS.
func SamplePeak(p *audio.PCM) float64 {
	var m float32
	for _, v := range p.Samples {
		m = max(m, v, -v)
	}
	return 20 * math.Log10(float64(m))
}

func dot(x, h []float32) float32 {
	h = h[:len(x)]
	var s float32
	for i, v := range x {
		s += v * h[i]
	}
	return s
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

func kaiserWin(x, beta float64) float64 { return dsp.Kaiser(x, beta) }
