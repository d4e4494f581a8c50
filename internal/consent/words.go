package consent

// Acceptance rules of the word check.
const (
	// MinWordsFound is the share of the random words that must be heard.
	MinWordsFound = 0.8
	// MinStatementFound is the share of the statement's content words
	// that must be heard.
	MinStatementFound = 0.5
	// expectedWeight is how much likelier the recognizer takes an expected
	// word than another word of the vocabulary.
	expectedWeight = 50
)

// WordCheck is the outcome of comparing what was heard with the challenge.
type WordCheck struct {
	Heard                       []string
	WordsFound, Words           int
	StatementFound, InStatement int
}

// OK reports whether enough of the challenge was heard.
func (w WordCheck) OK() bool {
	if w.Words == 0 {
		return false
	}
	return float64(w.WordsFound) >= MinWordsFound*float64(w.Words) &&
		float64(w.StatementFound) >= MinStatementFound*float64(w.InStatement)
}

// vocabulary returns the recognizer's words and weights for c: the
// challenge's own words weighted up, the rest of Vocabulary as decoys.
func (c Challenge) vocabulary() (words []string, weights []float64) {
	seen := map[string]bool{}
	add := func(w string, wt float64) {
		if !seen[w] {
			seen[w] = true
			words, weights = append(words, w), append(weights, wt)
		}
	}
	for _, w := range c.statementWords() {
		add(w, expectedWeight)
	}
	for _, w := range c.Words {
		add(w, expectedWeight)
	}
	for _, w := range Vocabulary {
		add(w, 1)
	}
	return words, weights
}

// checkWords counts the challenge's words that were heard, in any order
// (each heard word counts once). Function words are not counted: they are
// short and unstressed, and the recognizer misses many of them even in a
// clear reading. The Vocabulary has none; the statement has a few.
func (c Challenge) checkWords(heard []string) WordCheck {
	left := map[string]int{}
	for _, w := range heard {
		left[w]++
	}
	found := func(w string) bool {
		if left[w] > 0 {
			left[w]--
			return true
		}
		return false
	}
	out := WordCheck{Heard: heard}
	for _, w := range c.statementWords() {
		if !functionWords[w] {
			out.InStatement++
			if found(w) {
				out.StatementFound++
			}
		}
	}
	for _, w := range c.Words {
		if !functionWords[w] {
			out.Words++
			if found(w) {
				out.WordsFound++
			}
		}
	}
	return out
}

// functionWords are short, unstressed words the recognizer often misses.
// Vocabulary has none; they occur only in a transcript set as a challenge.
var functionWords = map[string]bool{}

func init() {
	for _, w := range splitWords(`a an the and or but of to in on at by for from with as is are was were be been
	am i me my we us our you your he him his she her it its they them their this that these those
	not no so if then than there here what which who do does did have has had will would can could
	shall should may might must all some any also just up out off over into onto about`) {
		functionWords[w] = true
	}
}

// lcsMatches marks the elements of want that a longest common subsequence
// with got uses.
func lcsMatches(want, got []string) []bool {
	n, m := len(want), len(got)
	l := make([][]int, n+1)
	for i := range l {
		l[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if want[i] == got[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	out := make([]bool, n)
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case want[i] == got[j]:
			out[i] = true
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			i++
		default:
			j++
		}
	}
	return out
}
