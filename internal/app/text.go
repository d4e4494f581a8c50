package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits on user-supplied text, in characters (runes).
const (
	maxNameRunes        = 100
	maxDescriptionRunes = 1000
	maxTranscriptRunes  = 5000
	// MaxTextRunes is the longest text Synthesize speaks: its audio is
	// made whole in memory. StartSpeech streams up to MaxStreamTextRunes.
	MaxTextRunes = 5000
)

// cleanName trims a one-line name and checks it: valid UTF-8, no control
// characters, at most max characters. Empty becomes def.
func cleanName(s, def, field string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, nil
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", Errorf(EInvalid, "The %s contains invalid characters.", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", Errorf(EInvalid, "The %s is too long: %d characters, at most %d.", field, n, max)
	}
	return s, nil
}

// cleanText trims multi-line text and checks it: valid UTF-8, no control
// characters other than newlines and tabs, at most max characters.
func cleanText(s, field string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.IndexFunc(s, badTextRune) >= 0 {
		return "", Errorf(EInvalid, "The %s contains invalid characters.", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", Errorf(EInvalid, "The %s is too long: %d characters, at most %d.", field, n, max)
	}
	return s, nil
}

// storable reports whether both stores can hold s as text. PostgreSQL
// refuses NUL and invalid UTF-8 where SQLite keeps them, so such a string
// must never reach a store: one would fail with an internal error where the
// other answers. Ids and text from clients are checked with it before any
// work.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// checkID answers ENotFound, as the store would for an unknown id, for an
// id that no store can hold.
func checkID(id, what string) error {
	if storable(id) {
		return nil
	}
	return notFound(what)
}

func badTextRune(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'
}
