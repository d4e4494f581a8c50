package prep

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/fftpack"
)

// Pause handling (seconds): edges keep 100 ms of room tone, pauses longer
// than 500 ms are cut to 300 ms, and every cut is crossfaded over 10 ms so
// it does not click.
const (
	edgeSec      = 0.100
	maxPauseSec  = 0.500
	keepPauseSec = 0.300
	fadeSec      = 0.010
)

// ShortenPauses returns the speech of x (mono at rate) with leading and
// trailing silence trimmed to 100 ms and pauses over 500 ms shortened to
// 300 ms. With no segments it returns x unchanged.
func ShortenPauses(x []float32, rate int, segs []Segment) []float32 {
	if len(segs) == 0 {
		return x
	}
	fade := fadeSamples(rate)
	out := make([]float32, 0, len(x))
	for _, k := range keptParts(len(x), rate, segs) {
		out = appendFaded(out, x[k.Start:k.End], fade)
	}
	return out
}

// keptParts are the stretches of an n-sample signal ShortenPauses keeps, in
// order; each after the first overlaps its predecessor's last fade samples
// in the output (appendFaded).
func keptParts(n, rate int, segs []Segment) []Segment {
	edge, half := int(edgeSec*float64(rate)), int(keepPauseSec*float64(rate))/2
	maxGap, fade := int(maxPauseSec*float64(rate)), fadeSamples(rate)
	var parts []Segment
	start := max(0, segs[0].Start-edge)
	for i := 1; i < len(segs); i++ {
		prev, next := segs[i-1], segs[i]
		if next.Start-prev.End <= maxGap {
			continue
		}
		parts = append(parts, Segment{start, prev.End + half + fade})
		start = next.Start - half - fade
	}
	return append(parts, Segment{start, min(n, segs[len(segs)-1].End+edge)})
}

func fadeSamples(rate int) int { return max(1, int(fadeSec*float64(rate))) }

// appendFaded appends part to out, crossfading out's last fade samples with
// part's first fade samples (equal-power, as the two sides are unrelated
// room tone).
func appendFaded(out, part []float32, fade int) []float32 {
	if len(out) < fade || len(part) < fade {
		return append(out, part...)
	}
	tail := out[len(out)-fade:]
	for i := range tail {
		t := (float64(i) + 0.5) / float64(fade)
		a, b := math.Cos(t*math.Pi/2), math.Sin(t*math.Pi/2)
		tail[i] = float32(a)*tail[i] + float32(b)*part[i]
	}
	return append(out, part[fade:]...)
}

// bandwidth returns the highest frequency (Hz) at which the long-term
// average spectrum of the speech frames is within 50 dB of its peak, up to
// 0.9 of Nyquist (the resampler's roll-off starts just above). It samples
// at most 400 frames spread over the recording.
func bandwidth(x []float32, rate int, f *frames) float64 {
	const n = 512
	var idx []int
	for i, s := range f.speech {
		if s {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 || len(x) < n {
		return float64(rate) / 2
	}
	step := max(1, len(idx)/400)
	fft, buf, win := fftpack.NewFFT(n), make([]float64, n), dsp.Hann(n)
	var coef []complex128
	ltas := make([]float64, n/2+1)
	for k := 0; k < len(idx); k += step {
		s := min(idx[k]*f.hop, len(x)-n)
		coef = spectrum(fft, buf, win, coef, x[s:s+n])
		for j := range ltas {
			ltas[j] += real(coef[j])*real(coef[j]) + imag(coef[j])*imag(coef[j])
		}
	}
	top := int(0.9 * float64(len(ltas)-1))
	peak := 0.0
	for _, v := range ltas[:top+1] {
		peak = max(peak, v)
	}
	for j := top; j > 0; j-- {
		if ltas[j] > peak*1e-5 {
			return float64(j) * float64(rate) / n
		}
	}
	return 0
}
