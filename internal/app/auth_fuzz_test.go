package app

import (
	"net/mail"
	"strings"
	"testing"
	"time"
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

func FuzzParseToken(f *testing.F) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Service{cfg: Config{JWTSecret: []byte(strings.Repeat("k", 32)), TokenTTL: time.Hour, Now: func() time.Time { return now }}}
	good, _ := s.issueToken("0123456789abcdef0123456789abcdef")
	for _, seed := range []string{good, "", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", good[:len(good)-2]} {
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
		if tok != good && sub == "" {
			t.Fatalf("parseToken(%q) accepted with no subject", tok)
		}
	})
}
