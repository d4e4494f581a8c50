package prep

import (
	"fmt"
	"math"
)

// Report describes one voice sample as uploaded. Levels are floored so the
// report always serialises: silence reads −70 LUFS (BS.1770's absolute
// gate) and −120 dBTP.
type Report struct {
	DurationSeconds float64 `json:"duration_seconds"`
	SpeechSeconds   float64 `json:"speech_seconds"`
	SampleRate      int     `json:"sample_rate"`
	Channels        int     `json:"channels"`
	// Format is the container the sample came in; Analyze leaves it empty
	// for the caller, who knows it, to fill in.
	Format        string  `json:"format"`
	LoudnessLUFS  float64 `json:"loudness_lufs"`
	TruePeakDBTP  float64 `json:"true_peak_dbtp"`
	SNRDB         float64 `json:"snr_db"`
	ClippingRatio float64 `json:"clipping_ratio"`
	// Score is 0–100: 80 and up is good, 60–79 usable with the warnings in
	// mind, 40–59 worth re-recording, under 40 not usable for cloning.
	Score int `json:"score"`
	// Warnings are human-readable problems, worst first; never nil.
	Warnings []string `json:"warnings"`
}

// Floors for levels that would otherwise be −Inf.
const (
	minLUFS = -70.0
	minDBTP = -120.0
)

// How much speech a voice needs, in seconds of speech (pauses and silence
// do not count). Below MinSpeechSeconds a sample is refused; up to
// RecommendedSpeechSeconds the report warns, and says why: a voice learns
// how each sound is said from up to that much speech.
const (
	MinSpeechSeconds         = 10.0
	RecommendedSpeechSeconds = 30.0
)

// Thresholds behind the other warnings.
const (
	tooQuietLUFS = -45.0
	noisySNR     = 20.0
	clipWarn     = 0.001
	narrowBandHz = 7000.0
)

// subscore is one factor of the quality score, 0–100.
type subscore struct {
	score, weight float64
	warning       string
}

// interp maps x through the piecewise-linear curve (xs[i], ys[i]), flat
// beyond both ends.
func interp(x float64, xs, ys []float64) float64 {
	if x <= xs[0] {
		return ys[0]
	}
	for i := 1; i < len(xs); i++ {
		if x <= xs[i] {
			t := (x - xs[i-1]) / (xs[i] - xs[i-1])
			return ys[i-1] + t*(ys[i]-ys[i-1])
		}
	}
	return ys[len(ys)-1]
}

// score multiplies the sub-scores, each raised to its weight (a geometric
// combination without renormalising the weights), so that one bad factor
// pulls the score down by itself: 10 s of otherwise perfect speech scores
// about 58, speech 10 dB above the noise as well about 34. The warnings
// come out worst sub-score first.
func (r *Report) score(extra []subscore) {
	subs := []subscore{
		speechScore(r.SpeechSeconds),
		snrScore(r.SNRDB, r.SpeechSeconds),
		clipScore(r.ClippingRatio),
		levelScore(r.LoudnessLUFS),
	}
	subs = append(subs, extra...)
	var logSum float64
	for _, s := range subs {
		logSum += s.weight * math.Log(math.Max(s.score, 1)/100)
	}
	r.Score = int(math.Round(100 * math.Exp(logSum)))
	if r.SpeechSeconds < 0.5 {
		r.Score = 0 // nothing to clone, however clean the silence
	}
	sortByScore(subs)
	r.Warnings = []string{}
	for _, s := range subs {
		if s.warning != "" {
			r.Warnings = append(r.Warnings, s.warning)
		}
	}
}

func sortByScore(s []subscore) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].score < s[j-1].score; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func speechScore(sec float64) subscore {
	s := subscore{score: interp(sec, []float64{0, 10, 30, 60, 180}, []float64{1, 40, 70, 90, 100}), weight: 0.6}
	switch {
	case sec < 0.5:
		s.warning = "no speech found"
	case sec < MinSpeechSeconds:
		s.warning = fmt.Sprintf("too little speech: %.1f s (at least %.0f s needed, %.0f s or more recommended)", sec, MinSpeechSeconds, RecommendedSpeechSeconds)
	case sec < RecommendedSpeechSeconds:
		s.warning = fmt.Sprintf("little speech: %.1f s (%.0f s or more recommended, in this sample or with others: "+
			"a voice learns how each sound is said from up to %.0f s of speech)", sec, RecommendedSpeechSeconds, RecommendedSpeechSeconds)
	}
	return s
}

func snrScore(snr, speech float64) subscore {
	s := subscore{score: interp(snr, []float64{5, 10, 20, 30}, []float64{10, 40, 75, 100}), weight: 0.6}
	if speech < 0.5 {
		return subscore{score: 100, weight: 0} // no speech: SNR means nothing
	}
	if snr < noisySNR {
		s.warning = fmt.Sprintf("too noisy: speech is only %.0f dB above the background (25 dB or more recommended)", snr)
	}
	return s
}

func clipScore(ratio float64) subscore {
	s := subscore{score: interp(ratio, []float64{clipWarn, 0.01, 0.05}, []float64{100, 40, 10}), weight: 0.6}
	if ratio > clipWarn {
		s.warning = fmt.Sprintf("clipped: %.2f%% of samples are flattened at full level (record with lower input gain)", 100*ratio)
	}
	return s
}

func levelScore(lufs float64) subscore {
	s := subscore{score: interp(lufs, []float64{-60, tooQuietLUFS}, []float64{40, 100}), weight: 0.3}
	if lufs < tooQuietLUFS {
		s.warning = fmt.Sprintf("too quiet: %.0f LUFS (speak closer to the microphone or raise the input gain)", lufs)
	}
	return s
}

func bandwidthScore(hz float64) subscore {
	s := subscore{score: interp(hz, []float64{3000, narrowBandHz}, []float64{50, 100}), weight: 0.3}
	if hz < narrowBandHz {
		s.warning = fmt.Sprintf("narrow bandwidth: nothing above %.1f kHz (telephone or low-bitrate recording)", hz/1000)
	}
	return s
}

func floorLevel(v, floor float64) float64 {
	if math.IsNaN(v) || v < floor {
		return floor
	}
	return v
}

// round returns v rounded to the given number of decimals, to keep reports
// readable: nothing measured here is meaningful beyond them.
func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

func (r *Report) roundFields() {
	r.DurationSeconds = round(r.DurationSeconds, 3)
	r.SpeechSeconds = round(r.SpeechSeconds, 2)
	r.LoudnessLUFS = round(r.LoudnessLUFS, 2)
	r.TruePeakDBTP = round(r.TruePeakDBTP, 2)
	r.SNRDB = round(r.SNRDB, 1)
	r.ClippingRatio = round(r.ClippingRatio, 6)
}

// PooledScore is the quality score of several samples of one voice taken
// together. Each report's score is kept but for its speech-length factor,
// which is recomputed on the total speech: ten clean 4 s clips make a good
// 40 s voice, although each clip alone is "too little speech". The result
// is the speech-weighted mean; reports without speech count for nothing.
func PooledScore(reports []Report) int {
	var total float64
	for _, r := range reports {
		if r.SpeechSeconds >= 0.5 {
			total += r.SpeechSeconds
		}
	}
	if total == 0 {
		return 0
	}
	pooled := speechScore(total)
	var sum float64
	for _, r := range reports {
		if r.SpeechSeconds < 0.5 {
			continue
		}
		own := speechScore(r.SpeechSeconds)
		s := float64(r.Score) * math.Pow(pooled.score/own.score, own.weight)
		sum += math.Min(s, 100) * r.SpeechSeconds
	}
	return int(math.Round(sum / total))
}
