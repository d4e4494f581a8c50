package app

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"  My voice ", "", "a\x00b", "line\nbreak", strings.Repeat("é", 101), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if name, err := cleanName(s, "default", "name", maxNameRunes); err == nil {
			if !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes || name == "" ||
				strings.ContainsAny(name, "\n\r\x00") || name != strings.TrimSpace(name) {
				t.Fatalf("cleanName(%q) = %q", s, name)
			}
		} else if ErrorCode(err) != EInvalid {
			t.Fatalf("cleanName(%q): %v", s, err)
		}
		if text, err := cleanText(s, "text", 50); err == nil {
			if !utf8.ValidString(text) || utf8.RuneCountInString(text) > 50 || strings.ContainsRune(text, 0) {
				t.Fatalf("cleanText(%q) = %q", s, text)
			}
		} else if ErrorCode(err) != EInvalid {
			t.Fatalf("cleanText(%q): %v", s, err)
		}
	})
}
