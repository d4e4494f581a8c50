package world

import (
	"math"
)

// AperiodicityMode selects the aperiodicity estimator.
type AperiodicityMode int

const (
	// D4C estimates band aperiodicity from the group delay of each voiced
	// frame (Morise, Speech Comm. 84, 2016). It is the default.
	D4C AperiodicityMode = iota
	// Template skips signal analysis: voiced frames get a fixed band
	// template (AperiodicityOptions.TemplateDB), unvoiced frames are noise.
	// It costs almost nothing and suits clean synthetic input.
	Template
)

// Band layout of coded aperiodicity, as in WORLD: one band centre every
// 3 kHz up to min(15 kHz, fs/2 − 3 kHz).
const (
	bandSpacing  = 3000.0
	bandUpper    = 15000.0
	codedFloorDB = -60.0
)

// DefaultThreshold is D4C's voicing threshold: frames whose 0.1–4 kHz share
// of the 0.1–7.9 kHz power is below it are treated as unvoiced noise.
const DefaultThreshold = 0.85

// AperiodicityOptions tune Aperiodicity. The zero value means D4C with
// the default threshold.
type AperiodicityOptions struct {
	Mode AperiodicityMode
	// Threshold is D4C's voicing threshold (default 0.85); a negative
	// value disables the check.
	Threshold float64
	// TemplateDB is the coded aperiodicity in dB per band (see
	// NumBands) that Template mode gives voiced frames; missing bands
	// repeat the last value. Nil means −20 dB at 3 kHz rising 5 dB per band.
	TemplateDB []float64
}

// NumBands returns the number of coded aperiodicity bands at rate fs
// (1 at 16 kHz, 3 at 24 kHz, 5 at 44.1 kHz and above).
func NumBands(fs int) int {
	return max(0, int(math.Min(bandUpper, float64(fs)/2-bandSpacing)/bandSpacing))
}

// Aperiodicity estimates the aperiodicity of x at the frames of f0 (one per
// framePeriod ms) for envelope rows of fftSize/2+1 bins (fftSize ≤ 0 means
// FFTSizeFor(fs, 0)). Unvoiced frames are all noise (values just below 1).
func Aperiodicity(x []float64, fs int, f0 []float64, framePeriod float64, fftSize int, opt AperiodicityOptions) ([][]float64, error) {
	if err := checkInput(x, fs); err != nil {
		return nil, err
	}
	if framePeriod <= 0 {
		framePeriod = DefaultFramePeriod
	}
	if fftSize <= 0 {
		fftSize = FFTSizeFor(fs, 0)
	}
	if opt.Mode == Template {
		return templateAperiodicity(fs, f0, fftSize, opt.TemplateDB), nil
	}
	thr := opt.Threshold
	if thr == 0 {
		thr = DefaultThreshold
	}
	return d4c(x, fs, f0, framePeriod, fftSize, thr), nil
}

func templateAperiodicity(fs int, f0 []float64, fftSize int, tmpl []float64) [][]float64 {
	nb := NumBands(fs)
	coded := make([]float64, nb)
	for k := range coded {
		switch {
		case k < len(tmpl):
			coded[k] = tmpl[k]
		case len(tmpl) > 0:
			coded[k] = tmpl[len(tmpl)-1]
		default:
			coded[k] = -20 + 5*float64(k)
		}
	}
	voiced := decodeRow(nil, coded, fs, fftSize)
	out := make([][]float64, len(f0))
	for i, f := range f0 {
		if f > 0 {
			out[i] = append([]float64(nil), voiced...)
		} else {
			out[i] = noiseRow(fftSize)
		}
	}
	return out
}

// noiseRow is the aperiodicity of an unvoiced frame.
func noiseRow(fftSize int) []float64 {
	r := make([]float64, fftSize/2+1)
	for j := range r {
		r[j] = 1 - 1e-12
	}
	return r
}

// CodeAperiodicity reduces full-resolution aperiodicity rows to dB values at
// the NumBands(fs) band centres (3, 6, … kHz), as WORLD's codec does.
func CodeAperiodicity(ap [][]float64, fs int) [][]float64 {
	nb := NumBands(fs)
	out := make([][]float64, len(ap))
	for i, row := range ap {
		out[i] = make([]float64, nb)
		size := 2 * (len(row) - 1)
		for k := range nb {
			pos := bandSpacing * float64(k+1) * float64(size) / float64(fs)
			b := min(int(pos), len(row)-2)
			v := row[b] + (row[b+1]-row[b])*(pos-float64(b))
			out[i][k] = 20 * math.Log10(math.Max(v, 1e-3))
		}
	}
	return out
}

// DecodeAperiodicity expands coded rows (dB per band, from CodeAperiodicity)
// to fftSize/2+1 bins: linear in dB between −60 dB at 0 Hz, the band
// centres and 0 dB at fs/2. Frames with f0 ≤ 0 decode to pure noise when f0
// is non-nil.
func DecodeAperiodicity(coded [][]float64, f0 []float64, fs, fftSize int) [][]float64 {
	out := make([][]float64, len(coded))
	for i, c := range coded {
		if f0 != nil && i < len(f0) && f0[i] <= 0 {
			out[i] = noiseRow(fftSize)
			continue
		}
		out[i] = decodeRow(nil, c, fs, fftSize)
	}
	return out
}

// decodeRow interpolates coded band values (dB) onto the bin grid.
func decodeRow(dst, coded []float64, fs, fftSize int) []float64 {
	bins := fftSize/2 + 1
	if cap(dst) < bins {
		dst = make([]float64, bins)
	}
	dst = dst[:bins]
	nb := len(coded)
	axis := make([]float64, nb+2)
	vals := make([]float64, nb+2)
	vals[0] = codedFloorDB
	for k := 0; k <= nb; k++ {
		axis[k] = bandSpacing * float64(k)
	}
	copy(vals[1:], coded)
	axis[nb+1], vals[nb+1] = float64(fs)/2, -1e-12
	k := 0
	for j := range dst {
		f := float64(j) * float64(fs) / float64(fftSize)
		for k < nb && axis[k+1] <= f {
			k++
		}
		w := (f - axis[k]) / (axis[k+1] - axis[k])
		db := math.Min(0, vals[k]+w*(vals[k+1]-vals[k]))
		dst[j] = math.Pow(10, db/20)
	}
	return dst
}
