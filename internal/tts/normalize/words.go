package normalize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// abbreviation is how a word written with a period is read. Titles stand
// before a name and never end a sentence.
type abbreviation struct {
	words []string
	title bool
}

var abbreviations = map[string]abbreviation{
	"mr": {[]string{"Mister"}, true}, "mrs": {[]string{"Missus"}, true}, "ms": {[]string{"Miz"}, true},
	"dr": {[]string{"Doctor"}, true}, "prof": {[]string{"Professor"}, true}, "mt": {[]string{"Mount"}, true},
	"gen": {[]string{"General"}, true}, "gov": {[]string{"Governor"}, true}, "capt": {[]string{"Captain"}, true},
	"lt": {[]string{"Lieutenant"}, true}, "sgt": {[]string{"Sergeant"}, true}, "col": {[]string{"Colonel"}, true},
	"rev": {[]string{"Reverend"}, true}, "hon": {[]string{"Honorable"}, true}, "sen": {[]string{"Senator"}, true},
	"rep": {[]string{"Representative"}, true}, "pres": {[]string{"President"}, true},
	"jr": {[]string{"Junior"}, false}, "sr": {[]string{"Senior"}, false},
	"etc": {[]string{"et", "cetera"}, false}, "vs": {[]string{"versus"}, false},
	"e.g": {[]string{"for", "example"}, false}, "i.e": {[]string{"that", "is"}, false},
	"a.k.a": {[]string{"also", "known", "as"}, false}, "cf": {[]string{"compare"}, false},
	"approx": {[]string{"approximately"}, false}, "inc": {[]string{"Incorporated"}, false},
	"ltd": {[]string{"Limited"}, false}, "co": {[]string{"Company"}, false}, "corp": {[]string{"Corporation"}, false},
	"dept": {[]string{"Department"}, false}, "govt": {[]string{"government"}, false},
	"ave": {[]string{"Avenue"}, false}, "rd": {[]string{"Road"}, false}, "blvd": {[]string{"Boulevard"}, false},
	"vol": {[]string{"volume"}, false}, "fig": {[]string{"figure"}, false}, "pp": {[]string{"pages"}, false},
	"jan": {[]string{"January"}, false}, "feb": {[]string{"February"}, false}, "mar": {[]string{"March"}, false},
	"apr": {[]string{"April"}, false}, "jun": {[]string{"June"}, false}, "jul": {[]string{"July"}, false},
	"aug": {[]string{"August"}, false}, "sep": {[]string{"September"}, false}, "sept": {[]string{"September"}, false},
	"oct": {[]string{"October"}, false}, "nov": {[]string{"November"}, false}, "dec": {[]string{"December"}, false},
}

// undottedAbbreviations are read even without their period.
var undottedAbbreviations = map[string]bool{"vs": true, "etc": true, "e.g": true, "i.e": true}

// readAbbreviation expands abbreviations written with a period ("Dr.",
// "e.g.", "Sept."), titles before a name also without one ("Dr Smith"),
// "St." as Saint before a name and Street otherwise, and "No." before a
// number.
func readAbbreviation(core string, raws []rawToken, i int) ([]string, bool) {
	lower := strings.ToLower(core)
	dotted := strings.HasPrefix(raws[i].trail, ".")
	nextName := i+1 < len(raws) && startsUpper(raws[i+1].core)
	switch {
	case lower == "st" && (dotted || nextName):
		if nextName {
			return []string{"Saint"}, true
		}
		return []string{"Street"}, true
	case lower == "no" && dotted && i+1 < len(raws) && isDigits(strings.TrimLeft(raws[i+1].core, "#")):
		return []string{"number"}, true
	}
	a, ok := abbreviations[lower]
	if !ok || !(dotted || undottedAbbreviations[lower] || (a.title && nextName && startsUpper(core))) {
		return nil, false
	}
	return a.words, true
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// units are read after a number, attached ("5km") or as the next token
// ("5 km"): singular and plural.
var units = map[string][2]string{
	"km": {"kilometer", "kilometers"}, "cm": {"centimeter", "centimeters"}, "mm": {"millimeter", "millimeters"},
	"kg": {"kilogram", "kilograms"}, "mg": {"milligram", "milligrams"}, "lb": {"pound", "pounds"},
	"lbs": {"pound", "pounds"}, "oz": {"ounce", "ounces"}, "ft": {"foot", "feet"}, "mi": {"mile", "miles"},
	"mph": {"mile per hour", "miles per hour"}, "km/h": {"kilometer per hour", "kilometers per hour"},
	"kph": {"kilometer per hour", "kilometers per hour"}, "ml": {"milliliter", "milliliters"},
	"°c": {"degree Celsius", "degrees Celsius"}, "ºc": {"degree Celsius", "degrees Celsius"},
	"°f": {"degree Fahrenheit", "degrees Fahrenheit"}, "ºf": {"degree Fahrenheit", "degrees Fahrenheit"},
	"°": {"degree", "degrees"}, "hz": {"hertz", "hertz"}, "khz": {"kilohertz", "kilohertz"},
	"mhz": {"megahertz", "megahertz"}, "ghz": {"gigahertz", "gigahertz"}, "kb": {"kilobyte", "kilobytes"},
	"mb": {"megabyte", "megabytes"}, "gb": {"gigabyte", "gigabytes"}, "tb": {"terabyte", "terabytes"},
	"ms": {"millisecond", "milliseconds"}, "min": {"minute", "minutes"}, "mins": {"minute", "minutes"},
	"hr": {"hour", "hours"}, "hrs": {"hour", "hours"}, "sec": {"second", "seconds"}, "secs": {"second", "seconds"},
}

var numberPrefixRE = regexp.MustCompile(`^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?`)

// readUnit reads a quantity with a unit: "5km", "-3.5°C", or a unit token
// after a number ("5 km"; the number reads itself).
func readUnit(core string, raws []rawToken, i int) ([]string, bool) {
	n := numberPrefixRE.FindString(core)
	if n == "" || n == "-" || n == "+" {
		// A unit standing after a number token.
		u, ok := units[strings.ToLower(core)]
		if !ok || i == 0 {
			return nil, false
		}
		if _, isNum := signedNumber(raws[i-1].core); !isNum {
			return nil, false
		}
		return unitWords(u, raws[i-1].core), true
	}
	u, ok := units[strings.ToLower(core[len(n):])]
	if !ok {
		return nil, false
	}
	words, ok := signedNumber(n)
	if !ok {
		return nil, false
	}
	return append(words, unitWords(u, n)...), true
}

func unitWords(u [2]string, num string) []string {
	w := u[1]
	if strings.TrimLeft(num, "+") == "1" {
		w = u[0]
	}
	return strings.Fields(w)
}

var romanRE = regexp.MustCompile(`^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$`)

// numberedWords are followed by a roman numeral read as a number
// ("Chapter IV", "World War II").
var numberedWords = map[string]bool{
	"chapter": true, "part": true, "book": true, "volume": true, "vol": true, "act": true, "scene": true,
	"section": true, "appendix": true, "article": true, "canto": true, "psalm": true, "war": true,
	"phase": true, "stage": true, "level": true, "year": true, "grade": true, "type": true, "class": true,
}

// readRoman reads roman numerals after a numbered word ("Chapter XII" →
// "twelve") and after a name as a regnal number ("Henry VIII" → "the
// eighth"; never "I", which is a pronoun).
func readRoman(core string, raws []rawToken, i int) ([]string, bool) {
	if core == "" || !romanRE.MatchString(core) || i == 0 {
		return nil, false
	}
	prev := raws[i-1].core
	n := romanValue(core)
	switch {
	case numberedWords[strings.ToLower(prev)]:
		return cardinalN(uint64(n)), true
	case core != "I" && isName(prev):
		return append([]string{"the"}, ordinal(cardinalN(uint64(n)))...), true
	}
	return nil, false
}

// isName reports whether w looks like a capitalised name: an upper-case
// letter followed by lower-case ones.
func isName(w string) bool {
	for k, r := range w {
		if (k == 0) != unicode.IsUpper(r) || !unicode.IsLetter(r) {
			return false
		}
	}
	return len(w) > 1
}

func romanValue(s string) int {
	val := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
	n := 0
	for k := 0; k < len(s); k++ {
		v := val[s[k]]
		if k+1 < len(s) && val[s[k+1]] > v {
			n -= v
		} else {
			n += v
		}
	}
	return n
}

// symbolWords are the symbols read inside words ("AT&T", "C++") or alone.
var symbolWords = map[rune][]string{
	'&': {"and"}, '+': {"plus"}, '=': {"equals"}, '@': {"at"}, '%': {"percent"}, '‰': {"per", "mille"},
	'°': {"degrees"}, '×': {"times"}, '÷': {"divided", "by"}, '<': {"less", "than"}, '>': {"greater", "than"},
	'½': {"one", "half"}, '¼': {"one", "quarter"}, '¾': {"three", "quarters"}, '§': {"section"},
	'©': {"copyright"}, '®': {"registered"}, '™': {"trademark"},
}

// foldSpecial are letters that do not decompose into an ASCII letter and a
// mark but have a usual ASCII spelling.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L",
	'đ': "d", 'Đ': "D", 'þ': "th", 'Þ': "Th", 'ð': "d", 'Ð': "D", 'ı': "i", 'ĸ': "k",
}

// fold spells a non-ASCII letter in ASCII when it is a Latin letter with
// marks (é → e) or a special Latin letter (ß → ss). ok is false for
// letters of other scripts.
func fold(r rune) (string, bool) {
	if s, ok := foldSpecial[r]; ok {
		return s, true
	}
	var b strings.Builder
	for _, d := range norm.NFKD.String(string(r)) {
		if d < 0x80 && isASCIILetter(byte(d)) {
			b.WriteRune(d)
		} else if !unicode.Is(unicode.Mn, d) {
			return "", false
		}
	}
	return b.String(), b.Len() > 0
}

// breakAfter is the pause after raw token i and the punctuation that
// shapes the words before it.
func breakAfter(_ string, raws []rawToken, i int) (Break, byte) {
	t := raws[i]
	trail := strings.Trim(t.trail, "\"')]}”’»›*_`")
	b, p := NoBreak, byte(0)
	switch {
	case strings.ContainsRune(trail, '?'):
		b, p = Sentence, '?'
	case strings.ContainsRune(trail, '!'):
		b, p = Sentence, '!'
	case strings.Count(trail, ".") >= 2:
		b, p = Clause, ','
		if i+1 < len(raws) && startsUpper(raws[i+1].core) {
			b, p = Sentence, '.'
		}
	case strings.ContainsRune(trail, '.') && periodEndsSentence(raws, i):
		b, p = Sentence, '.'
	case strings.ContainsAny(trail, ",;:"):
		b, p = Clause, ','
	}
	if b < Clause && (t.gap.dash || t.core == "-") {
		b, p = Clause, ','
	}
	switch last := i == len(raws)-1; {
	case t.gap.newlines >= 2 || (last && b < Sentence):
		b = max(b, Sentence)
		if t.gap.newlines >= 2 {
			b = Paragraph
		}
		if p != '?' && p != '!' {
			p = '.'
		}
	case t.gap.newlines == 1 && b < Sentence && t.gap.lineLen < 50 && startsUpper(raws[i+1].core):
		// A short line without final punctuation, such as a heading or a
		// list item, ends where the line does.
		b, p = Sentence, '.'
	}
	return b, p
}

// periodEndsSentence reports whether the period after raw token i ends a
// sentence: not after a title or an initial, and only before a capital, a
// digit, a quote or the end of the text.
func periodEndsSentence(raws []rawToken, i int) bool {
	core := strings.ToLower(raws[i].core)
	if a, ok := abbreviations[core]; ok && a.title || core == "st" || utf8.RuneCountInString(core) == 1 {
		return false
	}
	if core == "no" && i+1 < len(raws) && isDigits(strings.TrimLeft(raws[i+1].core, "#")) {
		return false
	}
	if i+1 >= len(raws) || raws[i].gap.newlines > 0 {
		return true
	}
	next := raws[i+1]
	r, _ := utf8.DecodeRuneInString(next.core)
	return next.lead != "" || unicode.IsUpper(r) || unicode.IsDigit(r) || next.core == ""
}
