package eval

import (
	"context"
	"fmt"

	"github.com/voxclone/voxclone/internal/audio"
)

// condResult is one speaker's outcome in one condition.
type condResult struct {
	n, right, rightNorm    int
	decoyWin, decoyWinNorm int     // utterances whose speaker beat every decoy
	margin, marginNorm     float64 // sums over utterances
	f0                     float64 // robust median F0 of the clips, 0 if unvoiced
	wer                    ErrorCounts
}

// speakerResult gathers one speaker's outcomes.
type speakerResult struct {
	conds        []condResult
	base         ErrorCounts
	real         condResult // the reference half's real speech, identified
	realF0       float64    // median F0 of the held-out half
	refF0        float64    // and of the reference half the clone was built from
	cloneSeconds float64
	synthSeconds float64
	audioSeconds float64
}

// score runs speaker identification, F0 and speech recognition over the
// synthesized clips and assembles the report.
func score(ctx context.Context, speakers []Speaker, real []realSpeech, ids identifiers, syn []synthesis, cfg Config,
	ph *Phases, lap func() float64) (*Report, error) {
	res := make([]speakerResult, len(speakers))
	err := forEach(ctx, len(speakers), cfg.Workers, func(s int) error {
		r := &res[s]
		r.real = tally(ids, s, real[s].refRaw, real[s].refNorm)
		r.realF0, r.refF0 = medianF0(real[s].heldOut), medianF0(real[s].ref)
		r.cloneSeconds, r.synthSeconds, r.audioSeconds = syn[s].cloneSeconds, syn[s].synthSeconds, syn[s].audioSeconds
		for _, clips := range syn[s].conds {
			r.conds = append(r.conds, identify(ids, s, clips))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ph.Identify = lap()
	if cfg.Recognizer != nil {
		if err := recognize(ctx, cfg, syn, res); err != nil {
			return nil, err
		}
	}
	ph.Recognize = lap()
	return buildReport(speakers, res, cfg), nil
}

// identify scores one speaker's clips in one condition.
func identify(ids identifiers, target int, clips []clip) condResult {
	fx := newMFCCExtractor()
	var raw, norm [][][]float64
	var audio [][]float32
	for _, cl := range clips {
		r, n := fx.features(cl.audio.Samples)
		raw, norm = append(raw, r), append(norm, n)
		audio = append(audio, cl.audio.Samples)
	}
	c := tally(ids, target, raw, norm)
	c.f0 = medianF0(audio)
	return c
}

// tally identifies utterances of speaker target. An utterance without
// speech (nil features) counts as a miss.
func tally(ids identifiers, target int, raw, norm [][][]float64) condResult {
	var c condResult
	for i := range raw {
		c.n++
		if raw[i] == nil {
			continue
		}
		sp, dc := ids.raw.scores(raw[i])
		d := decide(sp, dc, target)
		sp, dc = ids.norm.scores(norm[i])
		dn := decide(sp, dc, target)
		c.right += b2i(d.Correct)
		c.rightNorm += b2i(dn.Correct)
		c.decoyWin += b2i(d.BeatsDecoys)
		c.decoyWinNorm += b2i(dn.BeatsDecoys)
		c.margin += d.Margin
		c.marginNorm += dn.Margin
	}
	return c
}

// recognize transcribes every clip with the closed-vocabulary recognizer,
// in one batch per worker, and stores the error counts.
func recognize(ctx context.Context, cfg Config, syn []synthesis, res []speakerResult) error {
	type item struct {
		speaker, cond int // cond -1 is the base voice
		sentence      int
		audio         *audio.PCM
	}
	var items []item
	for s, sy := range syn {
		for c, clips := range sy.conds {
			for _, cl := range clips {
				items = append(items, item{s, c, cl.sentence, cl.audio})
			}
		}
		for _, cl := range sy.base {
			items = append(items, item{s, -1, cl.sentence, cl.audio})
		}
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = 2
	}
	chunks := min(workers, len(items))
	hyps := make([]string, len(items))
	err := forEach(ctx, chunks, chunks, func(k int) error {
		lo, hi := k*len(items)/chunks, (k+1)*len(items)/chunks
		utts := make([]*audio.PCM, 0, hi-lo)
		for _, it := range items[lo:hi] {
			utts = append(utts, it.audio)
		}
		h, err := cfg.Recognizer.Transcribe(ctx, utts, cfg.Sentences)
		copy(hyps[lo:hi], h)
		return err
	})
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	for i, it := range items {
		e := CountErrors(NormalizeWords(cfg.Sentences[it.sentence]), NormalizeWords(hyps[i]))
		if it.cond < 0 {
			res[it.speaker].base.Add(e)
		} else {
			res[it.speaker].conds[it.cond].wer.Add(e)
		}
	}
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(a, b float64) float64 {
	if b == 0 { // keeps the report JSON-encodable
		return 0
	}
	return a / b
}
