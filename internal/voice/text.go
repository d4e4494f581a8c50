package voice

import (
	"strings"
	"unicode"
)

// maxChunkBytes keeps each base-synthesizer call small: memory stays flat
// and sentences can be rendered in parallel.
const maxChunkBytes = 600

// abbreviations end in a period without ending a sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "jr": true, "sr": true,
	"prof": true, "vs": true, "etc": true, "e.g": true, "i.e": true, "no": true, "mt": true,
}

// splitSentences cuts text after sentence-final punctuation followed by
// space (a period only before a capital or digit and not after an
// abbreviation or initial), then cuts over-long pieces at the last space
// before the limit. Pieces with no letters or digits are dropped.
func splitSentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i := range rs {
		if i == len(rs)-1 || sentenceEnd(rs, start, i) {
			out = appendChunk(out, string(rs[start:i+1]))
			start = i + 1
		}
	}
	return out
}

// sentenceEnd reports whether rs[i] ends a sentence that began at start.
func sentenceEnd(rs []rune, start, i int) bool {
	if !strings.ContainsRune(".!?;", rs[i]) || !unicode.IsSpace(rs[i+1]) {
		return false
	}
	if rs[i] != '.' {
		return true
	}
	w := i
	for w > start && !unicode.IsSpace(rs[w-1]) {
		w--
	}
	word := strings.ToLower(string(rs[w:i]))
	if abbreviations[word] || len([]rune(word)) == 1 {
		return false
	}
	for _, r := range rs[i+1:] {
		if !unicode.IsSpace(r) {
			return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"'“‘(", r)
		}
	}
	return true
}

func appendChunk(out []string, s string) []string {
	s = strings.TrimSpace(s)
	for len(s) > maxChunkBytes {
		cut := strings.LastIndexFunc(s[:maxChunkBytes], unicode.IsSpace)
		if cut <= 0 {
			cut = maxChunkBytes
			for !utf8Start(s[cut]) {
				cut--
			}
		}
		out = appendChunk(out, s[:cut])
		s = strings.TrimSpace(s[cut:])
	}
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return out
	}
	return append(out, s)
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
