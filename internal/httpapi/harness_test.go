package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/httpapi"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/metrics"
	"github.com/voxclone/voxclone/internal/postgres"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/sqlite"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
	"github.com/voxclone/voxclone/internal/voice"
)

// engine is shared by every test: it is safe for concurrent use and
// measures its base voices once.
var engine = voice.New(voice.Config{})

var testSecret = []byte("httpapi-test-secret-0123456789abcdef")

// forEachBackend runs fn on a fresh SQLite database and on a fresh
// PostgreSQL schema (skipped when no server answers, unless
// VOXCLONE_TEST_POSTGRES=required).
func forEachBackend(t *testing.T, fn func(t *testing.T, store app.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, sqlitetest.Open(t, filepath.Join(t.TempDir(), "voxclone.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, pgtest.Open(t))
	})
}

// forEachSharedBackend runs fn, as forEachBackend does, with two stores
// open on one database, as two voxclone processes sharing it have.
func forEachSharedBackend(t *testing.T, fn func(t *testing.T, a, b app.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "voxclone.db")
		fn(t, sqlitetest.Open(t, path), sqlitetest.Open(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.Schema(t)
		fn(t, pgtest.OpenDSN(t, dsn), pgtest.OpenDSN(t, dsn))
	})
}

// env is a real Service behind the real handler on an httptest server.
type env struct {
	t     *testing.T
	url   string
	clock *apptest.Clock
	blobs string // the blob directory
	// setupURL serves the same handler without options.writeTimeout, so
	// that a test of a route outlasting a short timeout can set itself up
	// (register, create keys) through it: on a loaded machine under the
	// race detector a registration alone can take longer than a second.
	setupURL string
}

// options tune newEnv.
type options struct {
	rate      app.Rate
	maxUpload int64
	// register bounds registrations per client; zero is the default.
	register app.Rate
	// trusted are the proxies whose X-Forwarded-For counts.
	trusted []netip.Prefix
	// blobs, when set, wraps the blob store, to make it fail.
	blobs func(app.Blobs) app.Blobs
	// idle leaves the task queue without a worker: tasks stay queued.
	idle bool
	// gate, when set, bounds the engine work (app.Config.Admission).
	gate *admission.Gate
	// metrics, when set, observes the service, its blob store, its queue
	// and its requests, and is served at /metrics.
	metrics *metrics.Metrics
	// consent makes clones need spoken consent.
	consent bool
	// challenge, when set, replaces the random consent phrase, so that a
	// real recording can answer it (app.Config.ConsentChallenge).
	challenge func() consent.Challenge
	// writeTimeout, when set, is the server's http.Server.WriteTimeout
	// (voxclone's own is httpapi.WriteTimeout), shortened so that a test
	// can outlast it.
	writeTimeout time.Duration
	// maxExports, when set, bounds the exports streamed at once
	// (app.Config.MaxExports).
	maxExports int
	// logger, when set, receives the handler's log (httpapi.Config.Logger).
	logger *slog.Logger
}

func newEnv(t *testing.T, store app.Store, opt options) *env {
	t.Helper()
	dir := t.TempDir()
	blobs, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	var bs app.Blobs = blobs
	if opt.blobs != nil {
		bs = opt.blobs(blobs)
	}
	var observe func(jobs.Event)
	var obs app.Observer
	var scrape http.Handler
	var requests httpapi.RequestObserver
	if m := opt.metrics; m != nil {
		bs, obs, scrape, requests = m.WrapBlobs(bs), m, m.Handler(), m
		observe = func(ev jobs.Event) { m.TaskEnded(string(ev.Kind), string(ev.Outcome), ev.Wait, ev.Run) }
	}
	clk := apptest.NewClock(time.Now().UTC())
	q := newQueue(t, store, observe)
	if opt.metrics != nil {
		opt.metrics.WatchJobs(q.CountJobs)
	}
	svc, err := app.NewService(app.Config{
		JWTSecret: testSecret, Now: clk.Now, PasswordCost: bcrypt.MinCost,
		RateLimit: opt.rate, MaxUploadBytes: opt.maxUpload, Version: "test", RegisterRate: opt.register,
		JobHeartbeat: 50 * time.Millisecond, Admission: opt.gate, RequireConsent: opt.consent,
		ConsentChallenge: opt.challenge, MaxExports: opt.maxExports,
	}, app.Deps{Store: store, Blobs: bs, Engine: engine, Queue: q, Observer: obs})
	if err != nil {
		t.Fatal(err)
	}
	if !opt.idle {
		if err := q.Start(svc); err != nil {
			t.Fatal(err)
		}
	}
	h := httpapi.NewHandler(httpapi.Config{Service: svc, MaxUploadBytes: opt.maxUpload,
		TrustedProxies: opt.trusted, Metrics: scrape, Requests: requests, Logger: opt.logger})
	srv := httptest.NewUnstartedServer(h)
	srv.Config.WriteTimeout = opt.writeTimeout
	srv.Start()
	t.Cleanup(srv.Close)
	e := &env{t: t, url: srv.URL, clock: clk, blobs: dir, setupURL: srv.URL}
	if opt.writeTimeout > 0 {
		setup := httptest.NewServer(h)
		t.Cleanup(setup.Close)
		e.setupURL = setup.URL
	}
	return e
}

// setup is e with requests sent to the server without the short write
// timeout (the same service and handler).
func (e *env) setup() *env {
	s := *e
	s.url = e.setupURL
	return &s
}

// do sends a request. body is nil, a []byte sent as is with contentType,
// or anything else sent as JSON.
func (e *env) do(method, path, token string, body any, contentType ...string) *http.Response {
	e.t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
		ct = strings.Join(contentType, "")
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r, ct = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// expect checks resp's status and decodes its JSON body into v (when not
// nil). On a mismatch it fails with the body.
func (e *env) expect(resp *http.Response, status int, v any) {
	e.t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, body)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			e.t.Fatalf("%s %s: body %q: %v", resp.Request.Method, resp.Request.URL.Path, body, err)
		}
	}
}

// expectError checks status and the JSON error code.
func (e *env) expectError(resp *http.Response, status int, code string) {
	e.t.Helper()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	e.expect(resp, status, &body)
	if body.Error.Code != code || body.Error.Message == "" {
		e.t.Fatalf("%s %s: error %+v, want code %q with a message", resp.Request.Method, resp.Request.URL.Path, body.Error, code)
	}
}

// register creates a user and returns its token.
func (e *env) register(email string) string {
	e.t.Helper()
	var out struct {
		User  app.User `json:"user"`
		Token string   `json:"token"`
	}
	e.expect(e.do("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"}), 201, &out)
	if out.Token == "" || out.User.ID == "" || out.User.Email != email {
		e.t.Fatalf("register: %+v", out)
	}
	return out.Token
}

// upload posts audio as a multipart form with optional fields.
func (e *env) upload(token string, audioData []byte, fileName string, fields map[string]string) *http.Response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("audio", fileName)
	fw.Write(audioData)
	mw.Close()
	return e.do("POST", "/api/voice/upload", token, buf.Bytes(), mw.FormDataContentType())
}

// queue is a task queue started with one worker of each kind.
type queue interface {
	app.Queue
	Start(r jobs.Runner) error
	Stop(grace time.Duration) error
	CountJobs(ctx context.Context, fn func(kind, state string, n int)) error
}

// newQueue returns a migrated task queue on store's database, stopped when
// the test ends.
func newQueue(t testing.TB, store app.Store, observe func(jobs.Event)) queue {
	t.Helper()
	cfg := jobs.Config{Workers: 1, PollInterval: 100 * time.Millisecond, RetryDelay: 10 * time.Millisecond, Observe: observe}
	var q interface {
		queue
		Migrate(ctx context.Context) error
	}
	var err error
	switch db := store.(type) {
	case interface{ Unwrap() app.Store }: // a test's wrapper: the queue is the database's
		return newQueue(t, db.Unwrap(), observe)
	case *sqlite.DB:
		q, err = jobs.NewSQLite(db.Writer(), cfg)
	case *postgres.DB:
		q, err = jobs.NewPostgres(t.Context(), db.Pool(), cfg)
	default:
		t.Fatalf("no queue for %T", store)
	}
	if err == nil {
		err = q.Migrate(t.Context())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Stop(time.Second) })
	return q
}

// sampleAndModel uploads speech, clones a model from it and waits until a
// worker has built it.
func (e *env) sampleAndModel(token string) (app.Sample, app.Model) {
	e.t.Helper()
	var s app.Sample
	e.expect(e.upload(token, speechWAV(e.t), "voice.wav", nil), 201, &s)
	var m app.Model
	resp := e.do("POST", "/api/voice/clone", token, map[string]any{"name": "Voice", "sample_ids": []string{s.ID}})
	e.expect(resp, 202, &m)
	if m.Status != app.ModelPending || resp.Header.Get("Location") != "/api/voice/models/"+m.ID {
		e.t.Fatalf("clone answered %+v, Location %q; want pending at its URL", m, resp.Header.Get("Location"))
	}
	return s, e.waitModel(token, m.ID)
}

// waitModel polls a model until it is no longer pending.
func (e *env) waitModel(token, id string) app.Model {
	e.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var m app.Model
		e.expect(e.do("GET", "/api/voice/models/"+id, token, nil), 200, &m)
		if m.Status != app.ModelPending {
			return m
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("model %s still pending after 90 s", id)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var speechOnce struct {
	sync.Once
	wav, short []byte
	err        error
}

// speechWAV is 13–30 s of a flite voice reading, as a 16-bit WAV file:
// enough for the service (10 s of speech), short enough to keep tests
// quick. The API needs speech, not a particular human voice, so these
// tests run on a clone without the real speech set.
func speechWAV(t testing.TB) []byte {
	t.Helper()
	loadSpeech(t)
	return speechOnce.wav
}

// shortWAV is about 3 s of the same voice: too little to clone from.
func shortWAV(t testing.TB) []byte {
	t.Helper()
	loadSpeech(t)
	return speechOnce.short
}

func loadSpeech(t testing.TB) {
	speechOnce.Do(func() {
		pcm, _ := speechtest.Synthetic(t, "rms", 13)
		short := &audio.PCM{Rate: pcm.Rate, Channels: pcm.Channels, Samples: pcm.Samples[:3*pcm.Rate*pcm.Channels]}
		speechOnce.wav, speechOnce.err = encodeWAV(pcm)
		if speechOnce.err == nil {
			speechOnce.short, speechOnce.err = encodeWAV(short)
		}
	})
	if speechOnce.err != nil {
		t.Fatalf("speech: %v", speechOnce.err)
	}
}

func encodeWAV(p *audio.PCM) ([]byte, error) {
	var buf bytes.Buffer
	err := codec.Encode(context.Background(), &buf, p, audio.FormatWAV, codec.EncodeOptions{})
	return buf.Bytes(), err
}

// assertNoFileNamed fails when any file below dir has name in its path.
func assertNoFileNamed(t *testing.T, dir, name string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(path, name) {
			t.Errorf("file %s is named after user input", path)
		}
		return nil
	})
}

// uploadChunked posts audio as a form without a Content-Length, so only
// the limit applied while reading can stop it.
func (e *env) uploadChunked(token string, audioData []byte) *http.Response {
	e.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, _ := mw.CreateFormFile("audio", "a.wav")
		_, err := fw.Write(audioData)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequestWithContext(e.t.Context(), "POST", e.url+"/api/voice/upload", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("chunked upload: %v", err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
