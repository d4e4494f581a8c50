package httpapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// sentence is what every API error message is: a capitalised sentence
// ending in a full stop, with no Go package prefix ("voice: …").
var (
	sentence      = regexp.MustCompile(`^[A-Z].*\.$`)
	packagePrefix = regexp.MustCompile(`\b(app|audio|codec|voice|sqlite|postgres|blob|ffmpeg): `)
)

// errorMessage reads an error answer's message.
func (e *env) errorMessage(resp *http.Response) string {
	e.t.Helper()
	body, _ := io.ReadAll(resp.Body)
	var out struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Error.Code == "" {
		e.t.Fatalf("%s %s: status %d, not an error body: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, body)
	}
	return out.Error.Message
}

// TestErrorMessagesAreSentences walks the error answers of every kind,
// from the stores' not-found to the router's, and holds their messages to
// one style.
func TestErrorMessagesAreSentences(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		tok := e.register("writer@example.com")
		_, m := e.sampleAndModel(tok)
		id := app.NewID()
		synth := func(body map[string]any) *http.Response { return e.do("POST", "/api/voice/synthesize", tok, body) }
		answers := map[string]*http.Response{
			"model":      e.do("GET", "/api/voice/models/"+id, tok, nil),
			"summary":    e.do("GET", "/api/voice/models/"+id+"/summary", tok, nil),
			"patch":      e.do("PATCH", "/api/voice/models/"+id, tok, map[string]string{"name": "x"}),
			"delete":     e.do("DELETE", "/api/voice/models/"+id, tok, nil),
			"sample":     e.do("DELETE", "/api/voice/samples/"+id, tok, nil),
			"key":        e.do("DELETE", "/api/auth/keys/"+id, tok, nil),
			"history":    e.do("GET", "/api/voice/history/"+id+"/audio", tok, nil),
			"clone":      e.do("POST", "/api/voice/clone", tok, map[string]any{"sample_ids": []string{id}}),
			"limit":      e.do("GET", "/api/voice/history?limit=0", tok, nil),
			"cursor":     e.do("GET", "/api/voice/history?cursor=nope", tok, nil),
			"route":      e.do("GET", "/api/nope", tok, nil),
			"method":     e.do("PUT", "/api/voice/models", tok, nil),
			"auth":       e.do("GET", "/api/voice/models", "", nil),
			"token":      e.do("GET", "/api/voice/models", "not.a.token", nil),
			"register":   e.do("POST", "/api/auth/register", "", map[string]string{"email": "writer@example.com", "password": "correct horse battery"}),
			"login":      e.do("POST", "/api/auth/login", "", map[string]string{"email": "writer@example.com", "password": "wrong password"}),
			"json":       e.do("POST", "/api/voice/clone", tok, []byte(`{"name":`), "application/json"),
			"upload":     e.upload(tok, []byte("not audio at all"), "x.wav", nil),
			"short":      e.upload(tok, shortWAV(t), "x.wav", nil),
			"text":       synth(map[string]any{"model_id": m.ID, "text": ""}),
			"speed":      synth(map[string]any{"model_id": m.ID, "text": "Hi.", "speed": 9}),
			"format":     synth(map[string]any{"model_id": m.ID, "text": "Hi.", "format": "doc"}),
			"stream":     synth(map[string]any{"model_id": m.ID, "text": "Hi.", "stream_format": "video"}),
			"builtin":    synth(map[string]any{"voice": "nobody", "text": "Hi."}),
			"synthModel": synth(map[string]any{"model_id": id, "text": "Hi."}),
		}
		for name, resp := range answers {
			msg := e.errorMessage(resp)
			if !sentence.MatchString(msg) || packagePrefix.MatchString(msg) {
				t.Errorf("%s: message %q is not a sentence for people", name, msg)
			}
		}
		if msg := e.errorMessage(e.do("GET", "/api/voice/models/"+id, tok, nil)); msg != "Voice model not found." {
			t.Errorf("missing model: %q", msg)
		}
		want := `Unknown output format "doc"; choose one of wav, mp3, flac, ogg, opus, aac, pcm, ulaw.`
		if msg := e.errorMessage(synth(map[string]any{"model_id": m.ID, "text": "Hi.", "format": "doc"})); msg != want {
			t.Errorf("unknown format: %q, want %q", msg, want)
		}
		// ogg, listed, is accepted.
		e.expect(synth(map[string]any{"model_id": m.ID, "text": "Hi.", "format": "ogg"}), 200, nil)
	})
}
