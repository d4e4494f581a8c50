package httpapi_test

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// TestOpenAISpeech speaks through POST /v1/audio/speech on the real
// service: every response_format, voices by id, name and {"id"}, a login
// token instead of a key, server-sent events, and the listing routes.
func TestOpenAISpeech(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("oa@example.com", true)
		text := "Good morning. How are you today?"
		for _, f := range []struct{ name, ctype string }{
			{"mp3", "audio/mpeg"}, {"opus", "audio/ogg; codecs=opus"}, {"flac", "audio/flac"}, {"wav", "audio/wav"},
			{"pcm", "application/octet-stream"}, {"aac", "audio/aac"},
		} {
			resp := u.openai("POST", "/v1/audio/speech", map[string]any{"model": "tts-1", "input": text, "voice": u.model.ID, "response_format": f.name})
			data, pcm := e.audioOf(resp, f.ctype)
			if resp.Header.Get("X-Synthesis-Id") == "" {
				t.Errorf("%s: no X-Synthesis-Id", f.name)
			}
			switch {
			case pcm != nil && f.name != "opus" && f.name != "aac" && pcm.Rate != 24000: // Ogg Opus decodes at 48 kHz, AAC as ffmpeg likes
				t.Errorf("%s: %d Hz, want 24000 as OpenAI's", f.name, pcm.Rate)
			case pcm == nil && (len(data)%2 != 0 || len(data) < 24000*2/2):
				t.Errorf("pcm: %d bytes, want ≥ 0.5 s of 24 kHz s16le", len(data))
			}
		}
		// A voice by exact name, as {"id": …}, and a login token as the key.
		e.audioOf(u.openai("POST", "/v1/audio/speech", map[string]any{"model": "gpt-4o-mini-tts", "input": "Hello.", "voice": "Voice",
			"instructions": "Speak calmly.", "speed": 3.5}), "audio/mpeg")
		e.audioOf(u.openai("POST", "/v1/audio/speech", map[string]any{"model": "voxclone", "input": "Hello.", "voice": map[string]string{"id": u.model.ID}}), "audio/mpeg")
		e.audioOf(e.call("POST", "/v1/audio/speech", map[string]string{"Authorization": "Bearer " + u.token},
			map[string]any{"model": "tts-1-hd", "input": "Hello.", "voice": "Voice", "response_format": "wav"}), "audio/wav")
		// Built-in voices, by their own names and by OpenAI's.
		e.audioOf(u.openai("POST", "/v1/audio/speech", map[string]any{"model": "tts-1", "input": "Hello.", "voice": "awb"}), "audio/mpeg")
		e.audioOf(u.openai("POST", "/v1/audio/speech", map[string]any{"model": "tts-1", "input": "Hello.", "voice": "Alloy"}), "audio/mpeg")
		// speed 3.5 is clamped to the engine's 2, as the history records.
		var hist app.HistoryPage
		e.expect(e.do("GET", "/api/voice/history?limit=20", u.token, nil), 200, &hist)
		fast := slices.IndexFunc(hist.Items, func(s app.Synthesis) bool { return s.Format == "mp3" && s.Text == "Hello." && s.Speed == 2 })
		if len(hist.Items) != 11 || fast < 0 || hist.Items[fast].SampleRate != 24000 {
			t.Errorf("history after speech = %+v", hist.Items)
		}
		checkSSE(t, e, u)
		checkOpenAIListing(t, e, u)
	})
}

// checkSSE reads a stream_format "sse" answer event by event: deltas of
// base64 MP3 that decode together, then speech.audio.done.
func checkSSE(t *testing.T, e *env, u *compatUser) {
	resp := u.openai("POST", "/v1/audio/speech", map[string]any{"model": "gpt-4o-mini-tts", "input": "One. Two. Three.",
		"voice": "Voice", "stream_format": "sse"})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("sse: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var audioBytes []byte
	var deltas int
	var done map[string]any
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		var ev struct {
			Type, Audio string
			Usage       map[string]int
		}
		if !strings.HasPrefix(line, "data: ") || json.Unmarshal([]byte(line[6:]), &ev) != nil || done != nil {
			t.Fatalf("sse line %.100q after done=%v", line, done)
		}
		switch ev.Type {
		case "speech.audio.delta":
			b, err := base64.StdEncoding.DecodeString(ev.Audio)
			if err != nil || len(b) == 0 {
				t.Fatalf("delta %d: %v", deltas, err)
			}
			audioBytes, deltas = append(audioBytes, b...), deltas+1
		case "speech.audio.done":
			done = map[string]any{"usage": ev.Usage}
			if ev.Usage["input_tokens"] != len("One. Two. Three.") {
				t.Errorf("usage = %v", ev.Usage)
			}
		default:
			t.Fatalf("unexpected event %q", line)
		}
	}
	if deltas == 0 || done == nil {
		t.Fatalf("sse: %d deltas, done %v", deltas, done)
	}
	if pcm, f, err := codec.Decode(e.t.Context(), audioBytes); err != nil || f != "mp3" || pcm.Seconds() < 1 {
		t.Errorf("sse audio: %v %v", f, err)
	}
}

func checkOpenAIListing(t *testing.T, e *env, u *compatUser) {
	var models struct {
		Object string
		Data   []struct{ ID, Object, OwnedBy string }
	}
	e.expect(u.openai("GET", "/v1/models", nil), 200, &models)
	if models.Object != "list" || len(models.Data) != 4 || models.Data[0].ID != "tts-1" || models.Data[0].Object != "model" {
		t.Errorf("models = %+v", models)
	}
	e.expect(u.openai("GET", "/v1/models/gpt-4o-mini-tts", nil), 200, nil)
	e.expectOpenAIError(u.openai("GET", "/v1/models/whisper-1", nil), 404, "model_not_found", "model", "whisper-1")
	var voices struct {
		Data []struct{ ID, Name, Object, Type, Status string }
	}
	e.expect(u.openai("GET", "/v1/audio/voices", nil), 200, &voices)
	if len(voices.Data) != 4 || voices.Data[0].ID != u.model.ID || voices.Data[0].Name != "Voice" || voices.Data[0].Status != "ready" ||
		voices.Data[1].ID != "slt" || voices.Data[1].Type != "builtin" {
		t.Errorf("voices = %+v", voices)
	}
}

// TestOpenAIBadInput sends what OpenAI's API refuses, and what voxclone
// refuses besides, and checks each answer is OpenAI's error shape.
func TestOpenAIBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		u := e.newCompatUser("bad@example.com", true)
		speak := func(body map[string]any) map[string]any {
			out := map[string]any{"model": "tts-1", "input": "Hello.", "voice": u.model.ID}
			for k, v := range body {
				out[k] = v
			}
			return out
		}
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"voice": "Nobody"})), 404, "voice_not_found", "voice", "Nobody")
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"response_format": "ogg"})), 400, "unsupported_format", "response_format", "mp3, opus")
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"input": "   "})), 400, "", "input", "empty")
		long := strings.Repeat("a", app.MaxStreamTextRunes+1)
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"input": long})), 413, "string_above_max_length", "input",
			"at most 100,000 characters")
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"model": "tts-2"})), 400, "model_not_found", "model", "tts-2")
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"speed": 9})), 400, "", "speed", "0.25")
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", []byte(`{"model":`)), 400, "", "", "JSON")
		e.expectOpenAIError(e.call("POST", "/v1/audio/speech", map[string]string{"Authorization": "Bearer " + u.key, "Content-Type": "text/plain"},
			[]byte("hi")), 415, "", "", "application/json")
		e.expectOpenAIError(e.call("POST", "/v1/audio/speech", nil, speak(nil)), 401, "invalid_api_key", "", "API key")
		e.expectOpenAIError(e.call("POST", "/v1/audio/speech", map[string]string{"Authorization": "Bearer vxk_" + strings.Repeat("0", 64)}, speak(nil)),
			401, "invalid_api_key", "", "")

		// A voice whose cloning failed cannot speak.
		broken := app.Model{ID: app.NewID(), UserID: u.id, Name: "Broken", Status: app.ModelFailed,
			Failure: "The voice could not be built: not enough speech", SampleIDs: []string{u.sample.ID}, Engine: "test",
			CreatedAt: app.Timestamp(time.Now()), UpdatedAt: app.Timestamp(time.Now())}
		if err := store.CreateModel(t.Context(), broken, nil); err != nil {
			t.Fatal(err)
		}
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", speak(map[string]any{"voice": "Broken"})), 422, "voice_not_ready", "voice", "not enough speech")
	})
}

// TestOpenAIIsolation: another user's voices do not exist through /v1,
// by id or by name, and the listing shows only one's own.
func TestOpenAIIsolation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		alice := e.newCompatUser("alice@example.com", true)
		bob := e.newCompatUser("bob@example.com", false)
		for _, v := range []any{alice.model.ID, "Voice", map[string]string{"id": alice.model.ID}} {
			e.expectOpenAIError(bob.openai("POST", "/v1/audio/speech", map[string]any{"model": "tts-1", "input": "Hi.", "voice": v}),
				404, "voice_not_found", "voice", "")
		}
		var voices struct{ Data []struct{ ID, Type string } }
		e.expect(bob.openai("GET", "/v1/audio/voices", nil), 200, &voices)
		for _, v := range voices.Data {
			if v.Type != "builtin" {
				t.Errorf("bob lists %+v", v)
			}
		}
	})
}

// TestOpenAIRateLimit: speech spends the synthesize budget shared with
// voxclone's own API once a request is valid, and a 429 comes in OpenAI's
// shape.
func TestOpenAIRateLimit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{rate: app.Rate{Count: 2, Window: time.Hour}})
		u := e.newCompatUser("rl@example.com", false)
		body := map[string]any{"model": "tts-1", "input": "Hi.", "voice": "slt", "response_format": "pcm"}
		e.expectOpenAIError(u.openai("POST", "/v1/audio/speech", map[string]any{"model": "tts-1", "input": "Hi.", "voice": "nobody"}),
			404, "voice_not_found", "voice", "") // refused before it counts
		e.expect(e.do("POST", "/api/voice/synthesize", u.key, map[string]any{"voice": "slt", "text": "Hi.", "format": "pcm"}), 200, nil)
		resp := u.openai("POST", "/v1/audio/speech", body)
		if resp.Header.Get("RateLimit-Remaining") != "0" || resp.Header.Get("RateLimit-Limit") != "2" {
			t.Errorf("RateLimit headers: %v", resp.Header)
		}
		e.expect(resp, 200, nil)
		resp = u.openai("POST", "/v1/audio/speech", body)
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After: %v", resp.Header)
		}
		e.expectOpenAIError(resp, 429, "rate_limit_exceeded", "", "Try again")
		e.expect(u.openai("GET", "/v1/models", nil), 200, nil) // listing is not limited
	})
}
