package voice

import (
	"strings"
	"unicode"
)

// maxChunkBytes keeps each base-synthesizer call small: memory stays flat
// and long text can be rendered sentence by sentence.
const maxChunkBytes = 600

// splitSentences cuts text after sentence-final punctuation followed by
// space, then cuts over-long pieces at the last space before the limit.
// Pieces with no letters or digits are dropped.
func splitSentences(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		end := i == len(rs)-1
		if !end && !(strings.ContainsRune(".!?;", r) && unicode.IsSpace(rs[i+1])) {
			continue
		}
		out = appendChunk(out, string(rs[start:i+1]))
		start = i + 1
	}
	return out
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
