package align

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// Words splits a transcript into the lowercase words Align labels: runs of
// letters, digits and inner apostrophes; everything else (punctuation,
// hyphens, symbols) separates words. Numbers stay words; flite says them.
func Words(transcript string) []string {
	f := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' }
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
		// Bytes, not Text: only the wanted lines (a few of 135,000) become
		// strings: 19 → 11 ms a scan.
		line := sc.Bytes()
		sp := bytes.IndexByte(line, ' ')
		if sp <= 0 {
			continue
		}
		w := line[:sp]
		if i := bytes.IndexByte(w, '('); i > 0 {
			w = w[:i] // "word(2)" is a variant of "word"
		}
		if !want[string(w)] {
			continue
		}
		ph := strings.Fields(strings.ToUpper(string(line[sp+1:])))
		if i := indexComment(ph); i >= 0 {
			ph = ph[:i]
		}
		if len(ph) > 0 {
			prons[string(w)] = append(prons[string(w)], ph)
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

// maxSingleGuesses bounds the one-word flite calls made when a batch call
// cannot be split back into words.
const maxSingleGuesses = 16

// guessProns asks flite's letter-to-sound rules (and number expansion) for
// the pronunciations of words the dictionary lacks. The words go to flite
// in one call, separated by commas so that flite pauses between them; the
// pauses cut the phones back into words. When they do not, up to
// maxSingleGuesses words are asked one by one. Words flite cannot speak are
// left out of the result.
func guessProns(ctx context.Context, words []string) map[string][]string {
	out := make(map[string][]string, len(words))
	if len(words) == 0 {
		return out
	}
	if groups := fliteWords(ctx, strings.Join(words, ", ")); len(groups) == len(words) {
		for i, w := range words {
			out[w] = groups[i]
		}
		return out
	}
	for _, w := range words[:min(len(words), maxSingleGuesses)] {
		if groups := fliteWords(ctx, w); len(groups) == 1 {
			out[w] = groups[0]
		}
	}
	return out
}

// fliteWords reads text with flite and returns its phones (as dictionary
// phones) split at flite's pauses.
func fliteWords(ctx context.Context, text string) [][]string {
	if len(text) > flite.MaxTextBytes {
		return nil
	}
	// Only the phones are wanted, so flite need not render the audio.
	phones, err := flite.Durations(ctx, "slt", text, flite.Options{})
	if err != nil {
		return nil
	}
	var groups [][]string
	var cur []string
	for _, p := range phones {
		ph := Normalize(p.Name)
		if ph == Silence {
			if len(cur) > 0 {
				groups = append(groups, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, strings.ToUpper(ph))
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}
