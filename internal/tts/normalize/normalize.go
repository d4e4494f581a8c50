// Package normalize rewrites written English into the words a reader says:
// numbers, ordinals, currency, dates, times, percentages, units,
// abbreviations, URLs and e-mail addresses become words, typographic
// punctuation becomes the pauses it stands for, and accented Latin letters
// lose their accents. The base synthesizer reads only plain ASCII words;
// everything it would misread or skip is settled here, where it can be
// tested.
//
// Text returns one Token per written token, with its byte span in the
// input, so that the time each spoken word takes can be traced back to the
// words as written (for word highlighting and character timings). Letters
// of scripts the engine cannot read (Chinese, Cyrillic, …) are dropped and
// counted, so callers can refuse text that is mostly unreadable.
package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Break is the pause that follows a token.
type Break uint8

// Breaks, from none to the longest.
const (
	NoBreak   Break = iota
	Clause          // comma, semicolon, colon, dash or ellipsis: a short pause
	Sentence        // end of a sentence
	Paragraph       // end of a paragraph (a blank line)
)

// Token is one written token and how it is read.
type Token struct {
	// Start and End are the token's byte offsets in the text, punctuation
	// around it included; CoreStart and CoreEnd leave out the quotes,
	// brackets and sentence punctuation around it.
	Start, End         int
	CoreStart, CoreEnd int
	// Words is what is said, in order: ASCII words of letters, apostrophes
	// and inner hyphens, each with at least one letter. It is empty for
	// tokens that are not read (punctuation, emoji, unreadable scripts).
	Words []string
	// Punct is the punctuation read after the words, which shapes the
	// intonation: 0, ',', '.', '?' or '!'.
	Punct byte
	// Break is the pause after the token.
	Break Break
	// Unread counts the letters and digits of scripts the engine does not
	// read, which were dropped.
	Unread int
}

// Text splits s into tokens and reads each. Invalid UTF-8 bytes are
// skipped like unreadable characters.
func Text(s string) []Token {
	raws := split(s)
	toks := make([]Token, len(raws))
	for i := range raws {
		toks[i] = read(s, raws, i)
	}
	deferScales(raws, toks)
	last := -1 // the last token with words
	for i := range raws {
		toks[i].Break, toks[i].Punct = breakAfter(s, raws, i)
		switch {
		case len(toks[i].Words) > 0:
			last = i
		case last >= 0 && toks[i].Break > toks[last].Break:
			// Punctuation standing apart ("late …" or a closing quote at
			// the end) belongs to the words before it.
			toks[last].Break, toks[last].Punct = toks[i].Break, toks[i].Punct
		}
	}
	return toks
}

// Spoken joins the words of toks with spaces, each token's punctuation
// after its last word: the text the synthesizer reads.
func Spoken(toks []Token) string {
	var b strings.Builder
	for _, t := range toks {
		for j, w := range t.Words {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			if j == len(t.Words)-1 && t.Punct != 0 {
				b.WriteByte(t.Punct)
			}
		}
	}
	return b.String()
}

// rawToken is a written token: the span between separators, its core
// without the punctuation around it, and the separator that follows.
type rawToken struct {
	start, end int    // the whole token
	core       string // without leading and trailing punctuation
	lead       string // opening quotes and brackets
	trail      string // closing quotes, brackets and sentence punctuation
	gap        gap    // what separates it from the next token
}

// gap describes a separator: how many line breaks it holds, whether it is
// (or holds) a dash or an ellipsis, and the length of the line it ends.
type gap struct {
	newlines int
	dash     bool
	lineLen  int // characters on the line that ends at the first newline
}

// isSeparator reports whether r separates tokens by itself: white space
// (including no-break and zero-width spaces), em dashes, and ellipses.
func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || r == '—' || r == '―' || r == '…'
}

// split cuts s into raw tokens. En dashes and double hyphens separate
// tokens too, except between digits, where they mark a range.
func split(s string) []rawToken {
	var out []rawToken
	lineStart := 0
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSeparator(r) || dashAt(s, i) {
			j, g := skipGap(s, i, lineStart)
			if len(out) > 0 {
				out[len(out)-1].gap = mergeGap(out[len(out)-1].gap, g)
			}
			if g.newlines > 0 {
				lineStart = lastLineStart(s, i, j)
			}
			i = j
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if isSeparator(r2) || dashAt(s, j) {
				break
			}
			j += n2
		}
		out = append(out, newRaw(s, i, j))
		i = j
	}
	return out
}

// dashAt reports whether a token-separating dash starts at s[i]: an en
// dash or "--" that is not between two digits.
func dashAt(s string, i int) bool {
	n := 0
	switch {
	case strings.HasPrefix(s[i:], "–"):
		n = len("–")
	case strings.HasPrefix(s[i:], "--"):
		n = 2
		for i+n < len(s) && s[i+n] == '-' {
			n++
		}
	default:
		return false
	}
	before := i > 0 && s[i-1] >= '0' && s[i-1] <= '9'
	after := i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '9'
	return !(before && after)
}

// skipGap consumes separators from s[i], returning where the next token
// starts and what the gap held.
func skipGap(s string, i, lineStart int) (int, gap) {
	var g gap
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			if g.newlines == 0 {
				g.lineLen = utf8.RuneCountInString(s[lineStart:i])
			}
			g.newlines++
		case r == '—' || r == '―' || r == '…':
			g.dash = true
		case dashAt(s, i):
			g.dash = true
			if r == '-' {
				for i+n < len(s) && s[i+n] == '-' {
					n++
				}
			}
		case !isSeparator(r):
			return i, g
		}
		i += n
	}
	return i, g
}

func lastLineStart(s string, from, to int) int {
	if k := strings.LastIndexByte(s[from:to], '\n'); k >= 0 {
		return from + k + 1
	}
	return from
}

func mergeGap(a, b gap) gap {
	if a.newlines == 0 {
		a.lineLen = b.lineLen
	}
	a.newlines += b.newlines
	a.dash = a.dash || b.dash
	return a
}

// Punctuation stripped from the ends of a token.
const (
	leadPunct  = "\"'([{“‘«‹„‚¿¡*_`"
	trailPunct = "\"')]}”’»›.,;:!?*_`"
)

func newRaw(s string, start, end int) rawToken {
	t := rawToken{start: start, end: end}
	core := s[start:end]
	for core != "" {
		r, n := utf8.DecodeRuneInString(core)
		if !strings.ContainsRune(leadPunct, r) {
			break
		}
		t.lead += string(r)
		core = core[n:]
	}
	for core != "" {
		r, n := utf8.DecodeLastRuneInString(core)
		if !strings.ContainsRune(trailPunct, r) {
			break
		}
		t.trail = string(r) + t.trail
		core = core[:len(core)-n]
	}
	t.core = core
	return t
}
