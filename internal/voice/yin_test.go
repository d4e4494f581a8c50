package voice

import "math"

// yinMedianF0 is an independent check on the engine's pitch: YIN (de
// Cheveigné & Kawahara 2002) on 40 ms windows every 10 ms at 16 kHz,
// threshold 0.15, over frames within 30 dB of the loud end, octave errors
// (> 0.7 octave from a first median) dropped. It shares no code with
// world.F0, so a bias in the engine's tracker cannot hide itself; the
// settings are those listeners' pitch is compared with in voxclone eval.
func yinMedianF0(utts ...[]float64) float64 {
	var f0s []float64
	for _, x := range utts {
		f0s = append(f0s, yinF0s(x)...)
	}
	if len(f0s) == 0 {
		return 0
	}
	first := quantile(append([]float64(nil), f0s...), 0.5)
	var kept []float64
	for _, f := range f0s {
		if math.Abs(math.Log2(f/first)) <= 0.7 {
			kept = append(kept, f)
		}
	}
	return quantile(kept, 0.5)
}

const (
	yinWin    = 640 // 40 ms at 16 kHz
	yinHop    = 160
	yinMinLag = analysisRate / 500
	yinMaxLag = analysisRate / 60
)

// yinF0s returns F0 (Hz) of the voiced frames among the loud ones.
func yinF0s(x []float64) []float64 {
	span := yinWin + yinMaxLag
	if len(x) < span {
		return nil
	}
	n := 1 + (len(x)-span)/yinHop
	logE := make([]float64, n)
	for t := range logE {
		var e float64
		for _, v := range x[t*yinHop : t*yinHop+yinWin] {
			e += v * v
		}
		logE[t] = 10 * math.Log10(e+1e-10)
	}
	thr := quantile(append([]float64(nil), logE...), 0.95) - 30
	var out []float64
	d := make([]float64, yinMaxLag+1)
	for t, e := range logE {
		if e < thr {
			continue
		}
		if f, ok := yinFrame(x[t*yinHop:t*yinHop+span], d); ok {
			out = append(out, f)
		}
	}
	return out
}

// yinFrame finds the first dip of the cumulative-mean-normalised
// difference under 0.15, refined by a parabola.
func yinFrame(seg, d []float64) (float64, bool) {
	d[0] = 1
	var cum float64
	for tau := 1; tau <= yinMaxLag; tau++ {
		var diff float64
		for j := 0; j < yinWin; j++ {
			v := seg[j] - seg[j+tau]
			diff += v * v
		}
		cum += diff
		d[tau] = 1
		if cum > 0 {
			d[tau] = diff * float64(tau) / cum
		}
		if tau > yinMinLag && d[tau-1] < 0.15 && d[tau] >= d[tau-1] {
			i := tau - 1
			a, b, c := d[i-1], d[i], d[i+1]
			lag := float64(i)
			if den := a - 2*b + c; den > 0 {
				lag += 0.5 * (a - c) / den
			}
			return analysisRate / lag, true
		}
	}
	return 0, false
}
