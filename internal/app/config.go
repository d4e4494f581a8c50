package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Defaults used when Config leaves a field zero.
const (
	DefaultTokenTTL         = 24 * time.Hour
	DefaultMaxUploadBytes   = 10 << 20 // 10 MiB
	DefaultProfileCacheSize = 32
	// MinJWTSecretBytes is the shortest signing secret NewService accepts
	// (256 bits, as HS256 wants).
	MinJWTSecretBytes = 32
)

// DefaultRate is the request budget per user and action: 20 per hour.
var DefaultRate = Rate{Count: 20, Window: time.Hour}

// Config holds the Service's settings. Only JWTSecret is required; zero
// fields take the defaults above.
type Config struct {
	// JWTSecret signs session tokens (HS256); at least MinJWTSecretBytes.
	JWTSecret []byte
	// TokenTTL is how long a login token stays valid.
	TokenTTL time.Duration
	// MaxUploadBytes bounds an uploaded sample; more is ETooLarge.
	MaxUploadBytes int64
	// RateLimit is each user's budget for each Action, counted in a sliding
	// window stored in the database.
	RateLimit Rate
	// Now is the clock; tests pin it. Defaults to time.Now.
	Now func() time.Time
	// PasswordCost is the bcrypt cost; tests lower it to bcrypt.MinCost.
	PasswordCost int
	// ProfileCacheSize bounds how many voice profiles stay in memory.
	ProfileCacheSize int
	// Version is reported by Health.
	Version string
	// Logger receives failures that do not reach the caller (cleaning up
	// blobs, recording API key use). Nil discards.
	Logger *slog.Logger
}

// DefaultConfig returns the defaults; the caller still sets JWTSecret.
func DefaultConfig() Config {
	return Config{
		TokenTTL: DefaultTokenTTL, MaxUploadBytes: DefaultMaxUploadBytes, RateLimit: DefaultRate,
		Now: time.Now, PasswordCost: bcrypt.DefaultCost, ProfileCacheSize: DefaultProfileCacheSize,
	}
}

// Deps are the Service's collaborators; all are required.
type Deps struct {
	Store  Store
	Blobs  Blobs
	Engine Engine
}

// withDefaults validates c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	if len(c.JWTSecret) < MinJWTSecretBytes {
		return c, fmt.Errorf("app: JWT secret must be at least %d bytes, got %d", MinJWTSecretBytes, len(c.JWTSecret))
	}
	if c.TokenTTL == 0 {
		c.TokenTTL = DefaultTokenTTL
	}
	if c.MaxUploadBytes == 0 {
		c.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if c.RateLimit == (Rate{}) {
		c.RateLimit = DefaultRate
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PasswordCost == 0 {
		c.PasswordCost = bcrypt.DefaultCost
	}
	if c.ProfileCacheSize == 0 {
		c.ProfileCacheSize = DefaultProfileCacheSize
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.TokenTTL < 0 || c.MaxUploadBytes < 0 || c.ProfileCacheSize < 0:
		return c, errors.New("app: negative TokenTTL, MaxUploadBytes or ProfileCacheSize")
	case c.RateLimit.Count <= 0 || c.RateLimit.Window <= 0:
		return c, fmt.Errorf("app: invalid rate limit %v", c.RateLimit)
	case c.PasswordCost < bcrypt.MinCost || c.PasswordCost > bcrypt.MaxCost:
		return c, fmt.Errorf("app: bcrypt cost %d out of range", c.PasswordCost)
	}
	return c, nil
}

// Rate is a request budget: Count requests in any Window.
type Rate struct {
	Count  int
	Window time.Duration
}

// String formats r as ParseRate reads it ("20/h", or "20/90m" for odd
// windows).
func (r Rate) String() string {
	for _, u := range rateUnits {
		if r.Window == u.d {
			return fmt.Sprintf("%d/%s", r.Count, u.name)
		}
	}
	return fmt.Sprintf("%d/%s", r.Count, r.Window)
}

var rateUnits = []struct {
	name string
	d    time.Duration
}{{"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour}}

// ParseRate reads a budget written "COUNT/WINDOW": WINDOW is s, m, h or d
// (also second, minute, hour, day) or a Go duration such as "30m", e.g.
// "20/h", "100/d", "5/m", "10/90s". COUNT is 1 to 1,000,000 and the window
// at most 366 days.
func ParseRate(s string) (Rate, error) {
	count, window, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Rate{}, fmt.Errorf("rate %q: want COUNT/WINDOW, e.g. 20/h", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(count))
	if err != nil || n < 1 || n > 1_000_000 {
		return Rate{}, fmt.Errorf("rate %q: count must be a whole number from 1 to 1000000", s)
	}
	w, err := parseWindow(strings.ToLower(strings.TrimSpace(window)))
	if err != nil {
		return Rate{}, fmt.Errorf("rate %q: %w", s, err)
	}
	return Rate{Count: n, Window: w}, nil
}

func parseWindow(s string) (time.Duration, error) {
	switch s {
	case "s", "sec", "second":
		return time.Second, nil
	case "m", "min", "minute":
		return time.Minute, nil
	case "h", "hour":
		return time.Hour, nil
	case "d", "day":
		return 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second || d > 366*24*time.Hour {
		return 0, errors.New("window must be s, m, h, d or a duration from 1s to 366 days")
	}
	return d, nil
}
