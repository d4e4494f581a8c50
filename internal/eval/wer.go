package eval

import (
	"strconv"
	"strings"
	"unicode"
)

// ErrorCounts is a word alignment's outcome against a reference.
type ErrorCounts struct {
	Ref           int // reference words
	Substitutions int
	Deletions     int
	Insertions    int
}

// Errors is the total edit count.
func (c ErrorCounts) Errors() int { return c.Substitutions + c.Deletions + c.Insertions }

// Add accumulates another alignment, for pooled rates.
func (c *ErrorCounts) Add(o ErrorCounts) {
	c.Ref += o.Ref
	c.Substitutions += o.Substitutions
	c.Deletions += o.Deletions
	c.Insertions += o.Insertions
}

// WER is the word error rate, errors over reference words (0 when there are
// no reference words). It can exceed 1 with many insertions.
func (c ErrorCounts) WER() float64 {
	if c.Ref == 0 {
		return 0
	}
	return float64(c.Errors()) / float64(c.Ref)
}

// CountErrors aligns hyp to ref (both already normalized word lists) by
// minimum edit distance. Ties prefer substitutions over an insertion plus a
// deletion, as NIST sclite does.
func CountErrors(ref, hyp []string) ErrorCounts {
	type cell struct{ cost, sub, del, ins int }
	prev := make([]cell, len(hyp)+1)
	cur := make([]cell, len(hyp)+1)
	for j := range prev {
		prev[j] = cell{cost: j, ins: j}
	}
	for i := 1; i <= len(ref); i++ {
		cur[0] = cell{cost: i, del: i}
		for j := 1; j <= len(hyp); j++ {
			diag := prev[j-1]
			if ref[i-1] != hyp[j-1] {
				diag.cost++
				diag.sub++
			}
			best := diag
			if d := prev[j]; d.cost+1 < best.cost {
				best = cell{d.cost + 1, d.sub, d.del + 1, d.ins}
			}
			if in := cur[j-1]; in.cost+1 < best.cost {
				best = cell{in.cost + 1, in.sub, in.del, in.ins + 1}
			}
			cur[j] = best
		}
		prev, cur = cur, prev
	}
	last := prev[len(hyp)]
	return ErrorCounts{Ref: len(ref), Substitutions: last.sub, Deletions: last.del, Insertions: last.ins}
}

// NormalizeWords lowercases text, spells out digits as words, splits on
// hyphens and drops punctuation other than word-internal apostrophes, so a
// transcript and a recognizer's output compare word for word.
func NormalizeWords(text string) []string {
	var words []string
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return unicode.IsSpace(r) || r == '-' || r == '—' || r == '/'
	}) {
		w := strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		w = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
				return r
			}
			return -1
		}, w)
		if w == "" {
			continue
		}
		if n, err := strconv.Atoi(strings.ReplaceAll(w, ",", "")); err == nil && n >= 0 {
			words = append(words, numberWords(n)...)
			continue
		}
		words = append(words, w)
	}
	return words
}

var (
	smallNumbers = strings.Fields("zero one two three four five six seven eight nine ten " +
		"eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
	tensWords = strings.Fields("_ _ twenty thirty forty fifty sixty seventy eighty ninety")
)

// numberWords spells a non-negative integer in American English ("one
// hundred twenty three"). Four-digit numbers are read as plain numbers, not
// years; the fixed sentences avoid the ambiguity.
func numberWords(n int) []string {
	switch {
	case n < 20:
		return []string{smallNumbers[n]}
	case n < 100:
		w := []string{tensWords[n/10]}
		if n%10 != 0 {
			w = append(w, smallNumbers[n%10])
		}
		return w
	case n < 1000:
		return joinNumber(numberWords(n/100), "hundred", n%100)
	case n < 1_000_000:
		return joinNumber(numberWords(n/1000), "thousand", n%1000)
	case n < 1_000_000_000:
		return joinNumber(numberWords(n/1_000_000), "million", n%1_000_000)
	}
	return []string{strconv.Itoa(n)}
}

func joinNumber(head []string, unit string, rest int) []string {
	w := append(head, unit)
	if rest != 0 {
		w = append(w, numberWords(rest)...)
	}
	return w
}
