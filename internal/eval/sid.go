package eval

import (
	"fmt"
	"math"
)

// Speaker identifier settings, fixed by the evaluation protocol.
const (
	ubmMixtures  = 64
	ubmIters     = 12
	ubmSeed      = 20260101
	mapRelevance = 16
)

// identifier is a GMM-UBM closed-set speaker identifier (Reynolds, Quatieri
// & Dunn 2000): a universal background model trained on every speaker's
// training audio, and per speaker a copy whose means are MAP-adapted to
// that speaker.
type identifier struct {
	ubm    *gmm
	models []*gmm
}

// trainIdentifier trains the UBM on all utterances of all speakers and
// adapts one model per speaker. train[s][u] are the feature frames of
// speaker s's utterance u.
func trainIdentifier(train [][][][]float64) (*identifier, error) {
	var all [][]float64
	for s, utts := range train {
		n := 0
		for _, u := range utts {
			all = append(all, u...)
			n += len(u)
		}
		if n == 0 {
			return nil, fmt.Errorf("speaker %d has no training speech", s)
		}
	}
	ubm, _ := trainGMM(all, ubmMixtures, ubmIters, ubmSeed)
	id := &identifier{ubm: ubm}
	k, d := ubmMixtures, len(all[0])
	for _, utts := range train {
		tot := newStats(k, d, false)
		for _, u := range utts {
			tot.add(ubm.stats(u, false))
		}
		id.models = append(id.models, mapAdapt(ubm, tot, mapRelevance))
	}
	return id, nil
}

// scores returns the average frame log-likelihood ratio of x for every
// speaker model against the UBM.
func (id *identifier) scores(x [][]float64) []float64 {
	base := id.ubm.avgLogLik(x)
	out := make([]float64, len(id.models))
	for s, m := range id.models {
		out[s] = m.avgLogLik(x) - base
	}
	return out
}

// decision is the outcome of identifying one utterance.
type decision struct {
	Correct bool
	// Margin is the target's LLR minus the best other speaker's: positive
	// when right, and how far from the decision boundary.
	Margin float64
}

func decide(scores []float64, target int) decision {
	other := math.Inf(-1)
	for s, v := range scores {
		if s != target {
			other = max(other, v)
		}
	}
	if math.IsInf(other, -1) { // a single speaker: nothing to confuse
		return decision{Correct: true}
	}
	m := scores[target] - other
	return decision{Correct: m > 0, Margin: m}
}
