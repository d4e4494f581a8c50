package prep

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/fftpack"

	"github.com/voxclone/voxclone/internal/audio"
)

// Segment is a stretch of speech in sample frames of the PCM it was found
// in: [Start, End).
type Segment struct {
	Start, End int
}

// Seconds returns the segment's length at rate Hz.
func (s Segment) Seconds(rate int) float64 { return float64(s.End-s.Start) / float64(rate) }

// VAD parameters (seconds and dB). Frames are 20 ms every 10 ms; the noise
// floor is a low percentile of frame energy, since almost every recording
// has some pauses between phrases.
const (
	frameSec      = 0.020
	hopSec        = 0.010
	floorPct      = 0.10
	sureDB        = 15 // above the floor: speech whatever its spectrum
	maybeDB       = 8  // above the floor: speech if the spectrum is not flat
	rangeDB       = 45 // below the loud frames, nothing counts as speech
	silenceDB     = -90
	flatnessMax   = 0.3
	hangoverSec   = 0.150
	bridgeSec     = 0.200
	minSegmentSec = 0.120
)

// frames is the per-frame view of a mono signal the VAD and SNR share.
type frames struct {
	rate, hop, size int
	energy          []float64 // dB
	speech          []bool    // after smoothing
	floor           float64   // dB
}

// Speech returns the speech segments of p (downmixed if needed): frames
// well above the noise floor, or moderately above it with a non-flat
// (voiced) spectrum, with 150 ms hangover, gaps under 200 ms bridged and
// segments under 120 ms dropped.
func Speech(p *audio.PCM) []Segment {
	m := Downmix(p)
	return analyzeFrames(m.Samples, m.Rate).segments(len(m.Samples))
}

func analyzeFrames(x []float32, rate int) *frames {
	f := &frames{rate: rate, hop: max(1, int(hopSec*float64(rate))), size: max(1, int(frameSec*float64(rate)))}
	if len(x) < f.size {
		return f
	}
	n := (len(x)-f.size)/f.hop + 1
	f.energy = make([]float64, n)
	for i := range f.energy {
		var s float64
		for _, v := range x[i*f.hop : i*f.hop+f.size] {
			s += float64(v) * float64(v)
		}
		f.energy[i] = 10 * math.Log10(s/float64(f.size)+1e-15)
	}
	f.floor = noiseFloor(f.energy)
	f.classify(x)
	f.smooth()
	return f
}

// noiseFloor is the 10th percentile of the frames that are not digital
// silence, raised to 45 dB under the loud (95th percentile) frames so that
// a near-silent studio background does not make breaths count as speech.
func noiseFloor(e []float64) float64 {
	live := make([]float64, 0, len(e))
	for _, v := range e {
		if v > silenceDB {
			live = append(live, v)
		}
	}
	if len(live) == 0 {
		return math.Inf(1)
	}
	slices.Sort(live)
	lo := live[int(floorPct*float64(len(live)-1))]
	hi := live[int(0.95*float64(len(live)-1))]
	return max(lo, hi-rangeDB)
}

func (f *frames) classify(x []float32) {
	f.speech = make([]bool, len(f.energy))
	var fft *fftpack.FFT
	var buf, win []float64
	var coef []complex128
	for i, e := range f.energy {
		switch {
		case e > f.floor+sureDB:
			f.speech[i] = true
		case e > f.floor+maybeDB:
			if fft == nil {
				n := nextPow2(f.size)
				fft, buf, win = fftpack.NewFFT(n), make([]float64, n), dsp.Hann(f.size)
			}
			seg := x[i*f.hop : i*f.hop+f.size]
			coef = spectrum(fft, buf, win, coef, seg)
			f.speech[i] = flatness(coef, f.rate, len(buf)) < flatnessMax
		}
	}
}

// spectrum returns the FFT of seg windowed by win (dsp.Hann(len(seg)),
// kept by the caller: a cosine per sample per frame was ≈ 0.03 CPU-s of
// preparing a minute of speech).
func spectrum(fft *fftpack.FFT, buf, win []float64, coef []complex128, seg []float32) []complex128 {
	clear(buf)
	for j, v := range seg {
		buf[j] = float64(v) * win[j]
	}
	return fft.Coefficients(coef, buf)
}

// flatness is the spectral flatness (geometric over arithmetic mean of the
// power) between 100 Hz and 4 kHz: near 0.56 for white noise, far lower for
// voiced speech with its harmonics and formants.
func flatness(coef []complex128, rate, n int) float64 {
	lo, hi := 100*n/rate, min(len(coef)-1, 4000*n/rate)
	var logSum, sum float64
	for k := lo; k <= hi; k++ {
		pw := real(coef[k])*real(coef[k]) + imag(coef[k])*imag(coef[k]) + 1e-20
		logSum += math.Log(pw)
		sum += pw
	}
	cnt := float64(hi - lo + 1)
	return math.Exp(logSum/cnt) / (sum / cnt)
}

// smooth bridges gaps under 200 ms, drops what is still shorter than
// 120 ms, then adds the 150 ms hangover. Hangover comes last so that an
// isolated click or breath, once extended, cannot pass for a segment.
func (f *frames) smooth() {
	s := f.speech
	fillRuns(s, false, int(bridgeSec/hopSec), true)
	fillRuns(s, true, int(minSegmentSec/hopSec), false)
	hang := int(hangoverSec / hopSec)
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] {
			for j := i + 1; j < min(len(s), i+1+hang) && !s[j]; j++ {
				s[j] = true
			}
		}
	}
}

// fillRuns sets to `to` every run of `val` shorter than n frames; runs of
// false touching either end are never bridged.
func fillRuns(s []bool, val bool, n int, bridge bool) {
	for i := 0; i < len(s); {
		if s[i] != val {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == val {
			j++
		}
		edge := i == 0 || j == len(s)
		if j-i < n && !(bridge && edge) {
			for k := i; k < j; k++ {
				s[k] = !val
			}
		}
		i = j
	}
}

func (f *frames) segments(total int) []Segment {
	var out []Segment
	for i := 0; i < len(f.speech); {
		if !f.speech[i] {
			i++
			continue
		}
		j := i
		for j < len(f.speech) && f.speech[j] {
			j++
		}
		out = append(out, Segment{Start: i * f.hop, End: min(total, (j-1)*f.hop+f.size)})
		i = j
	}
	return out
}

func nextPow2(n int) int {
	p := 1
	for p < n {
		p <<= 1
	}
	return p
}
