package app

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The HTTP layer maps each to one status code; every other error
// is "internal" and its text is never shown to users.
const (
	EInvalid       = "invalid"           // 400: malformed request
	EUnauthorized  = "unauthorized"      // 401: no or bad credentials
	EForbidden     = "forbidden"         // 403: authenticated, but this is refused (a wrong password re-entered)
	ENotFound      = "not_found"         // 404: missing, or not the caller's
	EConflict      = "conflict"          // 409: e.g. email already registered
	ETooLarge      = "too_large"         // 413: body or upload over the limit
	EUnsupported   = "unsupported_media" // 415: audio container not supported
	EUnprocessable = "unprocessable"     // 422: well-formed but unusable (3 s of speech…)
	ERateLimited   = "rate_limited"      // 429
	// A clone without the user's verified spoken consent (403), or whose
	// samples are not the consenting voice (403); a consent recording that
	// was refused (422).
	EConsentRequired = "consent_required"
	EConsentMismatch = "consent_mismatch"
	EConsentRefused  = "consent_refused"
	EInternal        = "internal"    // 500
	EUnavailable     = "unavailable" // 503
)

// Error is an application error carrying a machine code and a message safe
// to show to users.
type Error struct {
	Code    string
	Message string
	// RetryAfter is set on ERateLimited errors, and on EUnavailable ones
	// when the engine is busy (ErrBusy).
	RetryAfter time.Duration
	// Err is the underlying cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or
// EInternal when there is none (and "" for a nil error).
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err, or a generic one for
// internal errors so no detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}
