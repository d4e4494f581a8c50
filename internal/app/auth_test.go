package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/voxclone/voxclone/internal/app"
)

func TestAuth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		ctx := t.Context()
		u, tok, err := f.svc.Register(ctx, "  Ada.Lovelace@Example.COM ", "correct horse battery")
		must(t, err)
		if u.Email != "ada.lovelace@example.com" || len(u.ID) != 32 {
			t.Errorf("Register = %+v, want lowercased email and a 32-hex id", u)
		}
		got, err := f.svc.Authenticate(ctx, tok)
		must(t, err)
		if got != u {
			t.Errorf("Authenticate(token) = %+v, want %+v", got, u)
		}
		if got, err := f.svc.Authenticate(ctx, "Bearer "+tok); err != nil || got.ID != u.ID {
			t.Errorf("Authenticate(Bearer token) = %+v, %v", got, err)
		}

		t.Run("ErrConflict", func(t *testing.T) {
			_, _, err := f.svc.Register(ctx, "ADA.LOVELACE@example.com", "another password")
			wantCode(t, err, app.EConflict)
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			for _, email := range []string{"", "ada", "ada@", "@example.com", "ada@example", "Ada <ada@example.com>",
				"ada lovelace@example.com", "ada@exa mple.com", strings.Repeat("a", 250) + "@example.com"} {
				_, _, err := f.svc.Register(ctx, email, "correct horse battery")
				wantCode(t, err, app.EInvalid)
			}
			for _, pw := range []string{"", "short", "1234567", strings.Repeat("x", 73)} {
				_, _, err := f.svc.Register(ctx, "pw@example.com", pw)
				wantCode(t, err, app.EInvalid)
			}
		})
		t.Run("Login", func(t *testing.T) {
			tok, err := f.svc.Login(ctx, "ada.lovelace@EXAMPLE.com", "correct horse battery")
			must(t, err)
			if got, err := f.svc.Authenticate(ctx, tok); err != nil || got.ID != u.ID {
				t.Errorf("Authenticate(login token) = %+v, %v", got, err)
			}
			_, errWrong := f.svc.Login(ctx, "ada.lovelace@example.com", "wrong horse battery")
			wantCode(t, errWrong, app.EUnauthorized)
			_, errUnknown := f.svc.Login(ctx, "nobody@example.com", "correct horse battery")
			wantCode(t, errUnknown, app.EUnauthorized)
			if app.ErrorMessage(errWrong) != app.ErrorMessage(errUnknown) {
				t.Errorf("wrong password says %q, unknown email says %q: they must not differ",
					app.ErrorMessage(errWrong), app.ErrorMessage(errUnknown))
			}
		})
		t.Run("ErrBadTokens", func(t *testing.T) {
			for _, bad := range []string{"", "Bearer ", "garbage", tok + "x", tok[:len(tok)-3],
				forge(t, jwt.SigningMethodHS512, testSecret, u.ID, f.clock.Now()),
				forge(t, jwt.SigningMethodHS256, []byte("another secret of at least 32 bytes!!"), u.ID, f.clock.Now()),
				forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, u.ID, f.clock.Now()),
				forge(t, jwt.SigningMethodHS256, testSecret, app.NewID(), f.clock.Now()),
			} {
				_, err := f.svc.Authenticate(ctx, bad)
				wantCode(t, err, app.EUnauthorized)
			}
		})
		t.Run("ErrExpired", func(t *testing.T) {
			f.clock.Advance(app.DefaultTokenTTL - time.Minute)
			if _, err := f.svc.Authenticate(ctx, tok); err != nil {
				t.Fatalf("token refused a minute before expiry: %v", err)
			}
			f.clock.Advance(2 * time.Minute)
			_, err := f.svc.Authenticate(ctx, tok)
			wantCode(t, err, app.EUnauthorized)
			if msg := app.ErrorMessage(err); !strings.Contains(msg, "expired") {
				t.Errorf("expired token message %q does not say it expired", msg)
			}
		})
	})
}

// forge signs a token with any method and key, as an attacker would.
func forge(t *testing.T, m jwt.SigningMethod, key any, sub string, now time.Time) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, jwt.RegisteredClaims{Issuer: "voxclone", Subject: sub,
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}).SignedString(key)
	must(t, err)
	return s
}

func TestAPIKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		ctx := t.Context()
		alice, _ := f.register(t, "alice@example.com")
		bob, _ := f.register(t, "bob@example.com")

		k, secret, err := f.svc.CreateAPIKey(ctx, alice.ID, " laptop ")
		must(t, err)
		if !strings.HasPrefix(secret, "vxk_") || !strings.HasPrefix(secret, k.Prefix) || k.Name != "laptop" || len(secret) < 40 {
			t.Fatalf("CreateAPIKey = %+v, %q", k, secret)
		}
		got, err := f.svc.Authenticate(ctx, secret)
		must(t, err)
		if got.ID != alice.ID {
			t.Fatalf("API key authenticates %s, want alice", got.ID)
		}
		keys, err := f.svc.ListAPIKeys(ctx, alice.ID)
		must(t, err)
		if len(keys) != 1 || keys[0].LastUsedAt == nil || !keys[0].LastUsedAt.Equal(f.clock.Now()) {
			t.Errorf("ListAPIKeys = %+v, want one key used now", keys)
		}
		if keys, _ := f.svc.ListAPIKeys(ctx, bob.ID); len(keys) != 0 {
			t.Errorf("bob sees keys %+v", keys)
		}

		tampered := secret[:len(secret)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", secret[len(secret)-1])+1)%16])
		for _, bad := range []string{tampered, secret + "0", "vxk_", "vxk_" + strings.Repeat("Z", 40)} {
			_, err := f.svc.Authenticate(ctx, bad)
			wantCode(t, err, app.EUnauthorized)
		}

		wantCode(t, f.svc.DeleteAPIKey(ctx, bob.ID, k.ID), app.ENotFound)
		if _, err := f.svc.Authenticate(ctx, secret); err != nil {
			t.Fatalf("bob's delete attempt revoked alice's key: %v", err)
		}
		must(t, f.svc.DeleteAPIKey(ctx, alice.ID, k.ID))
		_, err = f.svc.Authenticate(ctx, secret)
		wantCode(t, err, app.EUnauthorized)
	})
}

func TestNewServiceConfig(t *testing.T) {
	deps := app.Deps{Store: nil}
	if _, err := app.NewService(app.Config{JWTSecret: []byte("short")}, deps); err == nil {
		t.Error("NewService accepted a 5-byte secret")
	}
	if _, err := app.NewService(app.Config{JWTSecret: testSecret}, deps); err == nil {
		t.Error("NewService accepted missing dependencies")
	}
	if _, err := app.NewService(app.Config{JWTSecret: testSecret, RateLimit: app.Rate{Count: -1, Window: time.Hour}}, deps); err == nil {
		t.Error("NewService accepted a negative rate")
	}
}
