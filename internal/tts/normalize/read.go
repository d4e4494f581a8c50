package normalize

import (
	"strings"
	"unicode"
)

// read turns raw token i into a Token, looking at its neighbours where
// the reading depends on them ("St." before a name, a year after "in").
func read(s string, raws []rawToken, i int) Token {
	t := raws[i]
	tok := Token{Start: t.start, End: t.end, CoreStart: t.start + len(t.lead), CoreEnd: t.end - len(t.trail)}
	core := strings.Map(plainPunct, t.core)
	if core == "" {
		return tok
	}
	for _, reader := range readers {
		if words, ok := reader(core, raws, i); ok {
			tok.Words = words
			return tok
		}
	}
	tok.Words, tok.Unread = readWord(core)
	return tok
}

// readers try, in order, the readings of a token that depend on its
// shape. Each returns ok when the token is its kind.
var readers = []func(core string, raws []rawToken, i int) ([]string, bool){
	readEmail, readURL, readMoney, readPercent, readTime, readDate, readOrdinal,
	readDecade, readRange, readNumber, readUnit, readAbbreviation, readInitials,
	readRoman, readMeridiem,
}

// plainPunct maps typographic variants to the ASCII character they stand
// for inside a token: curly apostrophes, the minus sign, the no-break
// hyphen, the full-width forms of a few symbols.
func plainPunct(r rune) rune {
	switch r {
	case '’', '‘', 'ʼ', '′', '`':
		return '\''
	case '−', '‐', '‑', '‒':
		return '-'
	case '＄':
		return '$'
	case '％':
		return '%'
	case '＠':
		return '@'
	case '\u00ad', '\u200c', '\u200d', '\u2060':
		return -1 // soft hyphen and joiners: invisible
	}
	return r
}

// prevCore and nextCore are the neighbours' cores, lowercased, or "".
func prevCore(raws []rawToken, i int) string {
	if i == 0 {
		return ""
	}
	return strings.ToLower(raws[i-1].core)
}

func nextCore(raws []rawToken, i int) string {
	if i+1 >= len(raws) {
		return ""
	}
	return strings.ToLower(raws[i+1].core)
}

// readNumber reads plain numbers: "42", "-3.5", "1,000,000", ".5", and
// four-digit years where the context says year ("in 1984", "May 4,
// 1984"). A day after a month name is an ordinal ("May 4" → "May
// fourth"), and one before it "the fourth of".
func readNumber(core string, raws []rawToken, i int) ([]string, bool) {
	neg := false
	if strings.HasPrefix(core, "-") || strings.HasPrefix(core, "+") {
		neg, core = core[0] == '-', core[1:]
	}
	whole, frac, ok := parseNumber(core)
	if !ok {
		return nil, false
	}
	var words []string
	switch {
	case frac == "" && isYear(whole, raws, i):
		words = year(whole)
	case frac == "" && isDay(whole) && isMonth(prevCore(raws, i)):
		words = ordinal(cardinal(whole))
	case frac == "" && isDay(whole) && isMonth(nextCore(raws, i)) && len(raws[i].trail) == 0:
		words = append([]string{"the"}, append(ordinal(cardinal(whole)), "of")...)
	default:
		words = decimal(whole, frac)
	}
	if neg {
		words = append([]string{"minus"}, words...)
	}
	return words, true
}

func isDay(d string) bool {
	return isDigits(d) && len(d) <= 2 && d != "0" && d != "00" && atoi(d) <= 31
}

// yearWords are the words after which a four-digit number is a year.
var yearWords = map[string]bool{
	"in": true, "since": true, "by": true, "from": true, "until": true, "till": true, "to": true,
	"of": true, "during": true, "year": true, "circa": true, "c": true, "before": true, "after": true,
	"around": true, "early": true, "late": true, "mid": true, "spring": true, "summer": true,
	"autumn": true, "fall": true, "winter": true, "and": true, "or": true, "through": true,
}

// isYear reports whether a four-digit number from 1100 to 2099 reads as a
// year here: after a year word, a month or a day of a month, before an
// era, or ending a clause or sentence.
func isYear(d string, raws []rawToken, i int) bool {
	if len(d) != 4 || d < "1100" || d > "2099" {
		return false
	}
	prev, next := prevCore(raws, i), nextCore(raws, i)
	switch {
	case yearWords[prev] || isMonth(prev):
		return true
	case i > 0 && isDay(prev) && isMonth(prevCore(raws, i-1)):
		return true
	case next == "ad" || next == "bc" || next == "bce" || next == "ce":
		return true
	}
	return strings.ContainsAny(raws[i].trail, ".,;:!?") || i == len(raws)-1
}

// readOrdinal reads "1st", "22nd", "103rd", "4th", "1,000th".
func readOrdinal(core string, _ []rawToken, _ int) ([]string, bool) {
	lower := strings.ToLower(core)
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if n, ok := strings.CutSuffix(lower, suf); ok {
			whole, frac, ok := parseNumber(n)
			if ok && frac == "" && whole != "" {
				return ordinal(cardinal(whole)), true
			}
		}
	}
	return nil, false
}

// readDecade reads "1990s" as "nineteen nineties" and "90s" (from "'90s")
// as "nineties".
func readDecade(core string, _ []rawToken, _ int) ([]string, bool) {
	d, ok := strings.CutSuffix(strings.ToLower(core), "s")
	d = strings.TrimSuffix(d, "'")
	if !ok || !isDigits(d) || (len(d) != 2 && len(d) != 4) || d[len(d)-1] != '0' {
		return nil, false
	}
	var words []string
	if len(d) == 2 {
		words = cardinal(d)
	} else {
		words = year(d)
	}
	last := words[len(words)-1]
	if strings.HasSuffix(last, "y") {
		last = last[:len(last)-1] + "ies"
	} else {
		last += "s"
	}
	words[len(words)-1] = last
	return words, true
}

// readRange reads "10-20" and "1990–2000" as "ten to twenty".
func readRange(core string, raws []rawToken, i int) ([]string, bool) {
	a, b, ok := strings.Cut(strings.ReplaceAll(core, "–", "-"), "-")
	if !ok || a == "" {
		return nil, false
	}
	wa, okA := number(a)
	wb, okB := number(b)
	if !okA || !okB {
		return nil, false
	}
	if len(a) == 4 && len(b) == 4 && isDigits(a) && isDigits(b) && a >= "1100" && b <= "2099" {
		wa, wb = year(a), year(b)
	}
	return append(append(wa, "to"), wb...), true
}

// readInitials spells dotted initials and acronyms: "U.S" (its last dot
// stripped as punctuation) → "U S".
func readInitials(core string, _ []rawToken, _ int) ([]string, bool) {
	parts := strings.Split(core, ".")
	if len(parts) < 2 {
		return nil, false
	}
	for _, p := range parts {
		if len(p) != 1 || !isASCIILetter(p[0]) {
			return nil, false
		}
	}
	return parts, true
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// readMeridiem reads "am" and "pm" (also "a.m", "P.M") after a number or
// time as the letters.
func readMeridiem(core string, raws []rawToken, i int) ([]string, bool) {
	m := strings.ReplaceAll(strings.ToLower(core), ".", "")
	if (m != "am" && m != "pm") || i == 0 {
		return nil, false
	}
	p := raws[i-1].core
	if !isDigits(strings.ReplaceAll(p, ":", "")) {
		return nil, false
	}
	return []string{m[:1], "m"}, true
}

// maxWordLen bounds a word: longer runs of letters (no real word is this
// long) are cut into pieces of this size.
const maxWordLen = 40

// readWord reads a word: accents folded to ASCII, digits read as numbers,
// and symbols between letters read as words ("AT&T", "C++", "and/or").
// Letters of other scripts are dropped and counted.
func readWord(core string) (words []string, unread int) {
	var cur strings.Builder
	flush := func() {
		w := strings.Trim(cur.String(), "'-")
		for len(w) > maxWordLen { // a run-on string is read in pieces
			if hasLetter(w[:maxWordLen]) {
				words = append(words, w[:maxWordLen])
			}
			w = w[maxWordLen:]
		}
		if hasLetter(w) {
			words = append(words, w)
		}
		cur.Reset()
	}
	rs := []rune(core)
	for k := 0; k < len(rs); k++ {
		r := rs[k]
		switch {
		case r < 0x80 && (isASCIILetter(byte(r)) || r == '\''):
			cur.WriteRune(r)
		case r == '-' && cur.Len() > 0 && k+1 < len(rs) && unicode.IsLetter(rs[k+1]):
			cur.WriteRune(r)
		case r >= '0' && r <= '9':
			flush()
			j := k
			for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
				j++
			}
			words = append(words, cardinal(string(rs[k:j]))...)
			k = j - 1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if f, ok := fold(r); ok {
				cur.WriteString(f)
			} else {
				unread++
			}
		case r == '#' && k+1 < len(rs) && rs[k+1] >= '0' && rs[k+1] <= '9':
			flush()
			words = append(words, "number")
		default:
			flush()
			words = append(words, symbolWords[r]...)
		}
	}
	flush()
	return words, unread
}

func hasLetter(w string) bool {
	for i := 0; i < len(w); i++ {
		if isASCIILetter(w[i]) {
			return true
		}
	}
	return false
}

func atoi(d string) int {
	n := 0
	for i := 0; i < len(d) && i < 9; i++ {
		n = n*10 + int(d[i]-'0')
	}
	return n
}
