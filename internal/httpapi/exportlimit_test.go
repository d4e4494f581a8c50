package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// heldBlobs holds every Open of one key until release is closed (or the
// reader's context ends), and says on opened when one began: an export
// reading that file stays in flight for as long as the test wants.
type heldBlobs struct {
	app.Blobs
	mu      sync.Mutex
	key     string
	release chan struct{}
	opened  chan struct{}
}

func (h *heldBlobs) hold(key string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.key, h.release, h.opened = key, make(chan struct{}), make(chan struct{}, 10)
}

func (h *heldBlobs) Open(ctx context.Context, key string) (io.ReadSeekCloser, error) {
	h.mu.Lock()
	held, release, opened := key == h.key, h.release, h.opened
	h.mu.Unlock()
	if held {
		opened <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return h.Blobs.Open(ctx, key)
}

// waitOpened waits for an Open of the held key.
func (h *heldBlobs) waitOpened(t *testing.T) {
	t.Helper()
	select {
	case <-h.opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the export never read the held file")
	}
}

// during runs fn while token's export streams in e, held on its read of
// key, then lets that export run to its end.
func (h *heldBlobs) during(t *testing.T, e *env, token, key string, fn func()) {
	t.Helper()
	h.hold(key)
	first := startExport(t.Context(), e, token)
	h.waitOpened(t)
	fn()
	close(h.release)
	finish(t, <-first)
}

// heldEnv is newEnv whose service reads its blobs through held.
func heldEnv(t *testing.T, store app.Store, opt options) (*heldBlobs, *env) {
	held := &heldBlobs{}
	opt.blobs = func(b app.Blobs) app.Blobs { held.Blobs = b; return held }
	return held, newEnv(t, store, opt)
}

// exportingAccount registers an account with one history entry whose
// audio is stored, and returns it with the audio's key.
func exportingAccount(t *testing.T, e *env, blobs app.Blobs, store app.Store, email string) (*account, string) {
	t.Helper()
	a := newAccount(t, e, email)
	syn := app.Synthesis{ID: app.NewID(), UserID: a.id, Voice: "slt", Text: "Hello.", Format: "wav", Speed: 1,
		SampleRate: 24000, DurationSeconds: 1, SizeBytes: 4096, CreatedAt: e.clock.Now()}
	syn.AudioKey = "audio/" + syn.ID + ".wav"
	if _, err := blobs.Put(t.Context(), syn.AudioKey, bytes.NewReader(bytes.Repeat([]byte{1}, 4096))); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateSynthesis(t.Context(), syn); err != nil {
		t.Fatal(err)
	}
	return a, syn.AudioKey
}

// startExport sends GET /api/auth/me/export in the background; the
// response (or error) arrives on the channel once its headers have.
func startExport(ctx context.Context, e *env, token string) <-chan *http.Response {
	out := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", e.url+"/api/auth/me/export", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			resp = nil
		}
		out <- resp
	}()
	return out
}

// exportNow asks for an export that must be answered within 5 s: one
// let through while the held file blocks would wait for ever.
func exportNow(t *testing.T, e *env, token string) *http.Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	select {
	case resp := <-startExport(ctx, e, token):
		if resp == nil {
			t.Fatal("the export was not refused within 5 s")
		}
		return resp
	case <-ctx.Done():
		t.Fatal("the export was not refused within 5 s")
	}
	return nil
}

// expectRetryLater checks a refusal: status, Retry-After in whole
// seconds, and the service's error JSON with code and a message.
func expectRetryLater(t *testing.T, resp *http.Response, status int, code, says string) {
	t.Helper()
	defer resp.Body.Close()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	err := json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != status || err != nil || body.Error.Code != code || !strings.Contains(body.Error.Message, says) {
		t.Errorf("status %d, body %+v (%v); want %d %s saying %q", resp.StatusCode, body, err, status, code, says)
	}
	if ra := resp.Header.Get("Retry-After"); ra != "10" {
		t.Errorf("Retry-After %q, want 10", ra)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want JSON", ct)
	}
}

// finish reads a streamed export to its end and checks it is a whole
// archive.
func finish(t *testing.T, resp *http.Response) {
	t.Helper()
	if resp == nil {
		t.Fatal("the export failed")
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("export: %d, %v", resp.StatusCode, err)
	}
	if files := unzip(t, raw); files["account.json"] == nil {
		t.Fatalf("the archive has no account.json: %d files", len(files))
	}
}

// TestExportOnePerUser: while A's export streams (held reading A's
// audio), A's second export is 429 with Retry-After in the usual error
// shape, and B's runs; once A's download has ended A can export again,
// and a download A abandons frees the slot too.
func TestExportOnePerUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		held, e := heldEnv(t, store, options{})
		a, aKey := exportingAccount(t, e, held.Blobs, store, "a-export@example.com")
		b, _ := exportingAccount(t, e, held.Blobs, store, "b-export@example.com")

		held.during(t, e, a.token, aKey, func() {
			expectRetryLater(t, exportNow(t, e, a.token), 429, app.ERateLimited, "already running")
			finish(t, e.do("GET", "/api/auth/me/export", b.token, nil))
		})
		// A finished download has given its slot back by the time its
		// client reads the last byte.
		finish(t, e.do("GET", "/api/auth/me/export", a.token, nil))

		held.hold(aKey)
		ctx, cancel := context.WithCancel(t.Context())
		abandoned := startExport(ctx, e, a.token)
		held.waitOpened(t)
		cancel()
		<-abandoned
		held.hold("") // the next export reads freely
		// The server notices the closed connection in a moment.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			resp := e.do("GET", "/api/auth/me/export", a.token, nil)
			if resp.StatusCode == 200 {
				finish(t, resp)
				break
			}
			if resp.StatusCode != 429 || time.Now().After(deadline) {
				t.Fatalf("after an abandoned download: %d, want 200 within 5 s", resp.StatusCode)
			}
		}
	})
}

// TestExportsBounded: with VOXCLONE_MAX_EXPORTS at 1, B's export while A's
// streams is 503 with Retry-After; once A's has ended, B's runs.
func TestExportsBounded(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		held, e := heldEnv(t, store, options{maxExports: 1})
		a, aKey := exportingAccount(t, e, held.Blobs, store, "a-bound@example.com")
		b, _ := exportingAccount(t, e, held.Blobs, store, "b-bound@example.com")
		held.during(t, e, a.token, aKey, func() {
			expectRetryLater(t, exportNow(t, e, b.token), 503, app.EUnavailable, "busy")
		})
		finish(t, e.do("GET", "/api/auth/me/export", b.token, nil))
	})
}

// TestExportOnePerUserAcrossProcesses: the one export per user holds
// across two processes sharing the database: while A's export streams in
// one, A's export in the other is 429. A process that dies mid-export,
// never renewing or releasing its claim, holds A's exports back only until
// the claim lapses (30 s on the service clock).
func TestExportOnePerUserAcrossProcesses(t *testing.T) {
	forEachSharedBackend(t, func(t *testing.T, store, other app.Store) {
		held, e := heldEnv(t, store, options{})
		e2 := newEnv(t, other, options{idle: true})
		a, aKey := exportingAccount(t, e, held.Blobs, store, "a-procs@example.com")

		held.during(t, e, a.token, aKey, func() {
			expectRetryLater(t, exportNow(t, e2, a.token), 429, app.ERateLimited, "already running")
		})
		finish(t, e2.do("GET", "/api/auth/me/export", a.token, nil))

		// A process that dies after taking the claim: its export ends
		// without giving the claim back, and it renews nothing.
		dead := newEnv(t, deadProcess{other}, options{idle: true})
		finish(t, dead.do("GET", "/api/auth/me/export", a.token, nil))
		e.expectError(e.do("GET", "/api/auth/me/export", a.token, nil), http.StatusTooManyRequests, app.ERateLimited)
		e.clock.Advance(35 * time.Second) // past the claim's lapse, whichever clock set it
		finish(t, e.do("GET", "/api/auth/me/export", a.token, nil))
	})
}

// deadProcess is a store whose process dies holding its leases: it never
// renews nor releases one.
type deadProcess struct{ app.Store }

func (deadProcess) RenewLease(context.Context, string, string, string, time.Time) error { return nil }
func (deadProcess) ReleaseLease(context.Context, string, string, string) error          { return nil }
func (d deadProcess) Unwrap() app.Store                                                 { return d.Store }

// TestExportLeaseRenewed: an export that streams for longer than its
// claim's 30 s keeps it, renewed every 10 s, so another process still
// refuses A's export; deleting A's account ends the claim and, at the
// next renewal, the export in flight (before, it went on to the end).
func TestExportLeaseRenewed(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a renewal (10 s)")
	}
	forEachSharedBackend(t, func(t *testing.T, store, other app.Store) {
		held, e := heldEnv(t, store, options{})
		e2 := newEnv(t, other, options{idle: true})
		a, aKey := exportingAccount(t, e, held.Blobs, store, "a-renew@example.com")

		held.hold(aKey)
		first := startExport(t.Context(), e, a.token)
		held.waitOpened(t)
		e.clock.Advance(25 * time.Second)
		time.Sleep(11 * time.Second) // one renewal, at +25 s: the claim now lapses at +55 s
		e2.clock.Advance(50 * time.Second)
		expectRetryLater(t, exportNow(t, e2, a.token), 429, app.ERateLimited, "already running")

		e2.expect(e2.do("DELETE", "/api/auth/me", a.token, map[string]string{"password": "correct horse battery"}), 204, nil)
		whole := make(chan bool, 1)
		go func() {
			resp := <-first
			if resp == nil {
				whole <- false
				return
			}
			defer resp.Body.Close()
			_, err := io.ReadAll(resp.Body)
			whole <- err == nil && resp.StatusCode == 200
		}()
		select {
		case ok := <-whole:
			if ok {
				t.Error("the export of a deleted account went on to a whole archive")
			}
		case <-time.After(20 * time.Second):
			close(held.release) // let the test end
			t.Fatal("the export of a deleted account still runs 20 s later")
		}
	})
}
