package voice

import (
	"context"
	"fmt"
	"math"
)

// analysisHop is the frame hop of enrolment analysis.
const analysisHop = 0.01

// buildProfile cleans the references and measures the speaker.
func (e *Engine) buildProfile(ctx context.Context, refs []Reference) (*Profile, error) {
	var logF0 []float64
	var speech, frames float64
	for i, r := range refs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if r.Audio == nil || r.Audio.Frames() == 0 {
			continue
		}
		x, secs, err := prepare(r.Audio)
		if err != nil {
			return nil, fmt.Errorf("voice: reference %d: %w", i+1, err)
		}
		speech += secs
		tr := trackPitch(x.Samples, x.Rate, analysisHop)
		frames += float64(len(tr.F0))
		for _, f := range tr.F0 {
			if f > 0 {
				logF0 = append(logF0, math.Log(f))
			}
		}
	}
	if float64(len(logF0))*analysisHop < minVoicedSeconds {
		return nil, ErrNoSpeech
	}
	p := &Profile{ParamsHash: paramsHash, SpeechSeconds: float32(speech)}
	p.Prosody = prosodyStats(logF0, frames)
	bs, err := e.bases(ctx)
	if err != nil {
		return nil, err
	}
	p.Base = chooseBase(p.Prosody, bs)
	return p, nil
}

// paramsHash names the analysis settings of this engine version; it changes
// when a change makes old profiles measure something else.
const paramsHash = 0x5643_0001

func prosodyStats(logF0 []float64, frames float64) Prosody {
	med, sd := robustStats(logF0)
	w := append([]float64(nil), logF0...)
	return Prosody{
		LogF0Median: float32(med),
		LogF0SD:     float32(sd),
		LogF0P05:    float32(quantile(w, 0.05)),
		LogF0P95:    float32(quantile(w, 0.95)),
		VoicedRatio: float32(float64(len(logF0)) / math.Max(1, frames)),
	}
}

// chooseBase picks the base voice whose median F0 is nearest the speaker's
// (in log terms) and records its statistics as the F0 mapping's source.
func chooseBase(pr Prosody, bs map[string]baseStats) BaseFit {
	best := ""
	for _, name := range baseVoices {
		d := math.Abs(bs[name].logF0Median - float64(pr.LogF0Median))
		if best == "" || d < math.Abs(bs[best].logF0Median-float64(pr.LogF0Median)) {
			best = name
		}
	}
	b := bs[best]
	return BaseFit{Voice: best, BaseLogF0Median: float32(b.logF0Median), BaseLogF0SD: float32(b.logF0SD), Warp: 1}
}
