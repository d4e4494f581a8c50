package align

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"unicode"
)

// Words splits a transcript into the lowercase words Align labels: letters
// and inner apostrophes are kept, everything else (punctuation, hyphens,
// digits) separates words. Digits are dropped, since the spoken form of a
// number is not knowable here; the phone loop then covers what was said.
func Words(transcript string) []string {
	f := func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(transcript), f) {
		if w = strings.Trim(w, "'"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// lookup returns the pronunciations (uppercase ARPAbet, no stress marks) of
// the given words found in the CMU dictionary. The dictionary (3.5 MB) is
// scanned on each call instead of being held in memory: a scan costs about
// as much as a second of decoding, and alignment is rare.
func lookup(words []string) (map[string][][]string, error) {
	want := make(map[string]bool, len(words))
	for _, w := range words {
		want[w] = true
	}
	f, err := os.Open(dictFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	defer f.Close()
	prons := make(map[string][][]string)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		sp := strings.IndexByte(line, ' ')
		if sp <= 0 {
			continue
		}
		w := line[:sp]
		if i := strings.IndexByte(w, '('); i > 0 {
			w = w[:i] // "word(2)" is a variant of "word"
		}
		if !want[w] {
			continue
		}
		ph := strings.Fields(strings.ToUpper(line[sp+1:]))
		if i := indexComment(ph); i >= 0 {
			ph = ph[:i]
		}
		if len(ph) > 0 {
			prons[w] = append(prons[w], ph)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrModel, err)
	}
	return prons, nil
}

// indexComment finds a trailing "#" comment some dictionary lines carry.
func indexComment(ph []string) int {
	for i, p := range ph {
		if strings.HasPrefix(p, "#") {
			return i
		}
	}
	return -1
}
