package eval

import (
	"context"
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// condResult is one speaker's outcome in one condition.
type condResult struct {
	n, right, rightNorm    int
	decoyWin, decoyWinNorm int     // utterances whose speaker beat every decoy
	margin, marginNorm     float64 // sums over utterances
	// rightFloor and marginFloor are the secondary CMVN identifier's
	// (frames above the noise floor; floorFrames); floorScored says it
	// was trained and consulted.
	rightFloor  int
	marginFloor float64
	floorScored bool
	f0          float64 // robust median F0 of the clips, 0 if unvoiced
	wer, loop   ErrorCounts
	rejected    bool // the engine found no voice in the references
}

// speakerResult gathers one speaker's outcomes.
type speakerResult struct {
	conds        []condResult
	degraded     []condResult // per cfg.Degrade
	base         ErrorCounts
	baseLoop     ErrorCounts
	heldClone    ErrorCounts // the clone on held-out transcripts
	heldReal     ErrorCounts // the real recordings of them
	real         condResult  // the reference half's real speech, identified
	realF0       float64     // median F0 of the held-out half
	refF0        float64     // and of the reference half the clone was built from
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
		tallyFloor(&r.real, ids.floor, s, real[s].refFloor)
		r.realF0, r.refF0 = medianF0(real[s].heldOut), medianF0(real[s].ref)
		r.cloneSeconds, r.synthSeconds, r.audioSeconds = syn[s].cloneSeconds, syn[s].synthSeconds, syn[s].audioSeconds
		for _, clips := range syn[s].conds {
			r.conds = append(r.conds, identify(ids, s, clips))
		}
		for d, clips := range syn[s].degraded {
			c := identify(ids, s, clips)
			if syn[s].rejected[d] {
				c = rejectedClone(cfg)
			}
			r.degraded = append(r.degraded, c)
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
	return buildReport(speakers, res, syn, cfg), nil
}

// identify scores one speaker's clips in one condition.
func identify(ids identifiers, target int, clips []clip) condResult {
	fx := newMFCCExtractor()
	var raw, norm, floor [][][]float64
	var audio [][]float32
	for _, cl := range clips {
		r, n, f := fx.allFeatures(cl.audio.Samples)
		raw, norm, floor = append(raw, r), append(norm, n), append(floor, f)
		audio = append(audio, cl.audio.Samples)
	}
	c := tally(ids, target, raw, norm)
	tallyFloor(&c, ids.floor, target, floor)
	c.f0 = medianF0(audio)
	return c
}

// rejectedClone scores a clone the engine refused to build as what the
// user gets: nothing identified, every word missing.
func rejectedClone(cfg Config) condResult {
	c := condResult{n: len(cfg.Sentences), rejected: true}
	for _, t := range cfg.Sentences {
		n := len(NormalizeWords(t))
		c.wer.Ref, c.wer.Deletions = c.wer.Ref+n, c.wer.Deletions+n
	}
	if cfg.Loop != nil {
		c.loop = c.wer
	}
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

// tallyFloor adds the secondary identifier's outcomes to c; an utterance
// without enough frames counts as a miss, as in tally.
func tallyFloor(c *condResult, id *identifier, target int, floor [][][]float64) {
	if id == nil {
		return
	}
	c.floorScored = true
	for _, x := range floor {
		if x == nil {
			continue
		}
		sp, _ := id.scores(x)
		d := decide(sp, math.Inf(-1), target)
		c.rightFloor += b2i(d.Correct)
		c.marginFloor += d.Margin
	}
}

// asrItem is one utterance to transcribe and where its errors go.
type asrItem struct {
	audio *audio.PCM
	text  string
	open  *ErrorCounts // main recognizer
	loop  *ErrorCounts // word loop, nil when not scored with it
}

// recognize transcribes every clip and real held-out recording and stores
// the error counts: all with the main recognizer, the fixed sentences also
// with the word loop when cfg.Loop is set.
func recognize(ctx context.Context, cfg Config, syn []synthesis, res []speakerResult) error {
	var items []asrItem
	add := func(clips []clip, open, loop *ErrorCounts) {
		if cfg.Loop == nil {
			loop = nil
		}
		for _, cl := range clips {
			items = append(items, asrItem{cl.audio, cl.text, open, loop})
		}
	}
	for s, sy := range syn {
		r := &res[s]
		for c, clips := range sy.conds {
			add(clips, &r.conds[c].wer, &r.conds[c].loop)
		}
		for d, clips := range sy.degraded {
			add(clips, &r.degraded[d].wer, &r.degraded[d].loop)
		}
		add(sy.base, &r.base, &r.baseLoop)
		add(sy.heldClone, &r.heldClone, nil)
		add(sy.heldReal, &r.heldReal, nil)
	}
	hyps, err := transcribeAll(ctx, cfg, cfg.Recognizer, items)
	if err != nil {
		return err
	}
	for i, it := range items {
		it.open.Add(CountErrors(NormalizeWords(it.text), NormalizeWords(hyps[i])))
	}
	if cfg.Loop == nil {
		return nil
	}
	var loopItems []asrItem
	for _, it := range items {
		if it.loop != nil {
			loopItems = append(loopItems, it)
		}
	}
	if hyps, err = transcribeAll(ctx, cfg, cfg.Loop, loopItems); err != nil {
		return err
	}
	for i, it := range loopItems {
		it.loop.Add(CountErrors(NormalizeWords(it.text), NormalizeWords(hyps[i])))
	}
	return nil
}

// transcribeAll decodes items in one batch per worker, so each decoder
// process loads its models once.
func transcribeAll(ctx context.Context, cfg Config, rec *Recognizer, items []asrItem) ([]string, error) {
	if len(items) == 0 {
		return nil, nil
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
		h, err := rec.Transcribe(ctx, utts, cfg.Sentences)
		copy(hyps[lo:hi], h)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	return hyps, nil
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
