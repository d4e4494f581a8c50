// Package compat holds what voxclone's compatible APIs share: OpenAI's
// speech API (package compat/openai, under /v1) and a subset of
// ElevenLabs' API (package compat/elevenlabs, under /elevenlabs). Both
// translate their clients' requests into calls of the service layer
// (package app); this package reads their JSON bodies leniently, checks
// text, finds a voice by id or name and writes audio as it is produced.
// It knows nothing of SQL and nothing of either API's error shape: errors
// are app errors, optionally naming the request field at fault.
package compat

import (
	"errors"
	"fmt"

	"github.com/voxclone/voxclone/internal/app"
)

// FieldError is an app error about one request field (a JSON member, a
// query parameter or a form field). OpenAI's error shape reports the
// field as "param".
type FieldError struct {
	Field string
	Err   *app.Error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap exposes the app error, so app.ErrorCode and errors.As see it.
func (e *FieldError) Unwrap() error { return e.Err }

// Fieldf returns a FieldError with code and a formatted message.
func Fieldf(field, code, format string, args ...any) error {
	return &FieldError{Field: field, Err: app.Errorf(code, format, args...)}
}

// FieldOf returns the field an error is about, or "".
func FieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// Reason is a machine-readable cause finer than an app code, such as
// "voice_not_found", which each API spells in its own error shape.
type Reason struct {
	Why string
	Err error
}

func (e *Reason) Error() string { return e.Why + ": " + e.Err.Error() }
func (e *Reason) Unwrap() error { return e.Err }

// WithReason wraps err with a reason.
func WithReason(why string, err error) error {
	if err == nil {
		return nil
	}
	return &Reason{Why: why, Err: err}
}

// ReasonOf returns the reason of err, or "".
func ReasonOf(err error) string {
	var r *Reason
	if errors.As(err, &r) {
		return r.Why
	}
	return ""
}

// Reasons the compatible APIs share.
const (
	ReasonVoiceNotFound = "voice_not_found"
	ReasonVoiceNotReady = "voice_not_ready"
	ReasonTextTooLong   = "text_too_long"
	ReasonBadFormat     = "unsupported_format"
	ReasonBadModel      = "model_not_found"
)

// humanCount writes n with thousands separators, as messages show caps.
func humanCount(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
