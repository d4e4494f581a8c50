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
	// decoys are models of the base voices, adapted like the speakers'
	// but never a valid answer: a clone should sound more like its speaker
	// than like the voice it was made from.
	decoys []*gmm
}

// addDecoy adapts a decoy model to the given utterances' features.
func (id *identifier) addDecoy(utts [][][]float64) {
	tot := newStats(len(id.ubm.weights), len(id.ubm.means[0]), false)
	for _, u := range utts {
		if u != nil {
			tot.add(id.ubm.stats(u, false))
		}
	}
	id.decoys = append(id.decoys, mapAdapt(id.ubm, tot, mapRelevance))
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
// speaker model against the UBM, and the best decoy's (−Inf without
// decoys).
func (id *identifier) scores(x [][]float64) (speakers []float64, decoy float64) {
	base := id.ubm.avgLogLik(x)
	speakers = make([]float64, len(id.models))
	for s, m := range id.models {
		speakers[s] = m.avgLogLik(x) - base
	}
	decoy = math.Inf(-1)
	for _, m := range id.decoys {
		decoy = max(decoy, m.avgLogLik(x)-base)
	}
	return speakers, decoy
}

// decision is the outcome of identifying one utterance.
type decision struct {
	Correct bool
	// Margin is the target's LLR minus the best other speaker's: positive
	// when right, and how far from the decision boundary.
	Margin float64
	// BeatsDecoys: the target's LLR exceeds every decoy's.
	BeatsDecoys bool
}

func decide(scores []float64, decoy float64, target int) decision {
	other := math.Inf(-1)
	for s, v := range scores {
		if s != target {
			other = max(other, v)
		}
	}
	beats := scores[target] > decoy
	if math.IsInf(other, -1) { // a single speaker: nothing to confuse
		return decision{Correct: true, BeatsDecoys: beats}
	}
	m := scores[target] - other
	return decision{Correct: m > 0, Margin: m, BeatsDecoys: beats}
}
