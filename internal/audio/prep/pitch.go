package prep

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/fftpack"
)

// Pitch analysis for the quality checks: normalised autocorrelation of
// 40 ms frames, divided by the window's own autocorrelation (Boersma 1993),
// F0 searched over 60–400 Hz. Only a sample of frames is analysed: the
// statistics need hundreds of frames, not every one, and this keeps the
// report cheap on long uploads.
const (
	pitchFrameSec  = 0.040
	pitchMinHz     = 65
	pitchMaxHz     = 400
	voicingMin     = 0.45 // autocorrelation peak above which a frame is voiced
	clearVoicing   = 0.7  // frames this periodic have a trustworthy F0
	pitchMaxFrames = 400
)

// pitchTracker holds the transform and window for one rate.
type pitchTracker struct {
	rate, size int
	fft        *fftpack.FFT
	win, winAC []float64
	buf, ac    []float64
	coef       []complex128
}

func newPitchTracker(rate int) *pitchTracker {
	size := int(pitchFrameSec * float64(rate))
	n := nextPow2(size + rate/pitchMinHz + 2) // no wrap-around up to the longest lag
	t := &pitchTracker{rate: rate, size: size, fft: fftpack.NewFFT(n), win: dsp.Hann(size), buf: make([]float64, n)}
	copy(t.buf, t.win)
	t.winAC = slices.Clone(t.autocorr())
	return t
}

// autocorr returns the autocorrelation of buf (zero-padded past the
// longest lag, so there is no wrap-around), normalised to 1 at lag 0.
func (t *pitchTracker) autocorr() []float64 {
	t.coef = t.fft.Coefficients(t.coef, t.buf)
	for k, c := range t.coef {
		t.coef[k] = complex(real(c)*real(c)+imag(c)*imag(c), 0)
	}
	t.ac = t.fft.Sequence(t.ac, t.coef)
	ac := t.ac[:t.size]
	if ac[0] <= 0 {
		return ac
	}
	for i := len(ac) - 1; i >= 0; i-- {
		ac[i] /= ac[0]
	}
	return ac
}

// f0 returns the frame's fundamental frequency in Hz, or 0 when unvoiced.
// It takes the first lag whose peak reaches 90% of the best one, which
// avoids the classic error of picking twice the period.
func (t *pitchTracker) f0(frame []float32) (hz, strength float64) {
	clear(t.buf)
	var mean float64
	for _, v := range frame {
		mean += float64(v)
	}
	mean /= float64(len(frame))
	for i, v := range frame {
		t.buf[i] = (float64(v) - mean) * t.win[i]
	}
	ac := t.autocorr()
	lo, hi := t.rate/pitchMaxHz, min(t.size-2, t.rate/pitchMinHz)
	r := func(l int) float64 { return ac[l] / t.winAC[l] }
	best := 0.0
	for l := lo; l <= hi; l++ {
		best = max(best, r(l))
	}
	if best < voicingMin {
		return 0, best
	}
	for l := lo + 1; l < hi; l++ {
		if v := r(l); v >= 0.9*best && v >= r(l-1) && v >= r(l+1) {
			// Parabolic interpolation of the peak position.
			a, b, c := r(l-1), v, r(l+1)
			d := 0.0
			if den := a - 2*b + c; den != 0 {
				d = 0.5 * (a - c) / den
			}
			return float64(t.rate) / (float64(l) + d), best
		}
	}
	return 0, best
}

// voicing summarises pitch over a sample of speech and non-speech frames.
type voicing struct {
	voicedRatio    float64   // voiced share of speech frames
	pauseVoiced    float64   // voiced share of non-speech frames above the floor
	semitones      []float64 // F0 of voiced speech frames, semitones re 100 Hz
	pausesAnalysed int
}

func analyzeVoicing(x []float32, rate int, f *frames) voicing {
	t := newPitchTracker(rate)
	var sp, quiet []int
	for i, s := range f.speech {
		if s {
			sp = append(sp, i)
		} else if f.energy[i] > f.floor+maybeDB/2 {
			// Pauses that are not silent: a music bed or a second talker.
			quiet = append(quiet, i)
		}
	}
	var v voicing
	voiced := 0
	for _, i := range spread(sp, pitchMaxFrames) {
		hz, strength := t.f0(frameAt(x, i*f.hop, t.size))
		if hz > 0 {
			voiced++
		}
		if hz > 0 && strength >= clearVoicing {
			v.semitones = append(v.semitones, 12*math.Log2(hz/100))
		}
	}
	if len(sp) > 0 {
		v.voicedRatio = float64(voiced) / float64(len(spread(sp, pitchMaxFrames)))
	}
	q := spread(quiet, pitchMaxFrames/3)
	pv := 0
	for _, i := range q {
		if hz, _ := t.f0(frameAt(x, i*f.hop, t.size)); hz > 0 {
			pv++
		}
	}
	if len(q) > 0 {
		v.pauseVoiced, v.pausesAnalysed = float64(pv)/float64(len(q)), len(q)
	}
	return v
}

// spread returns at most n elements of idx, evenly spaced.
func spread(idx []int, n int) []int {
	if len(idx) <= n {
		return idx
	}
	out := make([]int, n)
	for i := range out {
		out[i] = idx[i*len(idx)/n]
	}
	return out
}

// frameAt returns size samples of x from start, shifted left at the end.
func frameAt(x []float32, start, size int) []float32 {
	start = max(0, min(start, len(x)-size))
	return x[start:min(len(x), start+size)]
}

// twoVoices reports whether the F0 values form two clusters at least 6
// semitones apart, each holding a quarter of the frames or more, with a
// deep valley between them: two speakers of clearly different pitch, such
// as a man and a woman. One speaker's intonation gives one broad hump
// instead; speakers of similar pitch are not told apart.
func twoVoices(semitones []float64) bool {
	if len(semitones) < 100 {
		return false
	}
	const lo, bins = -24.0, 60 // 25–800 Hz, in semitones re 100 Hz
	hist := make([]float64, bins)
	for _, s := range semitones {
		if b := int(s - lo); b >= 0 && b < bins {
			hist[b]++
		}
	}
	sm := make([]float64, bins) // ±1 semitone: intonation wiggles merge
	for i := range sm {
		for j := max(0, i-1); j <= min(bins-1, i+1); j++ {
			sm[i] += hist[j] / 3
		}
	}
	n := float64(len(semitones))
	for split := 1; split < bins-1; split++ {
		left, right := slices.Max(sm[:split]), slices.Max(sm[split:])
		li, ri := slices.Index(sm[:split], left), split+slices.Index(sm[split:], right)
		if ri-li < 6 || sm[split] != slices.Min(sm[li:ri+1]) {
			continue
		}
		var wl float64
		for _, h := range hist[:split] {
			wl += h
		}
		if sm[split] < 0.5*min(left, right) && wl >= 0.25*n && n-wl >= 0.25*n {
			return true
		}
	}
	return false
}

// Thresholds for the voicing checks.
const (
	musicPauseVoiced = 0.6 // share of audible pauses that are tonal
	musicMinPauses   = 30  // pause frames needed before judging
	lowVoicedRatio   = 0.3
)

// voicesScore turns the voicing statistics into a sub-score: two voices of
// clearly different pitch, or tonal sound (a music bed) filling the pauses,
// or speech with hardly any voicing (whispering, or noise taken for speech).
func voicesScore(v voicing, speechSec float64) subscore {
	switch {
	case speechSec < MinSpeechSeconds/2:
		return subscore{score: 100}
	case twoVoices(v.semitones):
		return subscore{score: 50, weight: 0.6, warning: "music or several voices: two speakers of clearly different pitch"}
	case v.pausesAnalysed >= musicMinPauses && v.pauseVoiced >= musicPauseVoiced:
		return subscore{score: 50, weight: 0.6, warning: "music or several voices: tonal sound fills the pauses between phrases"}
	case v.voicedRatio < lowVoicedRatio:
		return subscore{score: 60, weight: 0.3, warning: "little voiced speech: whispering, or noise mistaken for speech"}
	}
	return subscore{score: 100}
}
