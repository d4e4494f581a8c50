package eval

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Report is the outcome of one evaluation. Rates are fractions (0–1).
// Pointer fields are absent when they could not be measured.
type Report struct {
	Engine    string  `json:"engine,omitempty"` // the engine's Name, if it has one
	Sentences int     `json:"sentences"`
	Chance    float64 `json:"chance"` // 1/N for N speakers
	// Speakers and Overall are for the engine's default setting.
	Speakers []SpeakerReport `json:"speakers"`
	Overall  Scores          `json:"overall"`
	// IDAccNormCI is a 95% bootstrap interval of Overall.IDAccNorm,
	// resampling speakers (their sentences are not independent).
	IDAccNormCI [2]float64 `json:"id_acc_norm_ci95"`
	// Frontier has one point per requested similarity setting.
	Frontier []FrontierPoint `json:"frontier,omitempty"`
	// Degraded has one point per degradation of the references.
	Degraded       []DegradedPoint `json:"degraded,omitempty"`
	Skipped        []string        `json:"skipped,omitempty"` // speakers with too few files
	RuntimeSeconds float64         `json:"runtime_s"`
	Phases         Phases          `json:"phases_s"`
}

// Phases is the wall time of each stage of Run, in seconds.
type Phases struct {
	Prepare    float64 `json:"prepare"`    // decoding-side work: features and F0 of real speech
	Train      float64 `json:"train"`      // UBM EM and MAP adaptation (both identifiers)
	Synthesize float64 `json:"synthesize"` // cloning and synthesis, base voice included
	Identify   float64 `json:"identify"`   // features, F0 and scoring of every clip
	Recognize  float64 `json:"recognize"`  // pocketsphinx
}

// Scores are one speaker's figures, or all speakers' pooled.
type Scores struct {
	IDAcc      float64 `json:"id_acc"`          // clones identified as their speaker
	IDAccNorm  float64 `json:"id_acc_norm"`     // the same with CMVN features
	Margin     float64 `json:"llr_margin"`      // mean LLR of the speaker minus the best other
	MarginNorm float64 `json:"llr_margin_norm"` // the same with CMVN features
	// DecoyWin and DecoyWinNorm are the share of clones whose speaker
	// scores above every decoy (base voice) model; absent without decoys.
	DecoyWin     *float64 `json:"decoy_win,omitempty"`
	DecoyWinNorm *float64 `json:"decoy_win_norm,omitempty"`
	// F0ErrorST is |median F0 of the clone − of the real speech| in
	// semitones (overall: the mean over speakers).
	F0ErrorST *float64 `json:"f0_error_st,omitempty"`
	// F0RefErrorST is the same against the reference half the clone was
	// built from: the engine's own pitch error, without the speaker's
	// drift between the halves. Diagnostic only.
	F0RefErrorST *float64 `json:"f0_ref_error_st,omitempty"`
	// WER is the clone's word error rate on the fixed sentences with the
	// main (open-vocabulary) recognizer, BaseWER the unconverted base
	// voice's; LoopWER and BaseLoopWER are the same with the word loop.
	WER         *float64 `json:"wer,omitempty"`
	BaseWER     *float64 `json:"base_wer,omitempty"`
	LoopWER     *float64 `json:"loop_wer,omitempty"`
	BaseLoopWER *float64 `json:"base_loop_wer,omitempty"`
	// HeldWER is the clone's WER reading transcribed held-out sentences
	// of its speaker, RealWER the speaker's own recordings of the same
	// sentences, by the same recognizer; HeldTexts counts the sentences.
	HeldWER   *float64 `json:"held_wer,omitempty"`
	RealWER   *float64 `json:"real_wer,omitempty"`
	HeldTexts int      `json:"held_texts,omitempty"`
	// RealIDAcc and RealIDAccNorm identify real utterances the identifier
	// never saw (the reference half): the ceiling for IDAcc and IDAccNorm.
	RealIDAcc     *float64 `json:"real_id_acc,omitempty"`
	RealIDAccNorm *float64 `json:"real_id_acc_norm,omitempty"`
	// IDAccNormFloor, MarginNormFloor and RealIDAccNormFloor are a
	// secondary column, not the protocol's figure: IDAccNorm, MarginNorm
	// and RealIDAccNorm from an identifier whose frames must also stand
	// above each recording's noise floor (floorFrames), so a noisy
	// speaker's model does not learn its pauses.
	IDAccNormFloor     *float64 `json:"id_acc_norm_floor,omitempty"`
	MarginNormFloor    *float64 `json:"llr_margin_norm_floor,omitempty"`
	RealIDAccNormFloor *float64 `json:"real_id_acc_norm_floor,omitempty"`
	CloneSeconds       float64  `json:"clone_s"` // wall time of Clone (overall: mean)
	RTF                float64  `json:"rtf"`     // synthesis time over output duration
}

// SpeakerReport is one speaker's result.
type SpeakerReport struct {
	Speaker          string   `json:"speaker"`
	ReferenceUtts    int      `json:"reference_utts"`
	ReferenceSeconds float64  `json:"reference_s"`
	HeldOutUtts      int      `json:"held_out_utts"`
	RealF0Hz         *float64 `json:"real_f0_hz,omitempty"` // held-out half
	// ReferenceF0Hz is the reference half's median F0. It is not scored;
	// it separates the engine's pitch error from the speaker's own drift
	// between the halves.
	ReferenceF0Hz *float64 `json:"reference_f0_hz,omitempty"`
	CloneF0Hz     *float64 `json:"clone_f0_hz,omitempty"`
	Scores
	// Degraded has the speaker's clones from each degradation of its
	// references (JSON only), to find which speakers lose most.
	Degraded []SpeakerDegraded `json:"degraded,omitempty"`
}

// SpeakerDegraded is one speaker's outcome from degraded references.
type SpeakerDegraded struct {
	Degradation string   `json:"degradation"`
	IDAccNorm   float64  `json:"id_acc_norm"`
	MarginNorm  float64  `json:"llr_margin_norm"`
	WER         *float64 `json:"wer,omitempty"`
}

// FrontierPoint is the pooled outcome at one similarity setting.
type FrontierPoint struct {
	Similarity float64 `json:"similarity"`
	IDAcc      float64 `json:"id_acc"`
	IDAccNorm  float64 `json:"id_acc_norm"`
	MarginNorm float64 `json:"llr_margin_norm"`
	// DecoyWinNorm: share of clones scoring above every decoy (CMVN).
	DecoyWinNorm *float64 `json:"decoy_win_norm,omitempty"`
	F0ErrorST    *float64 `json:"f0_error_st,omitempty"`
	WER          *float64 `json:"wer,omitempty"`
	LoopWER      *float64 `json:"loop_wer,omitempty"`
}

// DegradedPoint is the pooled outcome of cloning from degraded references,
// read at the default setting and scored against the clean held-out speech.
type DegradedPoint struct {
	Degradation  string   `json:"degradation"`
	IDAcc        float64  `json:"id_acc"`
	IDAccNorm    float64  `json:"id_acc_norm"`
	MarginNorm   float64  `json:"llr_margin_norm"`
	DecoyWinNorm *float64 `json:"decoy_win_norm,omitempty"`
	F0ErrorST    *float64 `json:"f0_error_st,omitempty"`
	WER          *float64 `json:"wer,omitempty"`
	LoopWER      *float64 `json:"loop_wer,omitempty"`
	// IDAccNormRatio is IDAccNorm over the clean references' (absent when
	// that is 0), WERDelta the WER minus theirs.
	IDAccNormRatio *float64 `json:"id_acc_norm_ratio,omitempty"`
	WERDelta       *float64 `json:"wer_delta,omitempty"`
	// Rejected names the speakers whose degraded references the engine
	// refused (too little voiced speech); they count as unidentified
	// clones with every word missing.
	Rejected []string `json:"rejected,omitempty"`
}

func buildReport(speakers []Speaker, res []speakerResult, syn []synthesis, cfg Config) *Report {
	rep := &Report{Sentences: len(cfg.Sentences), Chance: 1 / float64(len(speakers))}
	for s, spk := range speakers {
		sr := SpeakerReport{Speaker: spk.Name, ReferenceUtts: len(spk.Reference), HeldOutUtts: len(spk.HeldOut)}
		for _, u := range spk.Reference {
			sr.ReferenceSeconds += u.Audio.Seconds()
		}
		sr.RealF0Hz, sr.CloneF0Hz = positive(res[s].realF0), positive(res[s].conds[0].f0)
		sr.ReferenceF0Hz = positive(res[s].refF0)
		sr.Scores = pooledScores(res[s:s+1], condition(0), cfg)
		sr.HeldTexts = len(syn[s].heldClone)
		for i, d := range cfg.Degrade {
			sc := pooledScores(res[s:s+1], degradation(i), cfg)
			sr.Degraded = append(sr.Degraded, SpeakerDegraded{Degradation: d.Name, IDAccNorm: sc.IDAccNorm,
				MarginNorm: sc.MarginNorm, WER: sc.WER})
		}
		rep.Speakers = append(rep.Speakers, sr)
	}
	rep.Overall = pooledScores(res, condition(0), cfg)
	for _, sr := range rep.Speakers {
		rep.Overall.HeldTexts += sr.HeldTexts
	}
	rep.IDAccNormCI = bootstrapCI(res)
	for i, sim := range cfg.Similarity {
		sc := pooledScores(res, condition(i+1), cfg)
		rep.Frontier = append(rep.Frontier, FrontierPoint{Similarity: sim, IDAcc: sc.IDAcc,
			IDAccNorm: sc.IDAccNorm, MarginNorm: sc.MarginNorm, DecoyWinNorm: sc.DecoyWinNorm,
			F0ErrorST: sc.F0ErrorST, WER: sc.WER, LoopWER: sc.LoopWER})
	}
	for i, d := range cfg.Degrade {
		sc := pooledScores(res, degradation(i), cfg)
		p := DegradedPoint{Degradation: d.Name, IDAcc: sc.IDAcc, IDAccNorm: sc.IDAccNorm,
			MarginNorm: sc.MarginNorm, DecoyWinNorm: sc.DecoyWinNorm, F0ErrorST: sc.F0ErrorST,
			WER: sc.WER, LoopWER: sc.LoopWER}
		if rep.Overall.IDAccNorm > 0 {
			p.IDAccNormRatio = ptr(sc.IDAccNorm / rep.Overall.IDAccNorm)
		}
		if sc.WER != nil && rep.Overall.WER != nil {
			p.WERDelta = ptr(*sc.WER - *rep.Overall.WER)
		}
		for s, r := range res {
			if r.degraded[i].rejected {
				p.Rejected = append(p.Rejected, speakers[s].Name)
			}
		}
		rep.Degraded = append(rep.Degraded, p)
	}
	return rep
}

// condition picks a speaker's c-th similarity condition (0: the default).
func condition(c int) func(speakerResult) condResult {
	return func(r speakerResult) condResult { return r.conds[c] }
}

// degradation selects a speaker's clones from degradation d of its
// references.
func degradation(d int) func(speakerResult) condResult {
	return func(r speakerResult) condResult { return r.degraded[d] }
}

// pooledScores pools utterances over the given speakers in the condition
// cond picks; F0 error and clone time are means over speakers.
func pooledScores(res []speakerResult, cond func(speakerResult) condResult, cfg Config) Scores {
	var (
		n, right, rightNorm    int
		rightFloor, realRF     float64
		marginFloor            float64
		floorScored            bool
		decoy, decoyNorm       int
		margin, marginNorm     float64
		f0Sum, f0RefSum        float64
		f0N, f0RefN            int
		wer, base, loop, bLoop ErrorCounts
		held, heldReal         ErrorCounts
		realN, realR, realRN   float64
		cloneS, synthS, audioS float64
	)
	for _, r := range res {
		cr := cond(r)
		n, right, rightNorm = n+cr.n, right+cr.right, rightNorm+cr.rightNorm
		decoy, decoyNorm = decoy+cr.decoyWin, decoyNorm+cr.decoyWinNorm
		margin, marginNorm = margin+cr.margin, marginNorm+cr.marginNorm
		rightFloor, marginFloor = rightFloor+float64(cr.rightFloor), marginFloor+cr.marginFloor
		realRF += float64(r.real.rightFloor)
		floorScored = floorScored || cr.floorScored
		if r.realF0 > 0 && cr.f0 > 0 {
			f0Sum += semitones(cr.f0, r.realF0)
			f0N++
		}
		if r.refF0 > 0 && cr.f0 > 0 {
			f0RefSum += semitones(cr.f0, r.refF0)
			f0RefN++
		}
		wer.Add(cr.wer)
		base.Add(r.base)
		loop.Add(cr.loop)
		bLoop.Add(r.baseLoop)
		held.Add(r.heldClone)
		heldReal.Add(r.heldReal)
		realN, realR, realRN = realN+float64(r.real.n), realR+float64(r.real.right), realRN+float64(r.real.rightNorm)
		cloneS, synthS, audioS = cloneS+r.cloneSeconds, synthS+r.synthSeconds, audioS+r.audioSeconds
	}
	fn := float64(n)
	sc := Scores{
		IDAcc: ratio(float64(right), fn), IDAccNorm: ratio(float64(rightNorm), fn),
		Margin: ratio(margin, fn), MarginNorm: ratio(marginNorm, fn),
		CloneSeconds: cloneS / float64(len(res)), RTF: ratio(synthS, audioS),
	}
	if floorScored {
		sc.IDAccNormFloor, sc.MarginNormFloor = ptr(ratio(rightFloor, fn)), ptr(ratio(marginFloor, fn))
	}
	if len(cfg.Decoys) > 0 {
		sc.DecoyWin, sc.DecoyWinNorm = ptr(ratio(float64(decoy), fn)), ptr(ratio(float64(decoyNorm), fn))
	}
	if f0N > 0 {
		sc.F0ErrorST = ptr(f0Sum / float64(f0N))
	}
	if f0RefN > 0 {
		sc.F0RefErrorST = ptr(f0RefSum / float64(f0RefN))
	}
	if cfg.Recognizer != nil {
		sc.WER, sc.BaseWER = werOf(wer), werOf(base)
		sc.HeldWER, sc.RealWER = werOf(held), werOf(heldReal)
	}
	if cfg.Loop != nil {
		sc.LoopWER, sc.BaseLoopWER = werOf(loop), werOf(bLoop)
	}
	if realN > 0 {
		sc.RealIDAcc, sc.RealIDAccNorm = ptr(realR/realN), ptr(realRN/realN)
		if floorScored {
			sc.RealIDAccNormFloor = ptr(realRF / realN)
		}
	}
	return sc
}

// bootstrapCI resamples speakers with replacement (fixed seed) and returns
// the 2.5 and 97.5 percentiles of the pooled CMVN accuracy.
func bootstrapCI(res []speakerResult) [2]float64 {
	rng := rand.New(rand.NewPCG(7, 7))
	const rounds = 2000
	acc := make([]float64, 0, rounds)
	for b := 0; b < rounds; b++ {
		var n, right int
		for range res {
			r := res[rng.IntN(len(res))].conds[0]
			n, right = n+r.n, right+r.rightNorm
		}
		if n > 0 {
			acc = append(acc, float64(right)/float64(n))
		}
	}
	if len(acc) == 0 {
		return [2]float64{}
	}
	sort.Float64s(acc)
	return [2]float64{percentile(acc, 0.025), percentile(acc, 0.975)}
}

func ptr(v float64) *float64 { return &v }

// werOf is the pooled rate, or nil when nothing was scored.
func werOf(c ErrorCounts) *float64 {
	if c.Ref == 0 {
		return nil
	}
	return ptr(c.WER())
}

func positive(v float64) *float64 {
	if v > 0 && !math.IsNaN(v) {
		return ptr(v)
	}
	return nil
}
