package httpapi_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// remaining reads RateLimit-Remaining, or -1 when the answer has none.
func remaining(resp *http.Response) int {
	n, err := strconv.Atoi(resp.Header.Get("RateLimit-Remaining"))
	if err != nil {
		return -1
	}
	return n
}

// expectFree checks that a refused request left the budget alone: it
// answers status with code and says nothing of a budget it did not touch.
func (e *env) expectFree(resp *http.Response, status int, code string) {
	e.t.Helper()
	if resp.Header.Get("RateLimit-Remaining") != "" {
		e.t.Errorf("%s %s answered %d with RateLimit-Remaining %q: the request was counted", resp.Request.Method, resp.Request.URL.Path,
			resp.StatusCode, resp.Header.Get("RateLimit-Remaining"))
	}
	e.expectError(resp, status, code)
}

// TestSynthesizeBudget: only syntheses that pass validation count. Bad
// options, an empty text and another user's or no model answer 400 or 404
// and cost nothing, before and after the budget is spent; good requests
// count down to a 429 that names the wait.
func TestSynthesizeBudget(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{rate: app.Rate{Count: 3, Window: time.Hour}})
		alice, bob := e.register("alice@example.com"), e.register("bob@example.com")
		_, m := e.sampleAndModel(alice)
		_, other := e.sampleAndModel(bob)
		good := map[string]any{"model_id": m.ID, "text": "Hi.", "format": "pcm"}
		bad := func() {
			for _, body := range []map[string]any{
				{"model_id": m.ID, "text": "Hi.", "speed": 9}, {"model_id": m.ID, "text": "Hi.", "pitch": 99},
				{"model_id": m.ID, "text": "Hi.", "similarity": 3}, {"model_id": m.ID, "text": "Hi.", "format": "doc"},
				{"model_id": m.ID, "text": "   "}, {"model_id": m.ID, "text": "Hi.", "sample_rate": 4000},
			} {
				e.expectFree(e.do("POST", "/api/voice/synthesize", alice, body), 400, app.EInvalid)
			}
			e.expectFree(e.do("POST", "/api/voice/synthesize", alice, map[string]any{"model_id": other.ID, "text": "Hi."}), 404, app.ENotFound)
			e.expectFree(e.do("POST", "/api/voice/synthesize", alice, map[string]any{"model_id": app.NewID(), "text": "Hi."}), 404, app.ENotFound)
			e.expectFree(e.do("POST", "/api/voice/synthesize", alice, []byte(`{"text":`), "application/json"), 400, app.EInvalid)
		}
		bad()
		for i := range 3 {
			resp := e.do("POST", "/api/voice/synthesize", alice, good)
			if got := remaining(resp); got != 2-i || resp.Header.Get("RateLimit-Limit") != "3" {
				t.Errorf("synthesis %d: RateLimit-Remaining %d, Limit %q; want %d of 3", i+1, got, resp.Header.Get("RateLimit-Limit"), 2-i)
			}
			e.expect(resp, 200, nil)
			bad()
		}
		resp := e.do("POST", "/api/voice/synthesize", alice, good)
		if retry, _ := strconv.Atoi(resp.Header.Get("Retry-After")); retry < 3590 || retry > 3600 || remaining(resp) != 0 {
			t.Errorf("429: Retry-After %q, RateLimit-Remaining %q", resp.Header.Get("Retry-After"), resp.Header.Get("RateLimit-Remaining"))
		}
		e.expectError(resp, 429, app.ERateLimited)
		bad() // still 400 and 404, not 429: a bad request is answered for what it is
		// Other users and other actions have budgets of their own; reading
		// is not limited.
		e.expect(e.do("POST", "/api/voice/synthesize", bob, map[string]any{"model_id": other.ID, "text": "Hi.", "format": "pcm"}), 200, nil)
		e.expect(e.do("GET", "/api/voice/history", alice, nil), 200, nil)
		e.clock.Advance(time.Hour + time.Second)
		e.expect(e.do("POST", "/api/voice/synthesize", alice, good), 200, nil)
	})
}

// TestUploadAndCloneBudget: uploads that are not audio, too large, badly
// formed or too short, and clones of samples that do not exist, cost
// nothing; good ones count.
func TestUploadAndCloneBudget(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{rate: app.Rate{Count: 2, Window: time.Hour}, maxUpload: 2 << 20})
		tok := e.register("careful@example.com")
		for range 3 {
			e.expectFree(e.upload(tok, []byte("just some text, not audio at all\n"), "notes.wav", nil), 415, app.EUnsupported)
			e.expectFree(e.upload(tok, append([]byte("RIFF"), make([]byte, 3<<20)...), "big.wav", nil), 413, app.ETooLarge)
			e.expectFree(e.do("POST", "/api/voice/upload", tok, []byte(`{"audio":"x"}`), "application/json"), 415, app.EUnsupported)
			e.expectFree(e.upload(tok, speechWAV(t), "a.wav", map[string]string{"colour": "blue"}), 400, app.EInvalid)
			e.expectFree(e.do("POST", "/api/voice/clone", tok, map[string]any{"sample_ids": []string{app.NewID()}}), 404, app.ENotFound)
			e.expectFree(e.do("POST", "/api/voice/clone", tok, map[string]any{"sample_ids": []string{}}), 400, app.EInvalid)
			// Too little speech is only known once the audio is decoded
			// and analysed: the slot taken for that is given back.
			resp := e.upload(tok, shortWAV(t), "short.wav", nil)
			if got := remaining(resp); got != 2 {
				t.Errorf("too short upload: RateLimit-Remaining %d, want 2 (given back)", got)
			}
			e.expectError(resp, 422, app.EUnprocessable)
		}
		var s app.Sample
		resp := e.upload(tok, speechWAV(t), "voice.wav", nil)
		if got := remaining(resp); got != 1 {
			t.Errorf("good upload: RateLimit-Remaining %d, want 1", got)
		}
		e.expect(resp, 201, &s)
		resp = e.do("POST", "/api/voice/clone", tok, map[string]any{"sample_ids": []string{s.ID}})
		if got := remaining(resp); got != 1 {
			t.Errorf("clone: RateLimit-Remaining %d, want 1", got)
		}
		e.expect(resp, 202, nil)
	})
}

// failingBlobs fails to store new samples and voice profiles while fail
// is set, as a full disk would.
type failingBlobs struct {
	app.Blobs
	fail atomic.Bool
}

func (f *failingBlobs) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	if f.fail.Load() && (strings.HasPrefix(key, "samples/") || strings.HasPrefix(key, "profiles/")) {
		return 0, errors.New("disk full")
	}
	return f.Blobs.Put(ctx, key, r)
}

// TestServerFailureIsFree: an upload that fails on the server's side
// after its work (the audio analysed) answers 500 and gives its slot back.
// A clone's work happens on a worker after the request has been answered
// 202, so the request is charged once accepted; what the worker makes of
// a server failure is TestCloneTaskFailures' concern.
func TestServerFailureIsFree(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		fb := &failingBlobs{}
		e := newEnv(t, store, options{rate: app.Rate{Count: 2, Window: time.Hour},
			blobs: func(b app.Blobs) app.Blobs { fb.Blobs = b; return fb }})
		tok := e.register("unlucky@example.com")
		var s app.Sample
		e.expect(e.upload(tok, speechWAV(t), "voice.wav", nil), 201, &s)
		fb.fail.Store(true)
		for range 3 {
			resp := e.upload(tok, speechWAV(t), "voice.wav", nil)
			if got := remaining(resp); got != 1 {
				t.Errorf("failed upload: RateLimit-Remaining %d, want 1 (given back)", got)
			}
			e.expectError(resp, 500, app.EInternal)
		}
		fb.fail.Store(false)
		e.expect(e.upload(tok, speechWAV(t), "voice.wav", nil), 201, nil)
		e.expectError(e.upload(tok, speechWAV(t), "voice.wav", nil), 429, app.ERateLimited)
		clone := map[string]any{"sample_ids": []string{s.ID}}
		for i := range 2 {
			resp := e.do("POST", "/api/voice/clone", tok, clone)
			if got := remaining(resp); got != 1-i {
				t.Errorf("clone %d: RateLimit-Remaining %d, want %d", i+1, got, 1-i)
			}
			e.expect(resp, 202, nil)
		}
		e.expectError(e.do("POST", "/api/voice/clone", tok, clone), 429, app.ERateLimited)
	})
}
