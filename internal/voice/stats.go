package voice

import (
	"math"
	"sort"
)

// quantile returns the q-quantile of v (linear interpolation); v is
// sorted in place. It returns 0 for an empty slice.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	sort.Float64s(v)
	pos := q * float64(len(v)-1)
	i := int(pos)
	if i >= len(v)-1 {
		return v[len(v)-1]
	}
	f := pos - float64(i)
	return v[i]*(1-f) + v[i+1]*f
}

// robustStats returns the median and 1.4826·MAD (a standard deviation
// that ignores outliers) of v, without changing v.
func robustStats(v []float64) (med, sd float64) {
	w := append([]float64(nil), v...)
	med = quantile(w, 0.5)
	for i, x := range v {
		w[i] = math.Abs(x - med)
	}
	return med, 1.4826 * quantile(w, 0.5)
}
