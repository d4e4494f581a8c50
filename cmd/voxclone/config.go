package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/jobs"
)

// Config is the service's configuration. DefaultConfig gives the defaults;
// LoadConfig overlays the VOXCLONE_* environment once, in main. Nothing
// below the composition root reads the environment.
type Config struct {
	Addr            string        // VOXCLONE_ADDR
	MetricsAddr     string        // VOXCLONE_METRICS_ADDR; "" serves /metrics on Addr
	DataDir         string        // VOXCLONE_DATA_DIR
	DatabaseURL     string        // VOXCLONE_DATABASE_URL; "" means SQLite in DataDir
	JWTSecret       string        // VOXCLONE_JWT_SECRET; "" means the file in DataDir
	WatermarkKey    string        // VOXCLONE_WATERMARK_KEY; "" means the file in DataDir
	RateLimit       app.Rate      // VOXCLONE_RATE_LIMIT
	LoginRate       app.Rate      // VOXCLONE_LOGIN_RATE_LIMIT, first part: failed logins per email
	LoginClientRate app.Rate      // VOXCLONE_LOGIN_RATE_LIMIT, second part: failed logins per client address
	RegisterRate    app.Rate      // VOXCLONE_REGISTER_RATE_LIMIT: registrations per client address
	TrustedProxies  string        // VOXCLONE_TRUSTED_PROXIES, checked by httpapi.ParseTrustedProxies
	MaxUploadBytes  int64         // VOXCLONE_MAX_UPLOAD_BYTES
	LogFormat       string        // VOXCLONE_LOG_FORMAT: text or json
	LogLevel        slog.Level    // VOXCLONE_LOG_LEVEL
	Workers         int           // VOXCLONE_WORKERS: tasks of each kind run at once; 0 = none
	JobTimeout      time.Duration // VOXCLONE_JOB_TIMEOUT
	ShutdownGrace   time.Duration // VOXCLONE_SHUTDOWN_GRACE
	BlobURL         string        // VOXCLONE_BLOB_URL, checked by blob.ParseURL; "" means DataDir/blobs
	BlobGrace       time.Duration // VOXCLONE_BLOB_GRACE: age before the sweeper deletes an unreferenced blob
	AuditRetention  time.Duration // VOXCLONE_AUDIT_RETENTION
	Limits          Limits        // VOXCLONE_MAX_CONCURRENT, _MAX_WAITING, _MAX_WAIT, _MEMORY_LIMIT (limits.go)
	RequireConsent  bool          // VOXCLONE_REQUIRE_CONSENT
}

// Defaults and names of the files the service keeps in its data directory.
const (
	minSecretBytes = app.MinJWTSecretBytes
	secretFileName = "jwt-secret"
	// watermarkKeyFileName holds the generated watermark key.
	watermarkKeyFileName = "watermark-key"
	sqliteFileName       = "voxclone.db"
	blobDirName          = "blobs"
)

// DefaultConfig returns the configuration used when no variable is set.
func DefaultConfig() Config {
	return Config{
		Addr:            ":8080",
		DataDir:         "./data",
		RateLimit:       app.DefaultRate,
		LoginRate:       app.DefaultLoginRate,
		LoginClientRate: app.DefaultLoginClientRate,
		RegisterRate:    app.DefaultRegisterRate,
		MaxUploadBytes:  10 << 20,
		LogFormat:       "text",
		LogLevel:        slog.LevelInfo,
		Workers:         defaultWorkers(),
		JobTimeout:      jobs.DefaultTimeout,
		ShutdownGrace:   30 * time.Second,
		BlobGrace:       app.DefaultBlobGrace,
		AuditRetention:  app.DefaultAuditRetention,
		Limits:          defaultLimits(),
		RequireConsent:  true,
	}
}

// defaultWorkers is half the cores, at least one: each worker runs one
// clone and one synthesis at most, and the engine spreads a synthesis
// over the cores itself.
func defaultWorkers() int { return max(1, runtime.NumCPU()/2) }

// LoadConfig returns DefaultConfig overlaid with the VOXCLONE_* variables
// that getenv reports as set. A malformed value is an error naming it.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	if v := getenv("VOXCLONE_ADDR"); v != "" {
		c.Addr = v
	}
	c.MetricsAddr = getenv("VOXCLONE_METRICS_ADDR")
	if v := getenv("VOXCLONE_DATA_DIR"); v != "" {
		c.DataDir = v
	}
	c.DatabaseURL = getenv("VOXCLONE_DATABASE_URL")
	c.JWTSecret = getenv("VOXCLONE_JWT_SECRET")
	if c.JWTSecret != "" && len(c.JWTSecret) < minSecretBytes {
		return c, fmt.Errorf("VOXCLONE_JWT_SECRET must be at least %d bytes; unset it to have one generated", minSecretBytes)
	}
	c.WatermarkKey = getenv("VOXCLONE_WATERMARK_KEY")
	if c.WatermarkKey != "" && len(c.WatermarkKey) < minSecretBytes {
		return c, fmt.Errorf("VOXCLONE_WATERMARK_KEY must be at least %d bytes; unset it to have one generated", minSecretBytes)
	}
	if v := getenv("VOXCLONE_RATE_LIMIT"); v != "" {
		r, err := app.ParseRate(v)
		if err != nil {
			return c, fmt.Errorf("VOXCLONE_RATE_LIMIT: %w", err)
		}
		c.RateLimit = r
	}
	if err := c.loadAccountLimits(getenv); err != nil {
		return c, err
	}
	if v := getenv("VOXCLONE_MAX_UPLOAD_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return c, fmt.Errorf("VOXCLONE_MAX_UPLOAD_BYTES: %q is not a whole number of bytes ≥ 1024", v)
		}
		c.MaxUploadBytes = n
	}
	if v := getenv("VOXCLONE_LOG_FORMAT"); v != "" {
		if v != "text" && v != "json" {
			return c, fmt.Errorf("VOXCLONE_LOG_FORMAT: %q is neither text nor json", v)
		}
		c.LogFormat = v
	}
	if v := getenv("VOXCLONE_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			return c, fmt.Errorf("VOXCLONE_LOG_LEVEL: %q is not debug, info, warn or error", v)
		}
	}
	if v := getenv("VOXCLONE_REQUIRE_CONSENT"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("VOXCLONE_REQUIRE_CONSENT: %q is neither true nor false", v)
		}
		c.RequireConsent = b
	}
	if err := c.loadBlobSettings(getenv); err != nil {
		return c, err
	}
	if err := c.Limits.load(getenv); err != nil {
		return c, err
	}
	return c, c.loadJobSettings(getenv)
}

// loadBlobSettings reads where blobs are kept and when the sweeper may
// delete one no row refers to.
func (c *Config) loadBlobSettings(getenv func(string) string) error {
	c.BlobURL = getenv("VOXCLONE_BLOB_URL")
	if c.BlobURL != "" {
		if _, err := blob.ParseURL(c.BlobURL); err != nil {
			return fmt.Errorf("VOXCLONE_BLOB_URL: %w", err)
		}
	}
	var err error
	c.BlobGrace, err = duration(getenv, "VOXCLONE_BLOB_GRACE", c.BlobGrace, time.Second, 30*24*time.Hour)
	return err
}

// blobLocation is where blobs are kept: VOXCLONE_BLOB_URL, which
// LoadConfig already checked, or the blobs directory in DataDir.
func (c Config) blobLocation() blob.Location {
	if c.BlobURL == "" {
		return blob.Location{Dir: filepath.Join(c.DataDir, blobDirName)}
	}
	loc, _ := blob.ParseURL(c.BlobURL)
	return loc
}

// blobName describes the blob store without credentials, for logs.
func (c Config) blobName() string {
	if loc := c.blobLocation(); loc.S3 != nil {
		return "s3://" + loc.S3.Bucket + "/" + loc.S3.Prefix
	}
	return c.blobLocation().Dir
}

// loadJobSettings reads the settings of the task workers and of shutdown.
func (c *Config) loadJobSettings(getenv func(string) string) error {
	if v := getenv("VOXCLONE_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 256 {
			return fmt.Errorf("VOXCLONE_WORKERS: %q is not a whole number from 0 to 256", v)
		}
		c.Workers = n
	}
	var err error
	if c.JobTimeout, err = duration(getenv, "VOXCLONE_JOB_TIMEOUT", c.JobTimeout, time.Second, 24*time.Hour); err != nil {
		return err
	}
	if c.ShutdownGrace, err = duration(getenv, "VOXCLONE_SHUTDOWN_GRACE", c.ShutdownGrace, 0, time.Hour); err != nil {
		return err
	}
	c.AuditRetention, err = days(getenv, "VOXCLONE_AUDIT_RETENTION", c.AuditRetention)
	return err
}

// Bounds of VOXCLONE_AUDIT_RETENTION: an hour (tests, the very private) to
// ten years.
const (
	minRetention = time.Hour
	maxRetention = 10 * 365 * 24 * time.Hour
)

// days reads a retention period: whole days ("90d") or a Go duration
// ("36h"), or def when unset.
func days(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if n, ok := strings.CutSuffix(v, "d"); ok && v != "" {
		d, err := strconv.Atoi(n)
		if err != nil || d < 1 || d > 3650 {
			return 0, fmt.Errorf("%s: %q is not a number of days from 1d to 3650d", name, v)
		}
		v = strconv.Itoa(d*24) + "h"
	}
	d, err := duration(func(string) string { return v }, name, def, minRetention, maxRetention)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a period from 1h to 3650d, such as 90d or 36h", name, getenv(name))
	}
	return d, nil
}

// duration reads the variable name as a Go duration ("90s", "10m") from
// lo to hi, or returns def when it is unset.
func duration(getenv func(string) string, name string, def, lo, hi time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < lo || d > hi {
		return 0, fmt.Errorf("%s: %q is not a duration from %v to %v, such as 90s or 10m", name, v, lo, hi)
	}
	return d, nil
}

// loadAccountLimits reads the limits of the login and registration
// endpoints. VOXCLONE_LOGIN_RATE_LIMIT is "PER_EMAIL" or
// "PER_EMAIL,PER_ADDRESS"; alone, the per-email budget gives the
// per-address one five times its count over the same window, so one
// address can still fail on a few accounts (a shared office) but not
// spray many.
func (c *Config) loadAccountLimits(getenv func(string) string) error {
	if v := getenv("VOXCLONE_LOGIN_RATE_LIMIT"); v != "" {
		email, ip, two := strings.Cut(v, ",")
		r, err := app.ParseRate(email)
		if err != nil {
			return fmt.Errorf("VOXCLONE_LOGIN_RATE_LIMIT: %w", err)
		}
		c.LoginRate, c.LoginClientRate = r, app.Rate{Count: min(5*r.Count, 1_000_000), Window: r.Window}
		if two {
			if c.LoginClientRate, err = app.ParseRate(ip); err != nil {
				return fmt.Errorf("VOXCLONE_LOGIN_RATE_LIMIT (per address, after the comma): %w", err)
			}
		}
	}
	if v := getenv("VOXCLONE_REGISTER_RATE_LIMIT"); v != "" {
		r, err := app.ParseRate(v)
		if err != nil {
			return fmt.Errorf("VOXCLONE_REGISTER_RATE_LIMIT: %w", err)
		}
		c.RegisterRate = r
	}
	c.TrustedProxies = getenv("VOXCLONE_TRUSTED_PROXIES")
	if _, err := httpapi.ParseTrustedProxies(c.TrustedProxies); err != nil {
		return fmt.Errorf("VOXCLONE_TRUSTED_PROXIES: %w", err)
	}
	return nil
}

// trustedProxies returns the parsed VOXCLONE_TRUSTED_PROXIES, which
// LoadConfig already checked.
func (c Config) trustedProxies() []netip.Prefix {
	p, _ := httpapi.ParseTrustedProxies(c.TrustedProxies)
	return p
}

// usesPostgres reports whether DatabaseURL names a PostgreSQL server.
func (c Config) usesPostgres() bool {
	u := strings.ToLower(c.DatabaseURL)
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// sqlitePath is the SQLite file: DatabaseURL (a path, optionally prefixed
// with sqlite:) or voxclone.db in the data directory.
func (c Config) sqlitePath() string {
	if c.DatabaseURL != "" {
		return strings.TrimPrefix(c.DatabaseURL, "sqlite:")
	}
	return filepath.Join(c.DataDir, sqliteFileName)
}

// newLogger builds the process's logger from the format and level.
func (c Config) newLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	// Libraries that print to the standard logger go through the same
	// handler at debug level: the FLAC decoder prints a line for every
	// frame of a file with an uncommon sample rate, which one upload can
	// repeat tens of thousands of times on stderr.
	log.SetFlags(0)
	log.SetOutput(slog.NewLogLogger(h, slog.LevelDebug).Writer())
	return slog.New(h)
}

// jwtSecret returns the token signing key: VOXCLONE_JWT_SECRET when set,
// else the secret kept in the data directory, generated with crypto/rand
// and written 0600 on first start.
func (c Config) jwtSecret() ([]byte, error) {
	if c.JWTSecret != "" {
		return []byte(c.JWTSecret), nil
	}
	return secretFile(filepath.Join(c.DataDir, secretFileName), "all tokens become invalid")
}

// watermarkKey returns the key every synthesis is watermarked under:
// VOXCLONE_WATERMARK_KEY when set, else the key kept in the data
// directory, generated like the JWT secret.
func (c Config) watermarkKey() ([]byte, error) {
	if c.WatermarkKey != "" {
		return []byte(c.WatermarkKey), nil
	}
	return secretFile(filepath.Join(c.DataDir, watermarkKeyFileName), "audio made so far is no longer recognised")
}

// secretFile reads the secret kept at path, generating it on first use;
// lost says what replacing it costs.
func secretFile(path, lost string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return createSecret(path, lost)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	b = bytes.TrimSpace(b)
	if len(b) < minSecretBytes {
		return nil, fmt.Errorf("%s holds fewer than %d bytes; delete it to have a new one generated (%s)", path, minSecretBytes, lost)
	}
	return b, nil
}

// createSecret writes a fresh 256-bit secret, hex-encoded, to path. It is
// written to a temporary file and linked into place, so a reader never sees
// a partial secret and of two processes starting at once, both end up with
// the one that was linked first.
func createSecret(path, lost string) ([]byte, error) {
	name := filepath.Base(path)
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("generate %s: %w", name, err)
	}
	secret := []byte(hex.EncodeToString(raw[:]))
	f, err := os.CreateTemp(filepath.Dir(path), "."+name+"-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", name, err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(append(secret, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o600) // CreateTemp already uses 0600; be explicit
	}
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Link(f.Name(), path); errors.Is(err, fs.ErrExist) {
		return secretFile(path, lost)
	} else if err != nil {
		return nil, fmt.Errorf("install %s: %w", path, err)
	}
	return secret, nil
}
