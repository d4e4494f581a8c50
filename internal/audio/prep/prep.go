// Package prep turns a voice sample as uploaded into what the voice engine
// analyses: clean mono speech at a fixed rate, long pauses shortened, at a
// fixed loudness. It also reports on the sample's quality (duration, speech,
// noise, clipping, loudness) with a 0–100 score and warnings a user can act
// on. Every step is a small exported function so the engine can reuse them.
package prep

import (
	"slices"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/loudness"
)

// Options tune Prepare. The zero value means the defaults.
type Options struct {
	Rate       int     // output sample rate; 0 means 16000
	TargetLUFS float64 // output integrated loudness; 0 means −23 (EBU R128)
}

// DefaultOptions returns the defaults: 16 kHz, −23 LUFS.
func DefaultOptions() Options { return Options{Rate: 16000, TargetLUFS: -23} }

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Rate <= 0 {
		o.Rate = d.Rate
	}
	if o.TargetLUFS == 0 {
		o.TargetLUFS = d.TargetLUFS
	}
	return o
}

// Processing constants.
const (
	analysisRate  = 16000
	highPassHz    = 50 // no higher: low male voices reach down to ~60 Hz
	denoiseBelow  = 25 // dB SNR under which noise reduction runs
	outputCeiling = -1 // dBTP after normalisation
)

// analysis is what both Analyze and Prepare compute: the cleaned mono
// signal at the working rate, its frame classification and the report.
type analysis struct {
	x      []float32 // mono, resampled, high-passed; owned
	rate   int
	frames *frames
	segs   []Segment
	report Report
}

// HighPass removes DC and rumble below 50 Hz from mono x in place with a
// 2nd-order Butterworth high-pass.
func HighPass(x []float32, rate int) {
	dsp.HighPass(highPassHz, float64(rate), 0.7071067811865476).Process(x)
}

func analyze(p *audio.PCM, rate int) *analysis {
	r := Report{
		DurationSeconds: p.Seconds(),
		SampleRate:      p.Rate,
		Channels:        p.Channels,
		LoudnessLUFS:    floorLevel(loudness.Integrated(p), minLUFS),
		TruePeakDBTP:    floorLevel(loudness.TruePeak(p), minDBTP),
		ClippingRatio:   ClippingRatio(p),
	}
	m := Downmix(p)
	m = dsp.Resample(m, rate)
	x := m.Samples
	if m == p {
		x = slices.Clone(x) // never filter the caller's samples
	}
	HighPass(x, rate)
	a := &analysis{x: x, rate: rate, frames: analyzeFrames(x, rate), report: r}
	a.segs = a.frames.segments(len(x))
	for _, s := range a.segs {
		a.report.SpeechSeconds += s.Seconds(rate)
	}
	a.report.SNRDB = a.frames.snr()
	extra := []subscore{
		bandwidthScore(bandwidth(x, rate, a.frames)),
		voicesScore(analyzeVoicing(x, rate, a.frames), a.report.SpeechSeconds),
	}
	a.report.roundFields()
	a.report.score(extra)
	return a
}

// Analyze reports on p as given. It does not modify p.
func Analyze(p *audio.PCM) Report {
	if p == nil || p.Frames() == 0 || p.Rate <= 0 {
		return emptyReport(p)
	}
	return analyze(p, analysisRate).report
}

// Prepare returns p as cleaned mono speech at opt.Rate: downmixed,
// resampled, high-passed, denoised when the SNR is under 25 dB, leading and
// trailing silence trimmed and long pauses shortened, then normalised to
// opt.TargetLUFS with true peak ≤ −1 dBTP. The report describes the input.
// It does not modify p. An empty input gives an empty PCM.
func Prepare(p *audio.PCM, opt Options) (*audio.PCM, Report) {
	opt = opt.withDefaults()
	if p == nil || p.Frames() == 0 || p.Rate <= 0 {
		return &audio.PCM{Rate: opt.Rate, Channels: 1}, emptyReport(p)
	}
	out, a, _ := prepare(p, opt)
	return out, a.report
}

// prepare is Prepare on a non-empty input; denoised tells whether noise
// reduction ran.
func prepare(p *audio.PCM, opt Options) (out *audio.PCM, a *analysis, denoised bool) {
	a = analyze(p, opt.Rate)
	x := a.x
	if denoised = a.report.SNRDB < denoiseBelow && len(a.segs) > 0; denoised {
		x = Denoise(x, a.rate, a.frames.speech, a.frames.hop)
	}
	x = ShortenPauses(x, a.rate, a.segs)
	out = loudness.Normalize(&audio.PCM{Rate: a.rate, Channels: 1, Samples: x}, opt.TargetLUFS, outputCeiling)
	return out, a, denoised
}

func emptyReport(p *audio.PCM) Report {
	r := Report{LoudnessLUFS: minLUFS, TruePeakDBTP: minDBTP}
	if p != nil {
		r.SampleRate, r.Channels = p.Rate, p.Channels
	}
	r.score(nil)
	return r
}
