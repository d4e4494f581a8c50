package elevenlabs

import (
	"math"
	"strings"
	"unicode"
)

// Alignment is ElevenLabs' character timing: one entry per character of a
// text, in order, with start and end times in seconds from the start of
// the audio.
type Alignment struct {
	Characters []string  `json:"characters"`
	Starts     []float64 `json:"character_start_times_seconds"`
	Ends       []float64 `json:"character_end_times_seconds"`
}

// WordTime is a spoken word and when it is heard, in seconds.
type WordTime struct {
	Text       string
	Start, End float64
}

// align times every character of text from the timed words, which are in
// text order: each word is looked up from where the previous one ended
// (letters and digits compared, case-insensitively) and its span shared
// evenly among its characters. Characters no word covers — spaces,
// punctuation, words spoken differently than written — share the time
// between their neighbours. Words not found are skipped; with none found
// the whole duration is shared evenly. Times never decrease, and every
// character is covered.
func align(text string, words []WordTime, duration float64) Alignment {
	runes := []rune(text)
	n := len(runes)
	a := Alignment{Characters: make([]string, n), Starts: make([]float64, n), Ends: make([]float64, n)}
	set := make([]bool, n)
	cursor := 0
	for _, w := range words {
		i, j, ok := find(runes, cursor, w.Text)
		if !ok || !(w.End >= w.Start) || w.Start < 0 {
			continue
		}
		spread(a, set, i, j, w.Start, w.End)
		cursor = j
	}
	fillGaps(a, set, duration)
	for i, r := range runes {
		a.Characters[i] = string(r)
	}
	monotone(a)
	return a
}

// find locates word in runes at or after from, returning the span
// [i, j) of its first and last matching letter or digit.
func find(runes []rune, from int, word string) (int, int, bool) {
	want := []rune(strings.ToLower(keepAlnum(word)))
	if len(want) == 0 {
		return 0, 0, false
	}
	for i := from; i < len(runes); i++ {
		if unicode.ToLower(runes[i]) != want[0] {
			continue
		}
		k, j := 0, i
		for ; j < len(runes) && k < len(want); j++ {
			r := unicode.ToLower(runes[j])
			if !isAlnum(r) {
				if r == '\'' || r == '’' || r == '-' {
					continue // "don't" and "well-known" as the engine reads them
				}
				break
			}
			if r != want[k] {
				break
			}
			k++
		}
		if k == len(want) {
			return i, j, true
		}
	}
	return 0, 0, false
}

func keepAlnum(s string) string {
	return strings.Map(func(r rune) rune {
		if isAlnum(r) {
			return r
		}
		return -1
	}, s)
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// spread shares [start, end] evenly among characters [i, j).
func spread(a Alignment, set []bool, i, j int, start, end float64) {
	step := (end - start) / float64(j-i)
	for k := i; k < j; k++ {
		a.Starts[k] = start + step*float64(k-i)
		a.Ends[k] = start + step*float64(k-i+1)
		set[k] = true
	}
}

// fillGaps times each run of untimed characters between the end of the
// timed character before it (or 0) and the start of the one after it (or
// the duration).
func fillGaps(a Alignment, set []bool, duration float64) {
	n := len(set)
	for i := 0; i < n; {
		if set[i] {
			i++
			continue
		}
		j := i
		for j < n && !set[j] {
			j++
		}
		start, end := 0.0, duration
		if i > 0 {
			start = a.Ends[i-1]
		}
		if j < n {
			end = a.Starts[j]
		}
		spread(a, set, i, j, start, math.Max(start, end))
		i = j
	}
}

// monotone makes times non-decreasing and rounds them to the millisecond,
// as ElevenLabs reports them.
func monotone(a Alignment) {
	last := 0.0
	for i := range a.Starts {
		s := math.Max(round3(a.Starts[i]), last)
		e := math.Max(round3(a.Ends[i]), s)
		a.Starts[i], a.Ends[i], last = s, e, s
	}
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
