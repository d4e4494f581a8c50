package align

import (
	"context"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
)

// Spot recognizes which of the given words were spoken in pcm (16 kHz
// mono), in order, by decoding with a loop over the vocabulary. weights
// (one per word, > 0) make some words more likely than others: a caller
// that expects certain words weights them up and lets the rest of the
// vocabulary soak up whatever else is said. Speech matching none of the
// words is absorbed by a spoken-noise filler and left out of the result.
// Words without a pronunciation are left out of the vocabulary. Errors
// are as for Align.
func Spot(ctx context.Context, pcm *audio.PCM, words []string, weights []float64) ([]string, error) {
	return spot(ctx, pcm, words, weights, searchAlign)
}

// SpotEveryFrame is Spot scoring the acoustic model on every frame rather
// than every other (alignArgs' -ds 2). Neither finds more words on the
// whole, but they miss different ones: a caller whose Spot heard too few
// of the words it expected can ask again (consent.Verify does).
func SpotEveryFrame(ctx context.Context, pcm *audio.PCM, words []string, weights []float64) ([]string, error) {
	return spot(ctx, pcm, words, weights, alignEveryFrame)
}

// spot is Spot on a decoder of the given kind.
func spot(ctx context.Context, pcm *audio.PCM, words []string, weights []float64, kind string) ([]string, error) {
	if err := check(ctx, pcm); err != nil {
		return nil, err
	}
	if len(words) == 0 || len(weights) != len(words) {
		return nil, ErrTranscript
	}
	prons, err := lookup(words)
	if err != nil {
		return nil, err
	}
	addGuesses(ctx, words, prons)
	g, byPhones := loopGrammar(words, weights, prons)
	raw, err := decodeOn(ctx, pcm.Samples, g, kind)
	if err != nil {
		return nil, err
	}
	return spottedWords(raw, byPhones), nil
}

// noiseWeight is the spoken-noise filler's weight relative to a
// vocabulary word of weight 1.
const noiseWeight = 0.5

// loopGrammar builds a word loop between two states: words leaving state 1
// use parity-0 phone words, words leaving state 2 parity 1, so a word
// boundary shows as a parity flip (see grammar.go). It returns the grammar
// and the vocabulary keyed by space-joined phones; where two words sound
// alike the heavier one wins.
func loopGrammar(words []string, weights []float64, prons map[string][][]string) (*grammar, map[string]string) {
	g := &grammar{states: 4, start: 0, final: 3, silStates: []int{1, 2}, silProb: pauseProb}
	g.arcs = append(g.arcs, arc{0, 1, "", 1}, arc{1, 3, "", 1}, arc{2, 3, "", 1})
	byPhones := map[string]string{}
	best := map[string]float64{}
	var total float64
	for i, w := range words {
		if ps := validProns(prons[w]); len(ps) > 0 {
			total += weights[i]
		}
	}
	total += noiseWeight
	seen := map[string]bool{}
	for i, w := range words {
		ps := validProns(prons[w])
		if seen[w] || len(ps) == 0 {
			continue
		}
		seen[w] = true
		for _, p := range ps {
			key := strings.Join(p, " ")
			if weights[i] > best[key] {
				best[key], byPhones[key] = weights[i], w
			}
			prob := weights[i] / total / float64(len(ps))
			g.chainProb(1, 2, p, 0, prob)
			g.chainProb(2, 1, p, 1, prob)
		}
	}
	g.arcs = append(g.arcs, arc{1, 2, unknownWord, noiseWeight / total}, arc{2, 1, unknownWord, noiseWeight / total})
	return g, byPhones
}

// chainProb is chain with the word's probability on its first arc.
func (g *grammar) chainProb(from, to int, phones []string, parity int, prob float64) {
	n := len(g.arcs)
	g.chain(from, to, phones, parity)
	g.arcs[n].prob = prob
}

// spottedWords cuts decoded phone words at parity flips and fillers and
// names each piece by its phones.
func spottedWords(raw []rawSeg, byPhones map[string]string) []string {
	var out, cur []string
	parity := -1
	flush := func() {
		if len(cur) > 0 {
			if w, ok := byPhones[strings.Join(cur, " ")]; ok {
				out = append(out, w)
			}
		}
		cur, parity = nil, -1
	}
	for _, r := range raw {
		ph, par, ok := parsePhoneWord(r.word)
		if !ok {
			flush()
			continue
		}
		if par != parity && parity >= 0 {
			flush()
		}
		parity = par
		cur = append(cur, ph)
	}
	flush()
	return out
}
