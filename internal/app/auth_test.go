package app_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
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
		if keys, err := f.svc.ListAPIKeys(ctx, bob.ID); err != nil || len(keys) != 0 {
			t.Errorf("bob's ListAPIKeys = %+v, %v; want none", keys, err)
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

// TestNewServiceConfig starts from a configuration and dependencies that
// work and breaks one thing per case, so each refusal has exactly one
// cause.
func TestNewServiceConfig(t *testing.T) {
	db := sqlitetest.Open(t, filepath.Join(t.TempDir(), "voxclone.db"))
	blobs, err := blob.NewLocal(t.TempDir())
	must(t, err)
	t.Cleanup(func() { blobs.Close() })
	deps := app.Deps{Store: db, Blobs: blobs, Engine: noEngine{}, Queue: &apptest.Queue{}}
	good := app.Config{JWTSecret: testSecret, PasswordCost: bcrypt.MinCost}
	if _, err := app.NewService(good, deps); err != nil {
		t.Fatalf("NewService refused a good configuration: %v", err)
	}
	bad := app.Rate{Count: -1, Window: time.Hour}
	tests := []struct {
		name string
		cfg  func(*app.Config)
		deps func(*app.Deps)
		want string // in the error
	}{
		{"ErrShortSecret", func(c *app.Config) { c.JWTSecret = testSecret[:app.MinJWTSecretBytes-1] }, nil, "JWT secret must be at least 32 bytes"},
		{"ErrNoStore", nil, func(d *app.Deps) { d.Store = nil }, "needs a Store, Blobs, an Engine and a Queue"},
		{"ErrNoBlobs", nil, func(d *app.Deps) { d.Blobs = nil }, "needs a Store, Blobs, an Engine and a Queue"},
		{"ErrNoEngine", nil, func(d *app.Deps) { d.Engine = nil }, "needs a Store, Blobs, an Engine and a Queue"},
		{"ErrNoQueue", nil, func(d *app.Deps) { d.Queue = nil }, "needs a Store, Blobs, an Engine and a Queue"},
		{"ErrRate", func(c *app.Config) { c.RateLimit = bad }, nil, "invalid rate limit"},
		{"ErrRateWindow", func(c *app.Config) { c.RateLimit = app.Rate{Count: 1, Window: -time.Hour} }, nil, "invalid rate limit"},
		{"ErrLoginRate", func(c *app.Config) { c.LoginRate = bad }, nil, "invalid rate limit"},
		{"ErrLoginClientRate", func(c *app.Config) { c.LoginClientRate = bad }, nil, "invalid rate limit"},
		{"ErrRegisterRate", func(c *app.Config) { c.RegisterRate = bad }, nil, "invalid rate limit"},
		{"ErrTokenTTL", func(c *app.Config) { c.TokenTTL = -time.Hour }, nil, "negative"},
		{"ErrMaxUpload", func(c *app.Config) { c.MaxUploadBytes = -1 }, nil, "negative"},
		{"ErrCacheSize", func(c *app.Config) { c.ProfileCacheSize = -1 }, nil, "negative"},
		{"ErrPasswordCost", func(c *app.Config) { c.PasswordCost = bcrypt.MaxCost + 1 }, nil, "bcrypt cost"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, d := good, deps
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			if tt.deps != nil {
				tt.deps(&d)
			}
			_, err := app.NewService(cfg, d)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewService = %v, want an error about %q", err, tt.want)
			}
		})
	}
}
