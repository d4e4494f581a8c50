package voice

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitSentences(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Hello there. How are you? Fine!", []string{"Hello there.", "How are you?", "Fine!"}},
		{"Dr. Smith paid $3.50 today. J. R. R. Tolkien wrote it.", []string{"Dr. Smith paid $3.50 today.", "J. R. R. Tolkien wrote it."}},
		{"It ended at 5 p.m. and then we left.", []string{"It ended at 5 p.m. and then we left."}},
		{"  ...  !!  ", nil},
		{"no punctuation at all", []string{"no punctuation at all"}},
		{"", nil},
	}
	for _, c := range cases {
		if got := splitSentences(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitSentences(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSplitSentencesLong(t *testing.T) {
	long := strings.Repeat("wörd ", 400) + strings.Repeat("é", 700)
	for _, s := range splitSentences(long) {
		if len(s) > maxChunkBytes || !utf8.ValidString(s) {
			t.Fatalf("chunk of %d bytes (valid UTF-8: %v)", len(s), utf8.ValidString(s))
		}
	}
}

// FuzzSplitSentences: any text splits without panicking into bounded
// chunks that are valid UTF-8 when the input is.
func FuzzSplitSentences(f *testing.F) {
	f.Add("Hello there. How are you? Dr. Who!")
	f.Add(strings.Repeat("ab. ", 300))
	f.Add("\xff\xfe. A")
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range splitSentences(s) {
			if len(c) > maxChunkBytes || c == "" {
				t.Fatalf("chunk of %d bytes", len(c))
			}
			if utf8.ValidString(s) && !utf8.ValidString(c) {
				t.Fatalf("invalid UTF-8 chunk %q", c)
			}
		}
	})
}
