package mcep

import (
	"math"
	"slices"
)

// mcdScale is 10/ln10·√2: it turns the Euclidean distance between mel-
// cepstra (without c0) into the RMS dB distance of their log spectra.
var mcdScale = 10 / math.Ln10 * math.Sqrt2

// MCD returns the mel-cepstral distortion in dB between two mel-cepstra of
// equal length, excluding c[0]: 10/ln10·√(2·Σ_{m≥1}(a[m]−b[m])²). It
// panics when the lengths differ.
func MCD(a, b []float64) float64 {
	if len(a) != len(b) {
		panic("mcep: MCD length mismatch")
	}
	var s float64
	for m := 1; m < len(a); m++ {
		d := a[m] - b[m]
		s += d * d
	}
	return mcdScale * math.Sqrt(s)
}

// MeanMCD averages MCD over frame pairs (a[i], b[i]) for i < min(len(a),
// len(b)); it returns 0 when either is empty. Use it when both sequences
// come from the same signal (analysis vs re-analysis).
func MeanMCD(a, b [][]float64) float64 {
	n := min(len(a), len(b))
	if n == 0 {
		return 0
	}
	var s float64
	for i := range n {
		s += MCD(a[i], b[i])
	}
	return s / float64(n)
}

// DTW aligns two sequences of mel-cepstra with symmetric dynamic time
// warping (steps (1,0), (0,1), (1,1)) on the MCD between frames and returns
// the index pairs along the optimal path, in order. Memory grows with
// len(a)·len(b): 10 s against 10 s at 5 ms frames is 4·10⁶ cells (≈32 MB),
// so align sentence by sentence.
func DTW(a, b [][]float64) [][2]int {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return nil
	}
	cost := make([]float64, n*m)
	at := func(i, j int) float64 {
		if i < 0 || j < 0 {
			return math.Inf(1)
		}
		return cost[i*m+j]
	}
	for i := range n {
		for j := range m {
			d := MCD(a[i], b[j])
			if i == 0 && j == 0 {
				cost[0] = d
				continue
			}
			cost[i*m+j] = d + math.Min(at(i-1, j-1), math.Min(at(i-1, j), at(i, j-1)))
		}
	}
	return backtrack(n, m, at)
}

// backtrack follows the cheapest predecessors from the last cell to the
// first and returns the path in forward order.
func backtrack(n, m int, at func(i, j int) float64) [][2]int {
	path := make([][2]int, 0, n+m)
	i, j := n-1, m-1
	for {
		path = append(path, [2]int{i, j})
		if i == 0 && j == 0 {
			break
		}
		diag, up, left := at(i-1, j-1), at(i-1, j), at(i, j-1)
		switch {
		case diag <= up && diag <= left:
			i, j = i-1, j-1
		case up <= left:
			i--
		default:
			j--
		}
	}
	slices.Reverse(path)
	return path
}

// AlignedMCD is the mean MCD along the DTW path between a and b: the usual
// way to compare two utterances of the same text. It returns 0 for empty
// input.
func AlignedMCD(a, b [][]float64) float64 {
	path := DTW(a, b)
	if len(path) == 0 {
		return 0
	}
	var s float64
	for _, p := range path {
		s += MCD(a[p[0]], b[p[1]])
	}
	return s / float64(len(path))
}
