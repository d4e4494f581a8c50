package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestAPIFlow walks accounts, keys, samples, models, synthesis and history
// through HTTP on the real service and database.
func TestAPIFlow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		token := e.register("ada@example.com")
		e.expectError(e.do("POST", "/api/auth/register", "", map[string]string{"email": "ADA@example.com", "password": "another password"}), 409, "conflict")

		var login struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		e.expect(e.do("POST", "/api/auth/login", "", map[string]string{"email": "ada@example.com", "password": "correct horse battery"}), 200, &login)
		if login.Token == "" || login.ExpiresAt.Before(e.clock.Now()) {
			t.Fatalf("login = %+v", login)
		}
		e.expectError(e.do("POST", "/api/auth/login", "", map[string]string{"email": "ada@example.com", "password": "wrong password!"}), 401, "unauthorized")

		s, m := e.sampleAndModel(login.Token)
		if s.DurationSeconds < 13 || s.Format != "wav" || s.Quality.Score <= 0 || s.Name != "voice" {
			t.Errorf("sample = %+v", s)
		}
		if m.Status != app.ModelReady || len(m.SampleIDs) != 1 || m.SampleIDs[0] != s.ID {
			t.Errorf("model = %+v", m)
		}
		var models struct{ Items []app.Model }
		e.expect(e.do("GET", "/api/voice/models", token, nil), 200, &models)
		if len(models.Items) != 1 || models.Items[0].ID != m.ID {
			t.Errorf("models = %+v", models)
		}
		var patched app.Model
		e.expect(e.do("PATCH", "/api/voice/models/"+m.ID, token, map[string]string{"name": "Ada"}), 200, &patched)
		if patched.Name != "Ada" || patched.Description != m.Description {
			t.Errorf("patched = %+v", patched)
		}

		checkSummary(t, e, token, m.ID)

		audioBytes, synID := synthesize(t, e, token, m.ID, "wav", "Good morning, how are you today?")
		var hist app.HistoryPage
		e.expect(e.do("GET", "/api/voice/history?limit=5", token, nil), 200, &hist)
		if len(hist.Items) != 1 || hist.Items[0].ID != synID || hist.Items[0].ModelID != m.ID {
			t.Fatalf("history = %+v", hist)
		}
		resp := e.do("GET", "/api/voice/history/"+synID+"/audio", token, nil)
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Equal(got, audioBytes) || resp.Header.Get("Content-Type") != "audio/wav" {
			t.Errorf("history audio: status %d, %d bytes (want %d), type %q", resp.StatusCode, len(got), len(audioBytes), resp.Header.Get("Content-Type"))
		}
		req, _ := http.NewRequest("GET", e.url+"/api/voice/history/"+synID+"/audio", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Range", "bytes=100-199")
		ranged, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := io.ReadAll(ranged.Body)
		ranged.Body.Close()
		if ranged.StatusCode != 206 || !bytes.Equal(part, audioBytes[100:200]) {
			t.Errorf("range request: status %d, %d bytes", ranged.StatusCode, len(part))
		}

		e.expect(e.do("DELETE", "/api/voice/models/"+m.ID, token, nil), 204, nil)
		e.expectError(e.do("GET", "/api/voice/models/"+m.ID, token, nil), 404, "not_found")
		e.expectError(e.do("GET", "/api/voice/models/"+m.ID+"/summary", token, nil), 404, "not_found")
		e.expectError(e.do("GET", "/api/voice/history/"+synID+"/audio", token, nil), 404, "not_found")
		e.expect(e.do("DELETE", "/api/voice/samples/"+s.ID, token, nil), 204, nil)
		var samples struct{ Items []app.Sample }
		e.expect(e.do("GET", "/api/voice/samples", token, nil), 200, &samples)
		if samples.Items == nil || len(samples.Items) != 0 {
			t.Errorf("samples after delete = %#v, want an empty list", samples.Items)
		}
	})
}

// synthesize asks for text in format and checks the audio: headers, and a
// duration plausible for the text. It returns the bytes and synthesis id.
func synthesize(t *testing.T, e *env, token, modelID, format, text string) ([]byte, string) {
	t.Helper()
	resp := e.do("POST", "/api/voice/synthesize", token, map[string]any{"model_id": modelID, "text": text, "format": format})
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("synthesize %s: status %d: %s", format, resp.StatusCode, data)
	}
	// The audio is streamed as it is produced: chunked, no length up front.
	if resp.ContentLength != -1 || !slices.Equal(resp.TransferEncoding, []string{"chunked"}) || len(data) == 0 {
		t.Errorf("Content-Length %d, Transfer-Encoding %q for %d bytes; want a chunked stream", resp.ContentLength, resp.TransferEncoding, len(data))
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "audio/") {
		t.Errorf("Content-Type = %q", ct)
	}
	if resp.Header.Get("RateLimit-Remaining") == "" {
		t.Error("no RateLimit-Remaining on a successful synthesis")
	}
	pcm, _, err := codec.Decode(t.Context(), data)
	if err != nil {
		t.Fatalf("decode %s: %v", format, err)
	}
	// Speech runs at roughly 2–4 words a second.
	words := float64(len(strings.Fields(text)))
	if sec := pcm.Seconds(); sec < words/5 || sec > words/1.5+1 {
		t.Errorf("%s: %.2f s for %d words", format, sec, int(words))
	}
	id := resp.Header.Get("X-Synthesis-Id")
	if id == "" {
		t.Fatal("no X-Synthesis-Id")
	}
	return data, id
}

// checkSummary reads a real model's summary over HTTP: the JSON carries
// the engine's field names, what was measured is plausible for one adult
// speaker, and the advice is there (the sample had no transcript, so the
// pool was labelled by recognition and a hint says to give one).
func checkSummary(t *testing.T, e *env, token, modelID string) {
	t.Helper()
	resp := e.do("GET", "/api/voice/models/"+modelID+"/summary", token, nil)
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("summary: status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	var sum voice.Summary
	if err := json.Unmarshal(raw, &sum); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"hints":[`, `"median_hz":`, `"speech_seconds":`, `"phones_covered":`} {
		if !bytes.Contains(raw, []byte(key)) {
			t.Errorf("summary JSON lacks %s: %s", key, raw)
		}
	}
	p := sum.Pool
	if sum.Pitch.MedianHz < 60 || sum.Pitch.MedianHz > 400 || sum.SpeechSeconds < 10 || !sum.Current ||
		p == nil || p.PhonesTotal != 39 || p.PhonesCovered < 1 || p.PhonesCovered > 39 {
		t.Fatalf("summary = %s", raw)
	}
	if !slices.ContainsFunc(sum.Hints, func(h string) bool { return strings.Contains(h, "transcript") }) {
		t.Errorf("hints %q do not ask for a transcript", sum.Hints)
	}
}

// TestAPIKeys uses a personal API key as the bearer and revokes it.
func TestAPIKeys(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		token := e.register("keys@example.com")
		var created struct {
			Key    app.APIKey `json:"key"`
			Secret string     `json:"secret"`
		}
		e.expect(e.do("POST", "/api/auth/keys", token, map[string]string{"name": "laptop"}), 201, &created)
		if created.Secret == "" || created.Key.Name != "laptop" || !strings.HasPrefix(created.Secret, created.Key.Prefix) {
			t.Fatalf("key = %+v", created)
		}
		var keys struct{ Items []app.APIKey }
		e.expect(e.do("GET", "/api/auth/keys", created.Secret, nil), 200, &keys)
		if len(keys.Items) != 1 || keys.Items[0].ID != created.Key.ID {
			t.Fatalf("keys = %+v", keys)
		}
		other := e.register("other@example.com")
		e.expectError(e.do("DELETE", "/api/auth/keys/"+created.Key.ID, other, nil), 404, "not_found")
		e.expect(e.do("DELETE", "/api/auth/keys/"+created.Key.ID, token, nil), 204, nil)
		e.expectError(e.do("GET", "/api/voice/models", created.Secret, nil), 401, "unauthorized")
	})
}

// TestAPIRateLimit spends the synthesize budget, checks the 429 and its
// headers, and sees the budget return when the window passes. Only valid
// requests count: one for a model that does not exist (404) is refused
// before the budget is touched. The budget is spent with real, short
// syntheses in a built-in voice.
func TestAPIRateLimit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{rate: app.Rate{Count: 3, Window: time.Hour}})
		token := e.register("busy@example.com")
		body := map[string]any{"voice": "slt", "text": "Hi.", "format": "pcm"}
		missing := map[string]any{"model_id": "0123456789abcdef0123456789abcdef", "text": "Hi.", "format": "pcm"}
		for i := 0; i < 3; i++ {
			e.expectError(e.do("POST", "/api/voice/synthesize", token, missing), 404, "not_found")
			resp := e.do("POST", "/api/voice/synthesize", token, body)
			e.expect(resp, 200, nil)
			if got, want := resp.Header.Get("RateLimit-Remaining"), strconv.Itoa(2-i); got != want || resp.Header.Get("RateLimit-Limit") != "3" {
				t.Errorf("request %d: RateLimit-Remaining %q Limit %q, want %s and 3", i+1, got, resp.Header.Get("RateLimit-Limit"), want)
			}
		}
		resp := e.do("POST", "/api/voice/synthesize", token, body)
		retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		if retry < 3590 || retry > 3600 || resp.Header.Get("RateLimit-Remaining") != "0" || resp.Header.Get("RateLimit-Reset") == "" {
			t.Errorf("429 headers: Retry-After %q, RateLimit-Remaining %q, Reset %q", resp.Header.Get("Retry-After"), resp.Header.Get("RateLimit-Remaining"), resp.Header.Get("RateLimit-Reset"))
		}
		e.expectError(resp, 429, "rate_limited")
		// Other actions and other users have their own budgets.
		e.expectError(e.do("POST", "/api/voice/clone", token, map[string]any{"name": "x", "sample_ids": []string{"nope"}}), 404, "not_found")
		e.expect(e.do("POST", "/api/voice/synthesize", e.register("calm@example.com"), body), 200, nil)
		// Reading is not limited.
		e.expect(e.do("GET", "/api/voice/history", token, nil), 200, nil)
		e.clock.Advance(time.Hour + time.Second)
		e.expect(e.do("POST", "/api/voice/synthesize", token, body), 200, nil)
	})
}

// TestAPIBadInputs sends malformed and unusable requests.
func TestAPIBadInputs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{maxUpload: 2 << 20})
		token := e.register("bad@example.com")
		e.expectError(e.upload(token, []byte("just some text, not audio at all\n"), "notes.wav", nil), 415, "unsupported_media")
		e.expectError(e.upload(token, bytes.Repeat([]byte("RIFF"), 1<<20), "big.wav", nil), 413, "too_large")
		e.expectError(e.upload(token, shortWAV(t), "short.wav", nil), 422, "unprocessable")
		e.expectError(e.uploadChunked(token, bytes.Repeat([]byte("RIFF"), 1<<20)), 413, "too_large")
		e.expectError(e.do("POST", "/api/voice/upload", token, []byte(`{"audio":"x"}`), "application/json"), 415, "unsupported_media")
		e.expectError(e.do("POST", "/api/voice/clone", token, []byte(`{"name":"x",`), "application/json"), 400, "invalid")
		e.expectError(e.do("POST", "/api/voice/clone", token, map[string]any{"name": "x", "samples": []string{"a"}}), 400, "invalid")
		e.expectError(e.do("POST", "/api/voice/synthesize", token, map[string]any{"model_id": "nope", "text": "hi", "format": "aiff"}), 400, "invalid")
		e.expectError(e.do("GET", "/api/voice/history?limit=ten", token, nil), 400, "invalid")
		e.expectError(e.do("GET", "/api/voice/models", "not-a-token", nil), 401, "unauthorized")
		e.clock.Advance(app.DefaultTokenTTL + time.Minute)
		e.expectError(e.do("GET", "/api/voice/models", token, nil), 401, "unauthorized")
	})
}

// TestAPIUploadFileName sends a path as the file name: it becomes only a
// display name, and the blob directory holds nothing named after it.
func TestAPIUploadFileName(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		token := e.register("path@example.com")
		var s app.Sample
		e.expect(e.upload(token, speechWAV(t), "../../etc/passwd", map[string]string{"transcript": "words"}), 201, &s)
		if s.Name != "passwd" || s.Transcript != "words" {
			t.Errorf("sample = %+v", s)
		}
		assertNoFileNamed(t, e.blobs, "passwd")
	})
}

func TestAPIHealth(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		var h app.Health
		e.expect(e.do("GET", "/api/voice/health", "", nil), http.StatusOK, &h)
		if !h.OK || !h.Engine.OK || !h.Database.OK || !h.Storage.OK || h.Version != "test" {
			t.Errorf("health = %+v", h)
		}
	})
}

// TestAPIHealthDown closes the database under a running service: health
// must answer 503 and name the database, without its error text.
func TestAPIHealthDown(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		if err := store.(io.Closer).Close(); err != nil {
			t.Fatal(err)
		}
		var h app.Health
		e.expect(e.do("GET", "/api/voice/health", "", nil), http.StatusServiceUnavailable, &h)
		if h.OK || h.Database.OK || h.Database.Detail != "unavailable" || !h.Storage.OK || !h.Engine.OK {
			t.Errorf("health = %+v, want only the database down", h)
		}
	})
}

// TestHistorySimilarity checks that the history reports the similarity each
// synthesis used (the default when none was asked for) and omits it for an
// entry stored without one, as those from before it was recorded.
func TestHistorySimilarity(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		token := e.register("sim@example.com")
		_, m := e.sampleAndModel(token)
		body := map[string]any{"model_id": m.ID, "text": "Set to a third.", "similarity": 0.3}
		e.expect(e.do("POST", "/api/voice/synthesize", token, body), 200, nil)
		e.clock.Advance(time.Second)
		delete(body, "similarity")
		e.expect(e.do("POST", "/api/voice/synthesize", token, body), 200, nil)
		e.clock.Advance(time.Second)
		u, _, err := store.FindUserByEmail(t.Context(), "sim@example.com")
		if err != nil {
			t.Fatal(err)
		}
		id := app.NewID()
		if err := store.CreateSynthesis(t.Context(), app.Synthesis{ID: id, UserID: u.ID, ModelID: m.ID,
			Text: "Old.", Format: "wav", Speed: 1, AudioKey: "audio/" + id + ".wav", CreatedAt: e.clock.Now()}); err != nil {
			t.Fatal(err)
		}

		var hist struct{ Items []map[string]any }
		e.expect(e.do("GET", "/api/voice/history", token, nil), 200, &hist)
		if len(hist.Items) != 3 {
			t.Fatalf("history has %d items, want 3", len(hist.Items))
		}
		if v, ok := hist.Items[0]["similarity"]; ok {
			t.Errorf("entry without a recorded similarity has \"similarity\": %v, want the field omitted", v)
		}
		for i, want := range map[int]float64{1: voice.DefaultSimilarity, 2: 0.3} {
			if v, ok := hist.Items[i]["similarity"].(float64); !ok || v != want {
				t.Errorf("history[%d] similarity = %v, want %v", i, hist.Items[i]["similarity"], want)
			}
		}
	})
}
