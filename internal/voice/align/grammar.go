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

// Filler words of the model's noisedict: silence, and "spoken noise"
// (+SPN+), which stands in for a word missing from the dictionary. One
// +SPN+ model stretches over a word of any length at the cost of a single
// phone; a loop of free phones there instead made the grammar's search
// tree, and the decoding time, grow many times over. nullWord is how the
// decoder reports a null arc.
const (
	silWord     = "<sil>"
	unknownWord = "[SPEECH]"
	nullWord    = "(NULL)"
)

// pauseProb is the grammar's probability of a pause between words: what
// pocketsphinx's own -silprob charges a silence, not fitted to any speaker.
const pauseProb = 0.005

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
	word     string // "" for a null arc
	prob     float64
}

type grammar struct {
	states, start, final int
	arcs                 []arc
	silStates            []int // states with an optional pause self-loop
	silProb              float64
}

// buildGrammar chains the words' pronunciations; a word without one (not
// in the dictionary) becomes one stretch of spoken noise.
//
// With openEnd the audio may end anywhere after the first phone, even
// inside a word: a null arc leads from every state to the final one. That
// is for a chunk of a long recording, which ends at an unknown point of
// the transcript; the caller drops the chunk's last words.
func buildGrammar(words []string, prons map[string][][]string, openEnd bool) *grammar {
	g := &grammar{states: 1, silStates: []int{0}, silProb: pauseProb}
	cur := 0
	for i, w := range words {
		next := g.newState()
		if ps := validProns(prons[w]); len(ps) > 0 {
			for _, p := range ps {
				g.chain(cur, next, p, i%2)
			}
		} else {
			g.arcs = append(g.arcs, arc{cur, next, unknownWord, 1})
		}
		g.silStates = append(g.silStates, next)
		cur = next
	}
	g.final = cur
	if openEnd && len(words) > 0 {
		g.final = g.newState()
		for s := 1; s < g.final; s++ {
			g.arcs = append(g.arcs, arc{s, g.final, "", 1})
		}
		g.silStates = append(g.silStates, g.final)
	}
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
