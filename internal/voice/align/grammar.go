package align

import (
	"strconv"
	"strings"
)

// The alignment grammar spells the transcript phone by phone. pocketsphinx
// 0.8+5prealpha reports segment times for words only, so every phone is
// made a one-phone "word" of the decoder's dictionary ("AA/0" is
// pronounced AA). Word i of the transcript uses the phone words with suffix
// i%2, which lets the decoded phone sequence be cut back into words without
// per-utterance dictionary entries: a word ends where the suffix flips.
// One-phone words still get cross-word triphone models from the decoder.

// silWord is the model's silence filler (from its noisedict); nullWord is
// how the decoder reports a null arc taken.
const (
	silWord  = "<sil>"
	nullWord = "(NULL)"
)

// Grammar probabilities, not fitted to any speaker: a pause between words
// costs what pocketsphinx's own -silprob charges a silence (0.005), and an
// unknown word's phone loop ends after each phone with even odds.
const (
	pauseProb = 0.005
	loopProb  = 0.5
)

func phoneWord(ph string, parity int) string {
	return ph + "/" + strconv.Itoa(parity)
}

// parsePhoneWord undoes phoneWord; ok is false for fillers.
func parsePhoneWord(w string) (ph string, parity int, ok bool) {
	i := strings.IndexByte(w, '/')
	if i <= 0 || i != len(w)-2 {
		return "", 0, false
	}
	return w[:i], int(w[i+1] - '0'), true
}

// phoneDict is the decoder's whole dictionary: both copies of every phone.
func phoneDict() string {
	var b strings.Builder
	for _, p := range Phones() {
		up := strings.ToUpper(p)
		for parity := 0; parity < 2; parity++ {
			b.WriteString(phoneWord(up, parity) + " " + up + "\n")
		}
	}
	return b.String()
}

type arc struct {
	from, to int
	word     string
	prob     float64
}

type grammar struct {
	states, start, final int
	arcs                 []arc
	silStates            []int // states with an optional pause self-loop
	silProb              float64
}

// buildGrammar chains the words' pronunciations; a word without one (not
// in the dictionary) becomes a loop of one or more arbitrary phones.
func buildGrammar(words []string, prons map[string][][]string) *grammar {
	g := &grammar{states: 1, silStates: []int{0}, silProb: pauseProb}
	cur := 0
	for i, w := range words {
		next := g.newState()
		if ps := validProns(prons[w]); len(ps) > 0 {
			for _, p := range ps {
				g.chain(cur, next, p, i%2)
			}
		} else {
			g.loop(cur, next, w, i%2)
		}
		g.silStates = append(g.silStates, next)
		cur = next
	}
	g.final = cur
	return g
}

func (g *grammar) newState() int {
	g.states++
	return g.states - 1
}

func (g *grammar) chain(from, to int, phones []string, parity int) {
	s := from
	for j, ph := range phones {
		t := to
		if j < len(phones)-1 {
			t = g.newState()
		}
		g.arcs = append(g.arcs, arc{s, t, phoneWord(ph, parity), 1})
		s = t
	}
}

// loop lets between one and maxLoopPhones(word) arbitrary phones lead
// from "from" to "to". The bound matters: free phones match audio better
// than the transcript's words do, so an unbounded loop would outscore the
// rest of the sentence by more than the beam and swallow it.
func (g *grammar) loop(from, to int, word string, parity int) {
	s := from
	n := maxLoopPhones(word)
	for i := 0; i < n; i++ {
		next := to
		if i < n-1 {
			next = g.newState()
		}
		for _, p := range Phones() {
			w := phoneWord(strings.ToUpper(p), parity)
			if next != to {
				g.arcs = append(g.arcs, arc{s, next, w, loopProb})
			}
			g.arcs = append(g.arcs, arc{s, to, w, 1 - loopProb})
		}
		s = next
	}
}

// maxLoopPhones bounds the phones of a word from its spelling: English
// words rarely have more phones than letters.
func maxLoopPhones(word string) int {
	return max(1, min(len([]rune(word)), 20))
}

// validProns drops pronunciations using phones outside the model's set.
func validProns(ps [][]string) [][]string {
	var out [][]string
	for _, p := range ps {
		ok := len(p) > 0
		for _, ph := range p {
			if _, known := phoneClass[strings.ToLower(ph)]; !known || ph == "PAU" {
				ok = false
			}
		}
		if ok {
			out = append(out, p)
		}
	}
	return out
}
