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
	Frontier       []FrontierPoint `json:"frontier,omitempty"`
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
	WER          *float64 `json:"wer,omitempty"`      // clone word error rate
	BaseWER      *float64 `json:"base_wer,omitempty"` // unconverted base voice
	// RealIDAcc and RealIDAccNorm identify real utterances the identifier
	// never saw (the reference half): the ceiling for IDAcc and IDAccNorm.
	RealIDAcc     *float64 `json:"real_id_acc,omitempty"`
	RealIDAccNorm *float64 `json:"real_id_acc_norm,omitempty"`
	CloneSeconds  float64  `json:"clone_s"` // wall time of Clone (overall: mean)
	RTF           float64  `json:"rtf"`     // synthesis time over output duration
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
}

func buildReport(speakers []Speaker, res []speakerResult, cfg Config) *Report {
	rep := &Report{Sentences: len(cfg.Sentences), Chance: 1 / float64(len(speakers))}
	for s, spk := range speakers {
		sr := SpeakerReport{Speaker: spk.Name, ReferenceUtts: len(spk.Reference), HeldOutUtts: len(spk.HeldOut)}
		for _, u := range spk.Reference {
			sr.ReferenceSeconds += u.Audio.Seconds()
		}
		sr.RealF0Hz, sr.CloneF0Hz = positive(res[s].realF0), positive(res[s].conds[0].f0)
		sr.ReferenceF0Hz = positive(res[s].refF0)
		sr.Scores = pooledScores(res[s:s+1], 0, cfg)
		rep.Speakers = append(rep.Speakers, sr)
	}
	rep.Overall = pooledScores(res, 0, cfg)
	rep.IDAccNormCI = bootstrapCI(res)
	for i, sim := range cfg.Similarity {
		sc := pooledScores(res, i+1, cfg)
		rep.Frontier = append(rep.Frontier, FrontierPoint{Similarity: sim, IDAcc: sc.IDAcc,
			IDAccNorm: sc.IDAccNorm, MarginNorm: sc.MarginNorm, DecoyWinNorm: sc.DecoyWinNorm,
			F0ErrorST: sc.F0ErrorST, WER: sc.WER})
	}
	return rep
}

// pooledScores pools utterances over the given speakers in condition c;
// F0 error and clone time are means over speakers.
func pooledScores(res []speakerResult, c int, cfg Config) Scores {
	var (
		n, right, rightNorm    int
		decoy, decoyNorm       int
		margin, marginNorm     float64
		f0Sum, f0RefSum        float64
		f0N, f0RefN            int
		wer, base              ErrorCounts
		realN, realR, realRN   float64
		cloneS, synthS, audioS float64
	)
	for _, r := range res {
		cr := r.conds[c]
		n, right, rightNorm = n+cr.n, right+cr.right, rightNorm+cr.rightNorm
		decoy, decoyNorm = decoy+cr.decoyWin, decoyNorm+cr.decoyWinNorm
		margin, marginNorm = margin+cr.margin, marginNorm+cr.marginNorm
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
		realN, realR, realRN = realN+float64(r.real.n), realR+float64(r.real.right), realRN+float64(r.real.rightNorm)
		cloneS, synthS, audioS = cloneS+r.cloneSeconds, synthS+r.synthSeconds, audioS+r.audioSeconds
	}
	fn := float64(n)
	sc := Scores{
		IDAcc: ratio(float64(right), fn), IDAccNorm: ratio(float64(rightNorm), fn),
		Margin: ratio(margin, fn), MarginNorm: ratio(marginNorm, fn),
		CloneSeconds: cloneS / float64(len(res)), RTF: ratio(synthS, audioS),
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
	if cfg.Recognizer != nil && wer.Ref > 0 {
		sc.WER = ptr(wer.WER())
	}
	if cfg.Recognizer != nil && base.Ref > 0 {
		sc.BaseWER = ptr(base.WER())
	}
	if realN > 0 {
		sc.RealIDAcc, sc.RealIDAccNorm = ptr(realR/realN), ptr(realRN/realN)
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

func positive(v float64) *float64 {
	if v > 0 && !math.IsNaN(v) {
		return ptr(v)
	}
	return nil
}
