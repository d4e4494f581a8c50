package httpapi_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestBusy holds the only engine slot and checks that every API family
// answers a synthesis (and the native API an upload) with 503 and
// Retry-After in its own error shape, and that the refusals cost the
// user nothing: with a budget of two, two syntheses then succeed.
func TestBusy(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		gate := admission.New(admission.Config{Slots: 1, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
		e := newEnv(t, store, options{rate: app.Rate{Count: 2, Window: time.Hour}, gate: gate})
		u := e.newCompatUser("busy@example.com", false)
		release, err := gate.Acquire(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		retry := func(resp *http.Response) {
			t.Helper()
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("%s: Retry-After %q, want whole seconds", resp.Request.URL.Path, resp.Header.Get("Retry-After"))
			}
		}
		speak := map[string]any{"voice": "slt", "text": "Hello there."}

		resp := e.do("POST", "/api/voice/synthesize", u.token, speak)
		retry(resp)
		e.expectError(resp, http.StatusServiceUnavailable, app.EUnavailable)
		resp = e.upload(u.token, speechWAV(t), "voice.wav", nil)
		retry(resp)
		e.expectError(resp, http.StatusServiceUnavailable, app.EUnavailable)
		resp = u.openai("POST", "/v1/audio/speech", map[string]any{"model": "tts-1", "voice": "alloy", "input": "Hello there."})
		retry(resp)
		e.expectOpenAIError(resp, http.StatusServiceUnavailable, "service_unavailable", "", "busy")
		resp = u.eleven("POST", "/elevenlabs/v1/text-to-speech/slt", map[string]any{"text": "Hello there."})
		retry(resp)
		e.expectElevenError(resp, http.StatusServiceUnavailable, "system_busy", "busy")
		if gate.InUse() != 1 || gate.Waiting() != 0 {
			t.Errorf("gate: %d in use, %d waiting; want the test's slot only", gate.InUse(), gate.Waiting())
		}

		release()
		for i, want := range []string{"1", "0"} {
			resp := e.do("POST", "/api/voice/synthesize", u.token, speak)
			e.expect(resp, http.StatusOK, nil)
			if got := resp.Header.Get("RateLimit-Remaining"); got != want {
				t.Errorf("synthesis %d after the busy answers: RateLimit-Remaining %q, want %s", i+1, got, want)
			}
		}
		if gate.InUse() != 0 {
			t.Errorf("%d slots still held after the syntheses", gate.InUse())
		}
	})
}

// TestUploadJunkMP3 uploads MP3 frame headers with random bytes between
// them, and valid frames of silence longer than the upload limit: both are
// refused from their frame headers, with the same answer on both stores,
// and neither costs an upload.
func TestUploadJunkMP3(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{rate: app.Rate{Count: 1, Window: time.Hour}})
		token := e.register("junk@example.com")
		e.expectError(e.upload(token, speechtest.GarbageMP3(3_000_000, 3), "junk.mp3", nil), http.StatusUnprocessableEntity, app.EUnprocessable)
		e.expectError(e.upload(token, speechtest.SilentMP3(400), "long.mp3", nil), http.StatusRequestEntityTooLarge, app.ETooLarge)
		// The budget of one is still whole: real speech is accepted.
		e.expect(e.upload(token, speechWAV(t), "voice.wav", nil), http.StatusCreated, nil)
	})
}
