package normalize

import (
	"strings"
)

var (
	ones = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tens   = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	scales = []string{"", "thousand", "million", "billion", "trillion"}
	// ordinalOf maps the last word of a cardinal to its ordinal; the rest
	// take "th" ("-y" becomes "-ieth").
	ordinalOf = map[string]string{
		"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
		"nine": "ninth", "twelve": "twelfth",
	}
)

// maxCardinalDigits is the longest digit string read as one number (up to
// hundreds of trillions); longer ones, like card or phone numbers, are
// read digit by digit.
const maxCardinalDigits = 15

// cardinal reads a string of ASCII digits as a whole number: "1203" →
// "one thousand two hundred three". Leading zeros, or more than
// maxCardinalDigits digits, read digit by digit.
func cardinal(digits string) []string {
	if digits == "" {
		return nil
	}
	if len(digits) > maxCardinalDigits || (len(digits) > 1 && digits[0] == '0') {
		return digitByDigit(digits)
	}
	var n uint64
	for _, c := range digits {
		n = n*10 + uint64(c-'0')
	}
	return cardinalN(n)
}

// cardinalN reads n in words, tens and units joined by a hyphen as one
// word ("twenty-one").
func cardinalN(n uint64) []string {
	if n == 0 {
		return []string{"zero"}
	}
	var groups []uint64
	for ; n > 0; n /= 1000 {
		groups = append(groups, n%1000)
	}
	var out []string
	for i := len(groups) - 1; i >= 0; i-- {
		if groups[i] == 0 {
			continue
		}
		out = append(out, below1000(int(groups[i]))...)
		if scales[i] != "" {
			out = append(out, scales[i])
		}
	}
	return out
}

func below1000(n int) []string {
	var out []string
	if n >= 100 {
		out = append(out, ones[n/100], "hundred")
		n %= 100
	}
	if n > 0 {
		out = append(out, below100(n))
	}
	return out
}

func below100(n int) string {
	if n < 20 {
		return ones[n]
	}
	if n%10 == 0 {
		return tens[n/10]
	}
	return tens[n/10] + "-" + ones[n%10]
}

// ordinal turns the words of a cardinal into an ordinal: "twenty-one" →
// "twenty-first".
func ordinal(words []string) []string {
	if len(words) == 0 {
		return nil
	}
	out := append([]string(nil), words...)
	last := out[len(out)-1]
	prefix := ""
	if i := strings.LastIndexByte(last, '-'); i >= 0 {
		prefix, last = last[:i+1], last[i+1:]
	}
	switch {
	case ordinalOf[last] != "":
		last = ordinalOf[last]
	case strings.HasSuffix(last, "y"):
		last = last[:len(last)-1] + "ieth"
	default:
		last += "th"
	}
	out[len(out)-1] = prefix + last
	return out
}

// digitByDigit reads each digit on its own ("zero zero seven").
func digitByDigit(digits string) []string {
	out := make([]string, 0, len(digits))
	for _, c := range digits {
		if c >= '0' && c <= '9' {
			out = append(out, ones[c-'0'])
		}
	}
	return out
}

// year reads a four-digit year as people say it: 1984 → "nineteen
// eighty-four", 1900 → "nineteen hundred", 2005 → "two thousand five",
// 2024 → "twenty twenty-four". Other lengths read as cardinals.
func year(digits string) []string {
	if len(digits) != 4 || digits[0] == '0' {
		return cardinal(digits)
	}
	hi := int(digits[0]-'0')*10 + int(digits[1]-'0')
	lo := int(digits[2]-'0')*10 + int(digits[3]-'0')
	switch {
	case hi%10 == 0 && lo < 10: // 2000–2009, 1000–1009
		return cardinal(digits)
	case lo == 0:
		return []string{below100(hi), "hundred"}
	case lo < 10:
		return []string{below100(hi), "oh", ones[lo]}
	}
	return []string{below100(hi), below100(lo)}
}

// decimal reads "3.14" as "three point one four": the whole part as a
// cardinal, the fraction digit by digit.
func decimal(whole, frac string) []string {
	out := cardinal(whole) // ".5" is read "point five", as written
	if frac == "" {
		return out
	}
	return append(append(out, "point"), digitByDigit(frac)...)
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseNumber splits a written number into its whole digits (thousands
// separators removed) and fraction: "1,234.5" → "1234", "5". ok is false
// for anything else, including misplaced commas ("1,23").
func parseNumber(s string) (whole, frac string, ok bool) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if hasDot && !isDigits(frac) {
		return "", "", false
	}
	if strings.Contains(whole, ",") {
		parts := strings.Split(whole, ",")
		if len(parts[0]) < 1 || len(parts[0]) > 3 || !isDigits(parts[0]) {
			return "", "", false
		}
		for _, p := range parts[1:] {
			if len(p) != 3 || !isDigits(p) {
				return "", "", false
			}
		}
		whole = strings.Join(parts, "")
	}
	if whole == "" && hasDot {
		return "", frac, true // ".5"
	}
	return whole, frac, isDigits(whole)
}

// number reads a written number with optional separators and fraction.
func number(s string) ([]string, bool) {
	whole, frac, ok := parseNumber(s)
	if !ok {
		return nil, false
	}
	return decimal(whole, frac), true
}

// signedNumber reads a number with an optional sign: "-2.5" → "minus two
// point five".
func signedNumber(s string) ([]string, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg || strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	words, ok := number(s)
	if ok && neg {
		words = append([]string{"minus"}, words...)
	}
	return words, ok
}
