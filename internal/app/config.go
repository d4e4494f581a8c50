package app

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/consent"
)

// Defaults used when Config leaves a field zero.
const (
	DefaultTokenTTL         = 24 * time.Hour
	DefaultMaxUploadBytes   = 10 << 20 // 10 MiB
	DefaultProfileCacheSize = 32
	// DefaultJobHeartbeat is how often a running job records its progress.
	DefaultJobHeartbeat = 2 * time.Second
	// MinJWTSecretBytes is the shortest signing secret NewService accepts
	// (256 bits, as HS256 wants).
	MinJWTSecretBytes = 32
)

// DefaultRate is the request budget per user and action: 20 per hour.
var DefaultRate = Rate{Count: 20, Window: time.Hour}

// Default budgets of the account endpoints, which have no user to count
// against yet: failed logins per email and per client address, and
// registrations per client address.
var (
	DefaultLoginRate       = Rate{Count: 10, Window: 15 * time.Minute}
	DefaultLoginClientRate = Rate{Count: 50, Window: 15 * time.Minute}
	DefaultRegisterRate    = Rate{Count: 10, Window: time.Hour}
)

// Config holds the Service's settings. Only JWTSecret is required; zero
// fields take the defaults above.
type Config struct {
	// JWTSecret signs session tokens (HS256); at least MinJWTSecretBytes.
	JWTSecret []byte
	// WatermarkKey is the secret under which every synthesis is
	// watermarked (at least 16 bytes). Empty derives one from JWTSecret.
	WatermarkKey []byte
	// TokenTTL is how long a login token stays valid.
	TokenTTL time.Duration
	// MaxUploadBytes bounds an uploaded sample; more is ETooLarge.
	MaxUploadBytes int64
	// RateLimit is each user's budget for each Action, counted in a sliding
	// window stored in the database.
	RateLimit Rate
	// LoginRate bounds failed logins per email, whoever makes them: after
	// that many, even the right password is refused until the window frees
	// a slot, or guessing would just continue.
	LoginRate Rate
	// LoginClientRate bounds failed logins per client address, so one
	// address cannot try many emails.
	LoginClientRate Rate
	// RegisterRate bounds registrations per client address.
	RegisterRate Rate
	// Now is the clock; tests pin it. Defaults to time.Now.
	Now func() time.Time
	// PasswordCost is the bcrypt cost; tests lower it to bcrypt.MinCost.
	PasswordCost int
	// ProfileCacheSize bounds how many voice profiles stay in memory.
	ProfileCacheSize int
	// JobHeartbeat is how often a running job records its progress, and so
	// how soon it notices that it was cancelled.
	JobHeartbeat time.Duration
	// AuditRetention is how long audit events are kept (PruneAudit).
	AuditRetention time.Duration
	// WatermarkOrphanAge is how long the payload of a synthesis that has
	// not reached the history is kept (PruneWatermarks): longer than any
	// synthesis can still be rendering. 0 means
	// DefaultWatermarkOrphanAge.
	WatermarkOrphanAge time.Duration
	// RequireConsent makes every clone need the user's verified spoken
	// consent, in the voice of every sample (see consent.go).
	RequireConsent bool
	// ConsentChallenge, when set, replaces the random consent challenge:
	// for tests, which read known speech aloud. Never set from outside.
	ConsentChallenge func() consent.Challenge
	// Version is reported by Health.
	Version string
	// Admission bounds the engine work (synthesis, cloning, analysing
	// uploads) this Service runs at once: requests queue briefly for a slot
	// and are then EUnavailable (ErrBusy); background tasks wait. Nil
	// admits everything.
	Admission *admission.Gate
	// DecodeBudget bounds the bytes of decoded audio that uploads being
	// analysed at once hold together (DefaultDecodeBudget when zero); an
	// upload waits its turn for room.
	DecodeBudget int64
	// MaxExports bounds the account exports this Service streams at once,
	// across users (each user has one at a time, in every Service sharing
	// the store); more are EUnavailable.
	// Zero means DefaultMaxExports.
	MaxExports int
	// MaxUploadSeconds bounds an upload's length, pauses included, told
	// from its frames before it is decoded when the container allows;
	// longer is ETooLarge. Zero means DefaultMaxUploadSeconds.
	MaxUploadSeconds float64
	// Logger receives failures that do not reach the caller (cleaning up
	// blobs, recording API key use). Nil discards.
	Logger *slog.Logger
}

// DefaultConfig returns the defaults; the caller still sets JWTSecret.
func DefaultConfig() Config {
	return Config{
		TokenTTL: DefaultTokenTTL, MaxUploadBytes: DefaultMaxUploadBytes, RateLimit: DefaultRate,
		LoginRate: DefaultLoginRate, LoginClientRate: DefaultLoginClientRate, RegisterRate: DefaultRegisterRate,
		Now: time.Now, PasswordCost: bcrypt.DefaultCost, ProfileCacheSize: DefaultProfileCacheSize,
		JobHeartbeat: DefaultJobHeartbeat, AuditRetention: DefaultAuditRetention,
		WatermarkOrphanAge: DefaultWatermarkOrphanAge,
	}
}

// Deps are the Service's collaborators; all but Observer are required.
type Deps struct {
	Store  Store
	Blobs  Blobs
	Engine Engine
	// Queue takes the tasks of cloning and long-form synthesis; it must
	// accept the transactions of Store.
	Queue Queue
	// Observer hears of syntheses, clones and refused requests; nil
	// observes nothing.
	Observer Observer
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
	c.RateLimit = orRate(c.RateLimit, DefaultRate)
	c.LoginRate = orRate(c.LoginRate, DefaultLoginRate)
	c.LoginClientRate = orRate(c.LoginClientRate, DefaultLoginClientRate)
	c.RegisterRate = orRate(c.RegisterRate, DefaultRegisterRate)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.PasswordCost == 0 {
		c.PasswordCost = bcrypt.DefaultCost
	}
	if c.ProfileCacheSize == 0 {
		c.ProfileCacheSize = DefaultProfileCacheSize
	}
	if c.AuditRetention == 0 {
		c.AuditRetention = DefaultAuditRetention
	}
	if c.AuditRetention < 0 {
		return c, errors.New("app: the audit retention cannot be negative")
	}
	if c.WatermarkOrphanAge == 0 {
		c.WatermarkOrphanAge = DefaultWatermarkOrphanAge
	}
	if c.WatermarkOrphanAge < 0 {
		return c, errors.New("app: the watermark orphan age cannot be negative")
	}
	if c.JobHeartbeat == 0 {
		c.JobHeartbeat = DefaultJobHeartbeat
	}
	if c.DecodeBudget == 0 {
		c.DecodeBudget = DefaultDecodeBudget
	}
	if c.MaxUploadSeconds == 0 {
		c.MaxUploadSeconds = DefaultMaxUploadSeconds
	}
	if c.MaxExports == 0 {
		c.MaxExports = DefaultMaxExports
	}
	if c.DecodeBudget < 0 || c.MaxUploadSeconds < 0 || c.MaxExports < 0 {
		return c, errors.New("app: negative DecodeBudget, MaxUploadSeconds or MaxExports")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	switch {
	case c.TokenTTL < 0 || c.MaxUploadBytes < 0 || c.ProfileCacheSize < 0 || c.JobHeartbeat < 0:
		return c, errors.New("app: negative TokenTTL, MaxUploadBytes, ProfileCacheSize or JobHeartbeat")
	case !c.RateLimit.valid() || !c.LoginRate.valid() || !c.LoginClientRate.valid() || !c.RegisterRate.valid():
		return c, fmt.Errorf("app: invalid rate limit in %v, %v, %v, %v", c.RateLimit, c.LoginRate, c.LoginClientRate, c.RegisterRate)
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

// String formats r as ParseRate reads it ("20/h", or "10/15m" and
// "10/90s" for other windows).
func (r Rate) String() string {
	for _, u := range rateUnits {
		if r.Window == u.d {
			return fmt.Sprintf("%d/%s", r.Count, u.name)
		}
	}
	switch w := r.Window; {
	case w > 0 && w%time.Hour == 0:
		return fmt.Sprintf("%d/%dh", r.Count, w/time.Hour)
	case w > 0 && w%time.Minute == 0:
		return fmt.Sprintf("%d/%dm", r.Count, w/time.Minute)
	case w > 0 && w%time.Second == 0:
		return fmt.Sprintf("%d/%ds", r.Count, w/time.Second)
	}
	return fmt.Sprintf("%d/%s", r.Count, r.Window)
}

func (r Rate) valid() bool { return r.Count > 0 && r.Window > 0 }

// orRate returns r, or def when r is zero.
func orRate(r, def Rate) Rate {
	if r == (Rate{}) {
		return def
	}
	return r
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
