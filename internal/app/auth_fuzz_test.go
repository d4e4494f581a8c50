package app

import (
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{"ada@example.com", " Ada@Example.COM ", "a@b", "x <a@b.c>", "\"q\"@x.org", "a@b.c\n", "é@ü.de"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		email, err := normalizeEmail(s)
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("normalizeEmail(%q): %v is not EInvalid", s, err)
			}
			return
		}
		if email != strings.ToLower(email) || len(email) > 254 || strings.ContainsAny(email, " \t\r\n") || !storable(email) {
			t.Fatalf("normalizeEmail(%q) = %q", s, email)
		}
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			t.Fatalf("normalizeEmail(%q) = %q, which does not parse back: %v", s, email, err)
		}
	})
}

// FuzzParseToken feeds tokens to the verifier. The seeds are tokens signed
// with the service's key (a live one and an expired one) and forgeries: a
// token signed with another key, one signed with the right key under
// another algorithm, an unsigned one. The fuzzer has no key, so whatever it
// builds is accepted only if it is a live token the service signed: same
// header and claims bytes, hence exactly the subject signed.
func FuzzParseToken(f *testing.F) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	key := []byte(strings.Repeat("k", 32))
	s := &Service{cfg: Config{JWTSecret: key, TokenTTL: time.Hour, Now: func() time.Time { return now }}}
	const subject = "0123456789abcdef0123456789abcdef"
	good, _ := s.issueToken(subject)
	// signed maps the signed part (header.claims) of each live token the
	// service issued to its subject.
	signed := map[string]string{good[:strings.LastIndexByte(good, '.')]: subject}

	past := &Service{cfg: Config{JWTSecret: key, TokenTTL: time.Hour, Now: func() time.Time { return now.Add(-2 * time.Hour) }}}
	expired, _ := past.issueToken(subject)
	claims := jwt.RegisteredClaims{Issuer: tokenIssuer, Subject: "mallory", ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}
	otherKey, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(strings.Repeat("x", 32)))
	otherAlg, _ := jwt.NewWithClaims(jwt.SigningMethodHS384, claims).SignedString(key)
	unsigned, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for _, seed := range []string{good, expired, otherKey, otherAlg, unsigned, "", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", good[:len(good)-2]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		sub, err := s.parseToken(tok)
		if err != nil {
			if ErrorCode(err) != EUnauthorized {
				t.Fatalf("parseToken: %v is not EUnauthorized", err)
			}
			return
		}
		dot := strings.LastIndexByte(tok, '.')
		if want, ok := signed[tok[:max(dot, 0)]]; !ok || sub != want {
			t.Fatalf("parseToken(%q) accepted subject %q; the service signed no such token", tok, sub)
		}
	})
}
