package normalize

import (
	"regexp"
	"strings"
)

var (
	emailRE = regexp.MustCompile(`^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)+$`)
	urlRE   = regexp.MustCompile(`(?i)^(https?://|www\.)\S+$|^[a-z0-9\-]+(\.[a-z0-9\-]+)*\.(com|org|net|io|dev|edu|gov|info|co|uk|de|fr|eu|ai|app)(/\S*)?$`)
	timeRE  = regexp.MustCompile(`(?i)^(\d{1,2}):(\d{2})(?::(\d{2}))?(a\.?m|p\.?m)?$|^(\d{1,2})(a\.?m|p\.?m)$`)
	isoRE   = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	slashRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$`)
)

// readEmail reads "ann.lee@example.com" as "ann dot lee at example dot
// com".
func readEmail(core string, _ []rawToken, _ int) ([]string, bool) {
	if !emailRE.MatchString(core) {
		return nil, false
	}
	user, host, _ := strings.Cut(core, "@")
	return append(append(spellAddress(user), "at"), spellAddress(host)...), true
}

// readURL reads a web address without its scheme or query: "https://
// www.example.com/docs/api?x=1" → "w w w dot example dot com slash docs
// slash api".
func readURL(core string, _ []rawToken, _ int) ([]string, bool) {
	if !urlRE.MatchString(core) {
		return nil, false
	}
	u := core
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	u, _, _ = strings.Cut(u, "?")
	u, _, _ = strings.Cut(u, "#")
	u = strings.TrimSuffix(u, "/")
	host, path, _ := strings.Cut(u, "/")
	var words []string
	if h, ok := strings.CutPrefix(strings.ToLower(host), "www."); ok {
		words, host = []string{"w", "w", "w", "dot"}, host[len(host)-len(h):]
	}
	words = append(words, spellAddress(host)...)
	for _, seg := range strings.Split(path, "/") {
		if w := spellAddress(seg); len(w) > 0 {
			words = append(append(words, "slash"), w...)
		}
	}
	return words, true
}

// spellAddress reads the parts of an address: runs of letters as words,
// digits as numbers, "." as "dot", "-" as "dash", "_" as "underscore".
func spellAddress(s string) []string {
	var words []string
	for _, part := range splitKeep(s, "._-+") {
		switch part {
		case ".":
			words = append(words, "dot")
		case "-":
			words = append(words, "dash")
		case "_":
			words = append(words, "underscore")
		case "+":
			words = append(words, "plus")
		default:
			w, _ := readWord(part)
			words = append(words, w...)
		}
	}
	return words
}

// splitKeep splits s before and after every byte in seps, keeping them.
func splitKeep(s, seps string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(seps, s[i]) >= 0 {
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, s[i:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// currency describes a currency symbol's units.
type currency struct {
	one, many        string // the main unit
	minor, minorMany string // hundredths; "" reads a decimal amount instead
}

var currencies = map[string]currency{
	"$": {"dollar", "dollars", "cent", "cents"},
	"€": {"euro", "euros", "cent", "cents"},
	"£": {"pound", "pounds", "penny", "pence"},
	"¥": {"yen", "yen", "", ""},
	"₹": {"rupee", "rupees", "", ""},
}

// scaleSuffixes are amounts' abbreviated scales: "$5k", "$2.5M", "€3bn".
var scaleSuffixes = map[string]string{"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion", "t": "trillion"}

// scaleWords may follow an amount as the next token: "$5 million".
var scaleWords = map[string]bool{"thousand": true, "million": true, "billion": true, "trillion": true}

// readMoney reads amounts with a currency symbol before or after:
// "$5" → "five dollars", "$1.01" → "one dollar and one cent", "£0.50" →
// "fifty pence", "$2.5M" → "two point five million dollars", "5€".
func readMoney(core string, raws []rawToken, i int) ([]string, bool) {
	sym, amount := "", ""
	for s := range currencies {
		if a, ok := strings.CutPrefix(core, s); ok {
			sym, amount = s, a
		} else if a, ok := strings.CutSuffix(core, s); ok {
			sym, amount = s, a
		}
	}
	if sym == "" || amount == "" {
		return nil, false
	}
	neg := strings.HasPrefix(amount, "-")
	amount = strings.TrimPrefix(amount, "-")
	scale := ""
	for suf, word := range scaleSuffixes {
		if a, ok := strings.CutSuffix(strings.ToLower(amount), suf); ok && a != "" {
			scale, amount = word, amount[:len(a)]
		}
	}
	whole, frac, ok := parseNumber(amount)
	if !ok {
		return nil, false
	}
	words := moneyWords(currencies[sym], whole, frac, scale, scaleWords[nextCore(raws, i)])
	if neg {
		words = append([]string{"minus"}, words...)
	}
	return words, true
}

// moneyWords reads an amount. With a scale, or when the next token is one
// (deferred: deferScales moves the unit after it), the amount is a
// decimal; otherwise two-digit fractions are the minor unit.
func moneyWords(c currency, whole, frac, scale string, scaleNext bool) []string {
	if scale != "" || scaleNext {
		w := decimal(whole, frac)
		if scale != "" {
			w = append(w, scale)
		}
		if scaleNext {
			return w
		}
		return append(w, c.many)
	}
	if whole == "" {
		whole = "0"
	}
	if len(frac) != 2 || c.minor == "" {
		return append(decimal(whole, frac), plural(c, whole+frac, c.one, c.many))
	}
	var words []string
	if strings.TrimLeft(whole, "0") != "" {
		words = append(cardinal(strings.TrimLeft(whole, "0")), plural(c, whole, c.one, c.many))
	}
	if cents := strings.TrimLeft(frac, "0"); cents != "" {
		if len(words) > 0 {
			words = append(words, "and")
		}
		words = append(append(words, cardinal(cents)...), plural(c, cents, c.minor, c.minorMany))
	}
	if len(words) == 0 {
		words = []string{"zero", c.many}
	}
	return words
}

func plural(_ currency, digits, one, many string) string {
	if strings.TrimLeft(digits, "0") == "1" {
		return one
	}
	return many
}

// deferScales moves a currency unit after a scale word that follows the
// amount: "$5 million" is read "five million dollars".
func deferScales(raws []rawToken, toks []Token) {
	for i := 0; i+1 < len(raws); i++ {
		core := raws[i].core
		sym := ""
		for s := range currencies {
			if strings.HasPrefix(core, s) || strings.HasSuffix(core, s) {
				sym = s
			}
		}
		if sym == "" || len(toks[i].Words) == 0 || !scaleWords[strings.ToLower(raws[i+1].core)] {
			continue
		}
		toks[i+1].Words = append(toks[i+1].Words, currencies[sym].many)
	}
}

// readPercent reads "50%" and "-3.5%".
func readPercent(core string, raws []rawToken, i int) ([]string, bool) {
	n, ok := strings.CutSuffix(core, "%")
	if !ok {
		return nil, false
	}
	words, ok := signedNumber(n)
	if !ok {
		return nil, false
	}
	return append(words, "percent"), true
}

// readTime reads clock times: "3:45" → "three forty-five", "3:05 pm" →
// "three oh five p m", "15:00" → "fifteen hundred", "7am".
func readTime(core string, _ []rawToken, _ int) ([]string, bool) {
	m := timeRE.FindStringSubmatch(core)
	if m == nil {
		return nil, false
	}
	h, mm, ss, mer := m[1], m[2], m[3], m[4]
	if m[5] != "" {
		h, mm, mer = m[5], "00", m[6]
	}
	if atoi(h) > 24 || atoi(mm) > 59 || atoi(ss) > 59 || (mer != "" && (atoi(h) > 12 || atoi(h) == 0)) {
		return nil, false
	}
	words := cardinal(strings.TrimLeft(h, "0"))
	if strings.TrimLeft(h, "0") == "" {
		words = []string{"zero"}
	}
	switch {
	case mm == "00" && (mer != "" || atoi(h) <= 12):
		if mer == "" {
			words = append(words, "o'clock")
		}
	case mm == "00":
		words = append(words, "hundred")
	case mm[0] == '0':
		words = append(words, "oh", ones[mm[1]-'0'])
	default:
		words = append(words, below100(atoi(mm)))
	}
	if ss != "" && ss != "00" {
		words = append(append(append(words, "and"), cardinal(strings.TrimLeft(ss, "0"))...), "seconds")
	}
	if mer != "" {
		words = append(words, strings.ToLower(mer[:1]), "m")
	}
	return words, true
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// monthAbbrevs are the months' usual abbreviations.
var monthAbbrevs = map[string]bool{"jan": true, "feb": true, "mar": true, "apr": true, "jun": true,
	"jul": true, "aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true}

// isMonth reports whether w (lowercase) names a month, in full or
// abbreviated ("sep", "sept.").
func isMonth(w string) bool {
	w = strings.TrimSuffix(w, ".")
	if monthAbbrevs[w] {
		return true
	}
	for _, m := range monthNames {
		if w == strings.ToLower(m) {
			return true
		}
	}
	return false
}

// readDate reads ISO dates ("2024-03-15") and slashed ones, month first
// when it can be ("03/15/2024" and "15/03/2024" are both March 15).
func readDate(core string, _ []rawToken, _ int) ([]string, bool) {
	var y, mo, d string
	if m := isoRE.FindStringSubmatch(core); m != nil {
		y, mo, d = m[1], m[2], m[3]
	} else if m := slashRE.FindStringSubmatch(core); m != nil {
		mo, d, y = m[1], m[2], m[3]
		if atoi(mo) > 12 {
			mo, d = d, mo
		}
		if len(y) == 2 {
			y = map[bool]string{true: "20", false: "19"}[y < "50"] + y
		}
	} else {
		return nil, false
	}
	if atoi(mo) < 1 || atoi(mo) > 12 || atoi(d) < 1 || atoi(d) > 31 {
		return nil, false
	}
	words := append([]string{monthNames[atoi(mo)-1]}, ordinal(cardinal(strings.TrimLeft(d, "0")))...)
	return append(words, year(y)...), true
}
