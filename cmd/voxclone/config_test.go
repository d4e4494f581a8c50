package main

import (
	"bytes"
	"encoding/json"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfig(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c, err := LoadConfig(envMap(nil))
		if err != nil {
			t.Fatal(err)
		}
		if c != DefaultConfig() {
			t.Errorf("got %+v, want defaults %+v", c, DefaultConfig())
		}
		if c.Addr != ":8080" || c.DataDir != "./data" || c.RateLimit != (app.Rate{Count: 20, Window: time.Hour}) || c.MaxUploadBytes != 10485760 {
			t.Errorf("defaults = %+v", c)
		}
		if c.LoginRate.String() != "10/15m" || c.LoginClientRate.String() != "50/15m" || c.RegisterRate.String() != "10/h" || len(c.trustedProxies()) != 0 {
			t.Errorf("account limits = %v, %v, %v, proxies %v", c.LoginRate, c.LoginClientRate, c.RegisterRate, c.trustedProxies())
		}
		if l := c.Limits; l.MaxConcurrent != runtime.NumCPU() || l.MaxWaiting != 4 || l.MaxWait != 2*time.Second || l.MemoryLimit != "" {
			t.Errorf("engine limits = %+v, want the cores, 4 waiting, 2s, no memory limit set", l)
		}
		if c.Workers < 1 || c.JobTimeout != 10*time.Minute || c.ShutdownGrace != 30*time.Second || c.AuditRetention != 90*24*time.Hour {
			t.Errorf("job defaults = %d workers, timeout %v, grace %v", c.Workers, c.JobTimeout, c.ShutdownGrace)
		}
		if loc := c.blobLocation(); loc.S3 != nil || loc.Dir != filepath.Join("data", "blobs") || c.BlobGrace != time.Hour {
			t.Errorf("default blobs = %+v, grace %v", loc, c.BlobGrace)
		}
		if !c.RequireConsent {
			t.Error("spoken consent is off by default; serve must require it")
		}
		if c.usesPostgres() || c.sqlitePath() != filepath.Join("data", "voxclone.db") {
			t.Errorf("default database = %q", c.sqlitePath())
		}
	})
	t.Run("OK", func(t *testing.T) {
		c, err := LoadConfig(envMap(map[string]string{
			"VOXCLONE_ADDR": "127.0.0.1:9000", "VOXCLONE_DATA_DIR": "/srv/vox",
			"VOXCLONE_DATABASE_URL": "postgres://u@db/vox", "VOXCLONE_JWT_SECRET": strings.Repeat("s", 32),
			"VOXCLONE_RATE_LIMIT": "5/m", "VOXCLONE_MAX_UPLOAD_BYTES": "2048",
			"VOXCLONE_LOG_FORMAT": "json", "VOXCLONE_LOG_LEVEL": "debug",
			"VOXCLONE_LOGIN_RATE_LIMIT": "5/h, 20/30m", "VOXCLONE_REGISTER_RATE_LIMIT": "2/d",
			"VOXCLONE_TRUSTED_PROXIES": "10.0.0.0/8,::1", "VOXCLONE_WORKERS": "0",
			"VOXCLONE_JOB_TIMEOUT": "90s", "VOXCLONE_SHUTDOWN_GRACE": "5s", "VOXCLONE_AUDIT_RETENTION": "30d",
			"VOXCLONE_BLOB_URL": "s3://vox/p?endpoint=http://minio:9000&path_style=true", "VOXCLONE_BLOB_GRACE": "2h",
			"VOXCLONE_MAX_CONCURRENT": "3", "VOXCLONE_MAX_WAITING": "0", "VOXCLONE_MAX_WAIT": "500ms",
			"VOXCLONE_MAX_EXPORTS":     "2",
			"VOXCLONE_MEMORY_LIMIT":    "512MiB",
			"VOXCLONE_METRICS_ADDR":    "127.0.0.1:9100",
			"VOXCLONE_REQUIRE_CONSENT": "false",
		}))
		if err != nil {
			t.Fatal(err)
		}
		want := Config{Addr: "127.0.0.1:9000", MetricsAddr: "127.0.0.1:9100", DataDir: "/srv/vox", DatabaseURL: "postgres://u@db/vox",
			JWTSecret: strings.Repeat("s", 32), RateLimit: app.Rate{Count: 5, Window: time.Minute}, MaxUploadBytes: 2048,
			LogFormat: "json", LogLevel: slog.LevelDebug,
			LoginRate: app.Rate{Count: 5, Window: time.Hour}, LoginClientRate: app.Rate{Count: 20, Window: 30 * time.Minute},
			RegisterRate: app.Rate{Count: 2, Window: 24 * time.Hour}, TrustedProxies: "10.0.0.0/8,::1",
			Workers: 0, JobTimeout: 90 * time.Second, ShutdownGrace: 5 * time.Second, AuditRetention: 30 * 24 * time.Hour,
			BlobURL: "s3://vox/p?endpoint=http://minio:9000&path_style=true", BlobGrace: 2 * time.Hour,
			Limits: Limits{MaxConcurrent: 3, MaxWaiting: 0, MaxWait: 500 * time.Millisecond, MaxExports: 2, MemoryLimit: "512MiB"}, RequireConsent: false}
		if loc := c.blobLocation(); loc.S3 == nil || loc.S3.Bucket != "vox" || loc.S3.Prefix != "p/" || !loc.S3.PathStyle {
			t.Errorf("blob location %+v", loc.S3)
		}
		if c != want || !c.usesPostgres() || len(c.trustedProxies()) != 2 {
			t.Errorf("got %+v, want %+v", c, want)
		}
	})
	t.Run("LoginRateAlone", func(t *testing.T) {
		c, err := LoadConfig(envMap(map[string]string{"VOXCLONE_LOGIN_RATE_LIMIT": "3/m"}))
		if err != nil || c.LoginRate != (app.Rate{Count: 3, Window: time.Minute}) || c.LoginClientRate != (app.Rate{Count: 15, Window: time.Minute}) {
			t.Errorf("got %v, %v, %v; want 3/m per email, 15/m per address", c.LoginRate, c.LoginClientRate, err)
		}
	})
	// Each bad value is refused with the error that names its variable and
	// what is wrong with it, not merely with some error.
	for _, tt := range []struct {
		name, key, value, want string
	}{
		{"ErrShortSecret", "VOXCLONE_JWT_SECRET", strings.Repeat("s", 31), "VOXCLONE_JWT_SECRET must be at least 32 bytes"},
		{"ErrRate", "VOXCLONE_RATE_LIMIT", "lots", `VOXCLONE_RATE_LIMIT: rate "lots": want COUNT/WINDOW`},
		{"ErrRateZero", "VOXCLONE_RATE_LIMIT", "0/h", `VOXCLONE_RATE_LIMIT: rate "0/h": count must be a whole number from 1`},
		{"ErrRateUnit", "VOXCLONE_RATE_LIMIT", "20/fortnight", `VOXCLONE_RATE_LIMIT: rate "20/fortnight": window must be`},
		{"ErrLoginRate", "VOXCLONE_LOGIN_RATE_LIMIT", "10", `VOXCLONE_LOGIN_RATE_LIMIT: rate "10": want COUNT/WINDOW`},
		{"ErrLoginRateIP", "VOXCLONE_LOGIN_RATE_LIMIT", "10/15m,many", `VOXCLONE_LOGIN_RATE_LIMIT (per address, after the comma): rate "many"`},
		{"ErrRegisterRate", "VOXCLONE_REGISTER_RATE_LIMIT", "0/h", `VOXCLONE_REGISTER_RATE_LIMIT: rate "0/h": count must be`},
		{"ErrTrustedProxies", "VOXCLONE_TRUSTED_PROXIES", "proxy.internal", `VOXCLONE_TRUSTED_PROXIES: trusted proxy "proxy.internal": not an IP address or CIDR prefix`},
		{"ErrUpload", "VOXCLONE_MAX_UPLOAD_BYTES", "10MB", `VOXCLONE_MAX_UPLOAD_BYTES: "10MB" is not a whole number of bytes`},
		{"ErrLogFormat", "VOXCLONE_LOG_FORMAT", "xml", `VOXCLONE_LOG_FORMAT: "xml" is neither text nor json`},
		{"ErrLogLevel", "VOXCLONE_LOG_LEVEL", "loud", `VOXCLONE_LOG_LEVEL: "loud" is not debug, info, warn or error`},
		{"ErrWorkers", "VOXCLONE_WORKERS", "-1", `VOXCLONE_WORKERS: "-1" is not a whole number from 0 to 256`},
		{"ErrWorkersWord", "VOXCLONE_WORKERS", "two", `VOXCLONE_WORKERS: "two" is not a whole number`},
		{"ErrJobTimeout", "VOXCLONE_JOB_TIMEOUT", "10", `VOXCLONE_JOB_TIMEOUT: "10" is not a duration`},
		{"ErrJobTimeoutTiny", "VOXCLONE_JOB_TIMEOUT", "10ms", `VOXCLONE_JOB_TIMEOUT: "10ms" is not a duration from 1s`},
		{"ErrShutdownGrace", "VOXCLONE_SHUTDOWN_GRACE", "-1s", `VOXCLONE_SHUTDOWN_GRACE: "-1s" is not a duration from 0s`},
		{"ErrBlobScheme", "VOXCLONE_BLOB_URL", "gs://vox", `VOXCLONE_BLOB_URL: blob URL: unknown scheme "gs"`},
		{"ErrBlobBucket", "VOXCLONE_BLOB_URL", "s3://?region=x", `VOXCLONE_BLOB_URL: blob URL: missing bucket`},
		{"ErrBlobBool", "VOXCLONE_BLOB_URL", "s3://vox?path_style=yes", `VOXCLONE_BLOB_URL: blob URL: path_style "yes" is not true or false`},
		{"ErrBlobPath", "VOXCLONE_BLOB_URL", "file://data/blobs", `VOXCLONE_BLOB_URL: blob URL: file URL with host "data"`},
		{"ErrBlobGrace", "VOXCLONE_BLOB_GRACE", "1ms", `VOXCLONE_BLOB_GRACE: "1ms" is not a duration from 1s`},
		{"ErrAuditRetention", "VOXCLONE_AUDIT_RETENTION", "forever", `VOXCLONE_AUDIT_RETENTION: "forever" is not a period from 1h to 3650d`},
		{"ErrAuditRetentionDays", "VOXCLONE_AUDIT_RETENTION", "0d", `VOXCLONE_AUDIT_RETENTION: "0d" is not a number of days from 1d`},
		{"ErrMaxConcurrent", "VOXCLONE_MAX_CONCURRENT", "0", `VOXCLONE_MAX_CONCURRENT: "0" is not a whole number from 1 to 1024`},
		{"ErrMaxWaiting", "VOXCLONE_MAX_WAITING", "-1", `VOXCLONE_MAX_WAITING: "-1" is not a whole number from 0`},
		{"ErrMaxWait", "VOXCLONE_MAX_WAIT", "2", `VOXCLONE_MAX_WAIT: "2" is not a duration`},
		{"ErrMaxExports", "VOXCLONE_MAX_EXPORTS", "0", `VOXCLONE_MAX_EXPORTS: "0" is not a whole number from 1 to 1024`},
		{"ErrMemoryLimit", "VOXCLONE_MEMORY_LIMIT", "lots", `VOXCLONE_MEMORY_LIMIT: size "lots": want bytes`},
		{"ErrMemoryLimitTiny", "VOXCLONE_MEMORY_LIMIT", "1MiB", `VOXCLONE_MEMORY_LIMIT: memory limit under 32 MiB`},
		{"ErrRequireConsent", "VOXCLONE_REQUIRE_CONSENT", "maybe", `VOXCLONE_REQUIRE_CONSENT: "maybe" is neither true nor false`},
		{"ErrAuditRetentionShort", "VOXCLONE_AUDIT_RETENTION", "10m", `VOXCLONE_AUDIT_RETENTION: "10m" is not a period from 1h`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(envMap(map[string]string{tt.key: tt.value}))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("LoadConfig(%s=%q) = %v, want an error starting %q", tt.key, tt.value, err, tt.want)
			}
		})
	}
}

func TestJWTSecret(t *testing.T) {
	t.Run("GeneratedOnceAndKept", func(t *testing.T) {
		c := Config{DataDir: t.TempDir()}
		a, err := c.jwtSecret()
		if err != nil {
			t.Fatal(err)
		}
		b, err := c.jwtSecret()
		if err != nil {
			t.Fatal(err)
		}
		if len(a) < minSecretBytes || string(a) != string(b) {
			t.Errorf("secrets %q then %q; want one stable secret of ≥ %d bytes", a, b, minSecretBytes)
		}
		st, err := os.Stat(filepath.Join(c.DataDir, secretFileName))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("secret file: %v, mode %v; want 0600", err, st.Mode())
		}
		if other, _ := (Config{DataDir: t.TempDir()}).jwtSecret(); string(other) == string(a) {
			t.Error("two data directories got the same secret")
		}
	})
	t.Run("FromEnv", func(t *testing.T) {
		c := Config{DataDir: t.TempDir(), JWTSecret: strings.Repeat("k", 40)}
		s, err := c.jwtSecret()
		if err != nil || string(s) != c.JWTSecret {
			t.Errorf("got %q, %v", s, err)
		}
		if _, err := os.Stat(filepath.Join(c.DataDir, secretFileName)); err == nil {
			t.Error("a secret file was written although the environment set one")
		}
	})
	t.Run("ErrShortFile", func(t *testing.T) {
		c := Config{DataDir: t.TempDir()}
		os.WriteFile(filepath.Join(c.DataDir, secretFileName), []byte("short\n"), 0o600)
		if _, err := c.jwtSecret(); err == nil {
			t.Error("a 5-byte secret file was accepted")
		}
	})
}

// TestEnvExampleIsDefaults loads .env.example, which claims to show the
// defaults, and expects exactly DefaultConfig.
func TestEnvExampleIsDefaults(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".env.example"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			env[k] = v
		}
	}
	c, err := LoadConfig(envMap(env))
	if err != nil || c != DefaultConfig() {
		t.Errorf(".env.example loads as %+v, %v; want the defaults %+v", c, err, DefaultConfig())
	}
}

// TestLibraryLogIsDebug: what a library prints to the standard logger (the
// FLAC decoder's per-frame notes) appears only at debug level, in the
// configured format.
func TestLibraryLogIsDebug(t *testing.T) {
	defer log.SetOutput(os.Stderr)
	defer log.SetFlags(log.LstdFlags)
	const note = "frame.Frame.parseHeader: The flac library test cases do not yet include any audio files with sample rate 7"
	var info, debug bytes.Buffer
	Config{LogLevel: slog.LevelInfo, LogFormat: "json"}.newLogger(&info)
	log.Print(note)
	if info.Len() != 0 {
		t.Errorf("at info level the library's line was written: %q", info.String())
	}
	Config{LogLevel: slog.LevelDebug, LogFormat: "json"}.newLogger(&debug)
	log.Print(note)
	var rec struct{ Level, Msg string }
	if err := json.Unmarshal(debug.Bytes(), &rec); err != nil || rec.Level != "DEBUG" || rec.Msg != note {
		t.Errorf("at debug level: %q (%v), want one JSON record at DEBUG with the line", debug.String(), err)
	}
}

// TestWatermarkOrphanAge: a watermark row waits a day for its history
// entry, or longer than the longest synthesis job may run (ten job time
// limits for a 100,000-character text, and the margin before another
// worker takes it over) when VOXCLONE_JOB_TIMEOUT makes that longer.
func TestWatermarkOrphanAge(t *testing.T) {
	for _, c := range []struct{ timeout, want time.Duration }{
		{10 * time.Minute, 24 * time.Hour},
		{3 * time.Hour, 30*time.Hour + time.Minute},
	} {
		if got := watermarkOrphanAge(c.timeout); got != c.want {
			t.Errorf("job timeout %v: orphan age %v, want %v", c.timeout, got, c.want)
		}
	}
}
