package voice

import (
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/prep"
)

// prepare cleans one reference for analysis: mono speech at analysisRate,
// pauses shortened, at −23 LUFS, as prep's own float32 samples (half the
// memory of float64 to hold while other references wait). It also returns
// prep's quality report and the map onto the input's full band (nil when
// there is no output).
func prepare(p *audio.PCM) ([]float32, prep.Report, *prep.Spans, error) {
	clean, rep, spans := prep.PrepareSpans(p, prep.Options{Rate: analysisRate, TargetLUFS: -23})
	if clean == nil || clean.Frames() == 0 {
		return nil, rep, nil, audio.ErrEmpty
	}
	return clean.Samples, rep, spans, nil
}

// resampleTo converts mono x from rate in to rate out.
func resampleTo(x []float64, in, out int) []float64 {
	if in == out {
		return x
	}
	p := dsp.Resample(&audio.PCM{Rate: in, Channels: 1, Samples: f32s(x)}, out)
	return toFloat64(p.Samples)
}
