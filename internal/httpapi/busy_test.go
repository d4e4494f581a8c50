package httpapi_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/consent"
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

// TestBusyAnswersAreDocumented: every route that does engine work while
// its client waits answers 503 when the engine is busy, and its operation
// in the OpenAPI document its family serves lists that answer: an upload,
// the recording of a consent phrase, a detection, the consent check of a
// clone and a synthesis, on each API family.
func TestBusyAnswersAreDocumented(t *testing.T) {
	wav, transcript := consentReading(t)
	forEachBackend(t, func(t *testing.T, store app.Store) {
		gate := admission.New(admission.Config{Slots: 1, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
		e := newEnv(t, store, options{gate: gate, consent: true,
			challenge: func() consent.Challenge { return consent.Challenge{Words: strings.Fields(transcript)} }})
		u := e.newCompatUser("busy@example.com", false)
		var verified, pending struct{ ID string }
		e.expect(e.do("POST", "/api/voice/consent", u.token, nil), 201, &verified)
		e.expect(consentUpload(e, u.token, verified.ID, wav), 200, nil)
		e.expect(e.do("POST", "/api/voice/consent", u.token, nil), 201, &pending)
		var sample app.Sample
		e.expect(e.upload(u.token, speechWAV(t), "voice.wav", nil), 201, &sample)

		release, err := gate.Acquire(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer release()
		for _, c := range []struct {
			doc, pattern string
			resp         *http.Response
		}{
			{"/openapi.json", "POST /api/voice/upload", e.upload(u.token, speechWAV(t), "voice.wav", nil)},
			{"/openapi.json", "POST /api/voice/consent/{id}", consentUpload(e, u.token, pending.ID, wav)},
			{"/openapi.json", "POST /api/voice/detect", detectUpload(e, u.token, wav)},
			{"/openapi.json", "POST /api/voice/clone", e.do("POST", "/api/voice/clone", u.token,
				map[string]any{"name": "me", "sample_ids": []string{sample.ID}})},
			{"/openapi.json", "POST /api/voice/synthesize", e.do("POST", "/api/voice/synthesize", u.token,
				map[string]any{"voice": "slt", "text": "Hello there."})},
			{"/v1/openapi.json", "POST /audio/speech", u.openai("POST", "/v1/audio/speech",
				map[string]any{"model": "tts-1", "voice": "alloy", "input": "Hello there."})},
			{"/elevenlabs/openapi.json", "POST /v1/text-to-speech/{voice_id}",
				u.eleven("POST", "/elevenlabs/v1/text-to-speech/slt", map[string]any{"text": "Hello there."})},
		} {
			c.resp.Body.Close()
			if c.resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("%s (%s) with the engine busy: %d, want 503", c.pattern, c.doc, c.resp.StatusCode)
			}
			if !documentedStatuses(t, e, c.doc, c.pattern)["503"] {
				t.Errorf("%s answers 503 when the engine is busy, but %s does not list it", c.pattern, c.doc)
			}
		}
	})
}

// detectUpload posts data to the detector as the upload form.
func detectUpload(e *env, token string, data []byte) *http.Response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("audio", "clip.wav")
	fw.Write(data)
	mw.Close()
	return e.do("POST", "/api/voice/detect", token, buf.Bytes(), mw.FormDataContentType())
}

// documentedStatuses are the answers the OpenAPI document the server
// serves at doc lists for an operation ("POST /audio/speech", its path as
// the document writes it).
func documentedStatuses(t *testing.T, e *env, doc, op string) map[string]bool {
	t.Helper()
	var d struct {
		Paths map[string]map[string]struct {
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	e.expect(e.do("GET", doc, "", nil), http.StatusOK, &d)
	method, path, _ := strings.Cut(op, " ")
	o, ok := d.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("%s is not in %s", op, doc)
	}
	got := map[string]bool{}
	for status := range o.Responses {
		got[status] = true
	}
	return got
}

// TestJSONBodyAnswersAreDocumented: every route that takes a JSON body
// answers another content type with 415 and a body over the limit with
// 413, and its OpenAPI operation lists both answers.
func TestJSONBodyAnswersAreDocumented(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		jsonBodyAnswers(t, newEnv(t, store, options{}))
	})
}

func jsonBodyAnswers(t *testing.T, e *env) {
	token := e.register("json@example.com")
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"requestBody"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	e.expect(e.do("GET", "/openapi.json", "", nil), http.StatusOK, &doc)
	big := []byte(`{"name":"` + strings.Repeat("x", 1<<20) + `"}`)
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if _, ok := op.RequestBody.Content["application/json"]; !ok {
				continue
			}
			n++
			url := strings.NewReplacer("{id}", app.NewID()).Replace(path)
			name := strings.ToUpper(method) + " " + path
			for _, c := range []struct {
				status int
				resp   *http.Response
			}{
				{415, e.do(strings.ToUpper(method), url, token, []byte("{}"), "text/plain")},
				{413, e.do(strings.ToUpper(method), url, token, big, "application/json")},
			} {
				c.resp.Body.Close()
				if c.resp.StatusCode != c.status {
					t.Errorf("%s: %d, want %d", name, c.resp.StatusCode, c.status)
				}
				if _, ok := op.Responses[strconv.Itoa(c.status)]; !ok {
					t.Errorf("%s answers %d, but its operation does not list it", name, c.status)
				}
			}
		}
	}
	if n < 6 {
		t.Errorf("only %d operations take JSON", n)
	}
}
