package app

import (
	"crypto/rand"
	"encoding/hex"
	"time"
	"unicode"
	"unicode/utf8"
)

// NewID returns a fresh random identifier: 32 lowercase hex characters
// (128 bits), so ids can neither be guessed nor enumerated.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// Timestamp returns t in UTC truncated to the microsecond, the precision
// both stores keep, so a value read back equals the one written.
func Timestamp(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}

// notFound returns the ENotFound error for a missing thing, as a sentence:
// "Voice model not found.".
func notFound(what string) *Error {
	return Errorf(ENotFound, "%s not found.", sentenceCase(what))
}

// NotFound returns the ENotFound error stores use for a missing row of kind
// what ("sample", "voice model"…).
func NotFound(what string) error { return notFound(what) }

// Conflict returns the EConflict error stores use when a row of kind what
// ("sample", "API key"…) already exists.
func Conflict(what string, err error) error {
	return &Error{Code: EConflict, Message: sentenceCase(what) + " already exists.", Err: err}
}

// sentenceCase upper-cases the first letter of s, which starts a message.
func sentenceCase(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
