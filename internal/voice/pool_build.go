package voice

import (
	"context"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice/align"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// labelSeconds bounds how much reference audio Clone labels with phones.
// Labelling 20 or 15 s instead cost likeness in voxclone eval (id_acc_norm
// 0.74 → 0.67, docs/performance.md), so it stays at 30.
// Alignment costs 23–31 ms of CPU per second of audio, and 60 s of
// reference must clone in under 2 s on one core: the analysis itself takes
// 0.9–1.3 s of that. Frames beyond the budget stay out of the pool.
const labelSeconds = 30.0

// minLabelSeconds is the shortest stretch worth labelling: the recogniser
// needs context, and a few frames do not make a pool.
const minLabelSeconds = 2.0

// labelFrames labels the 10 ms analysis frames of prepared reference x with
// phones: forced alignment when the transcript is usable, else (or when
// alignment fails) phone recognition. It labels at most *budget seconds,
// from the start, and charges the budget for every pass, so a failed
// alignment leaves less for recognition. It returns nil labels when
// nothing could be labelled (no model, too little budget); only a
// cancelled ctx is an error. aligned reports labels from the transcript.
func labelFrames(ctx context.Context, x []float64, transcript string, budget *float64) (labels []string, aligned bool, err error) {
	n := len(x)
	if speakable(transcript) && float64(n)/analysisRate <= *budget {
		*budget -= float64(n) / analysisRate
		segs, err := align.Align(ctx, toPCM(x), transcript)
		if err == nil {
			return frameLabelsOf(segs, n), true, nil
		}
	}
	// A transcript cannot be aligned to a prefix, but recognition can.
	n = min(n, int(*budget*analysisRate))
	if err := ctx.Err(); err != nil || n < minLabelSeconds*analysisRate {
		return nil, false, err
	}
	*budget -= float64(n) / analysisRate
	segs, err := align.Recognize(ctx, toPCM(x[:n]))
	if err != nil {
		return nil, false, ctx.Err()
	}
	return frameLabelsOf(segs, n), false, nil
}

func toPCM(x []float64) *audio.PCM {
	return &audio.PCM{Rate: align.Rate, Channels: 1, Samples: f32s(x)}
}

// frameLabelsOf turns segments over n samples into normalised labels of
// the 10 ms analysis frames.
func frameLabelsOf(segs []align.Segment, n int) []string {
	labels := align.FrameLabels(segs, analysisPeriod/1000, world.NumFrames(n, analysisRate, analysisPeriod))
	for i, l := range labels {
		labels[i] = align.Normalize(l)
	}
	return labels
}

// poolAcc collects pool frames during enrolment analysis.
type poolAcc struct {
	pool  Pool
	ids   map[string]uint8
	byIdx map[int]int // analysis frame → pool frame, for the current chunk
}

func newPoolAcc() *poolAcc {
	return &poolAcc{pool: Pool{Dim: mcepOrder + 1, Bands: world.NumBands(analysisRate)}, ids: map[string]uint8{}}
}

// startChunk forgets the previous chunk's frame numbers. Like add and
// setAp, it does nothing on a nil accumulator (no pool wanted).
func (a *poolAcc) startChunk() {
	if a != nil {
		a.byIdx = map[int]int{}
	}
}

// add appends one labelled speech frame (silence and unknown labels are
// skipped) and remembers it as analysis frame i of the current chunk.
func (a *poolAcc) add(i int, label string, mc []float64, f0 float64, aligned bool) {
	if a == nil || label == "" || align.Class(label) == align.ClassSilence || align.Class(label) == align.ClassUnknown ||
		a.pool.Len() >= maxPoolFrames {
		return
	}
	id, ok := a.ids[label]
	if !ok {
		if len(a.pool.Phones) >= maxPoolPhones {
			return
		}
		id = uint8(len(a.pool.Phones))
		a.ids[label] = id
		a.pool.Phones = append(a.pool.Phones, label)
	}
	a.byIdx[i] = a.pool.Len()
	p := &a.pool
	p.Phone = append(p.Phone, id)
	lf := float32(0)
	if f0 > 0 {
		// StoneMask may refine a little past the tracker's range.
		lf = float32(clamp(math.Log(f0), math.Log(world.DefaultF0Floor), math.Log(world.DefaultF0Ceil)))
	}
	p.LogF0 = append(p.LogF0, lf)
	for range p.Bands {
		p.Ap = append(p.Ap, apUnknown)
	}
	for _, v := range mc {
		p.MCep = append(p.MCep, quantF16(v))
	}
	if aligned {
		p.Aligned++
	}
}

// setAp stores the coded aperiodicity (dB) of analysis frame i, if pooled.
func (a *poolAcc) setAp(i int, row []float64) {
	if a == nil {
		return
	}
	k, ok := a.byIdx[i]
	if !ok {
		return
	}
	for b, v := range row[:min(len(row), a.pool.Bands)] {
		a.pool.Ap[k*a.pool.Bands+b] = uint8(clamp(math.Round(-4*v), 0, apUnknown-1))
	}
}

// result returns the pool, or nil when it holds no frames.
func (a *poolAcc) result() *Pool {
	if a == nil || a.pool.Len() == 0 {
		return nil
	}
	p := a.pool
	return &p
}
