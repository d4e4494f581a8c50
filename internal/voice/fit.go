package voice

import (
	"math"

	"github.com/voxclone/voxclone/internal/voice/mcep"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// Fit limits, from docs/engine.md: warps outside [0.90, 1.12] or
// aperiodicity shifts over 6 dB cost more intelligibility than they add
// likeness.
const (
	minWarp     = 0.90
	maxWarp     = 1.12
	maxApOffset = 6.0
	// eqFlat and eqCut shape the EQ's cepstral taper: coefficients up to
	// eqFlat pass, then a half-cosine reaches 0 at eqCut. About 10
	// mel-cepstra at α=0.42 smooth the correction to ±500 Hz; finer EQ
	// stamps the target's average formants onto every frame.
	eqFlat = 8
	eqCut  = 12
)

// fitBase chooses the base voice for a speaker and fits the warp, the EQ
// and the aperiodicity offset that map it onto the speaker.
func fitBase(st *speakerStats, bs map[string]*speakerStats) BaseFit {
	name := chooseBaseVoice(st.LogF0Median, bs)
	b := bs[name]
	a := fitWarp(st.Formants, b.Formants)
	eqV, distV := fitEQ(st.VoicedMean, b.VoicedMean, a)
	eqU, _ := fitEQ(st.UnvoicedMean, b.UnvoicedMean, a)
	// Output loudness is normalised anyway; only the unvoiced class's level
	// relative to the voiced one matters.
	eqU[0] -= eqV[0]
	eqV[0] = 0
	ap := make([]float64, len(st.Aperiodicity))
	for i := range ap {
		if i < len(b.Aperiodicity) {
			ap[i] = clamp(st.Aperiodicity[i]-b.Aperiodicity[i], -maxApOffset, maxApOffset)
		}
	}
	return BaseFit{
		Voice: name, BaseLogF0Median: float32(b.LogF0Median), BaseLogF0SD: float32(b.LogF0SD),
		Warp: float32(a), EQVoiced: f32s(eqV), EQUnvoiced: f32s(eqU), ApOffset: f32s(ap),
		Distance: float32(distV),
	}
}

// fitWarp is the median F2–F4 ratio, target over base, clamped. F1 moves
// with vowel quality more than with vocal-tract length, so it is left out.
func fitWarp(target, base []float64) float64 {
	var r []float64
	for k := 1; k < 4 && k < len(target) && k < len(base); k++ {
		if target[k] > 0 && base[k] > 0 {
			r = append(r, target[k]/base[k])
		}
	}
	if len(r) == 0 {
		return 1
	}
	return clamp(quantile(r, 0.5), minWarp, maxWarp)
}

// fitEQ returns the smooth mel-cepstral correction from the warped base
// mean to the target mean, and the distance (MCD, dB) it corrects.
func fitEQ(target, base []float64, a float64) ([]float64, float64) {
	bins := world.FFTSizeFor(analysisRate, 0)/2 + 1
	conv := mcep.NewConverter(bins, mcepOrder, mcepAlpha)
	env := conv.ToEnvelope(nil, base)
	warped := newWarpMap(bins, a).apply(nil, env)
	bw := conv.FromEnvelope(nil, warped)
	d := make([]float64, len(target))
	for m := range d {
		d[m] = (target[m] - bw[m]) * eqTaper(m)
	}
	return d, mcep.MCD(target, bw)
}

func eqTaper(m int) float64 {
	switch {
	case m <= eqFlat:
		return 1
	case m >= eqCut:
		return 0
	}
	return 0.5 + 0.5*math.Cos(math.Pi*float64(m-eqFlat)/float64(eqCut-eqFlat))
}

// warpMap is a piecewise-linear frequency warp on envelope bins: the output
// at f reads the input at f/a up to fc = 0.85·Nyquist·min(1, a), then a
// straight line to (Nyquist, Nyquist). It interpolates log amplitude.
type warpMap struct {
	idx  []int
	frac []float64
	logs []float64 // scratch: the input's log amplitude
}

func newWarpMap(bins int, a float64) *warpMap {
	n := float64(bins - 1)
	fc := 0.85 * n * math.Min(1, a)
	w := &warpMap{idx: make([]int, bins), frac: make([]float64, bins), logs: make([]float64, bins)}
	for j := range bins {
		f := float64(j)
		src := f / a
		if f > fc {
			src = fc/a + (f-fc)*(n-fc/a)/(n-fc)
		}
		src = clamp(src, 0, n)
		i := min(int(src), bins-2)
		w.idx[j], w.frac[j] = i, src-float64(i)
	}
	return w
}

// apply warps power envelope env into dst (allocated when nil; it may be
// env itself). A warpMap must not be applied by two goroutines at once.
func (w *warpMap) apply(dst, env []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(env))
	}
	for i, v := range env {
		w.logs[i] = math.Log(math.Max(v, 1e-30))
	}
	for j, i := range w.idx {
		lo, hi := w.logs[i], w.logs[i+1]
		dst[j] = math.Exp(lo + (hi-lo)*w.frac[j])
	}
	return dst
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
