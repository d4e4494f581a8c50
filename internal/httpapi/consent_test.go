package httpapi_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// TestConsentAPI: with consent required a clone is 403 consent_required
// with what to do; a phrase is issued; a silent recording of it is 422
// consent_refused, and the phrase cannot be answered again (409). The
// checks themselves are tested in internal/app and internal/consent.
func TestConsentAPI(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{consent: true, register: app.Rate{Count: 100, Window: time.Hour}})
		a := newAccount(t, e, "consent@example.com")
		var smp app.Sample
		e.expect(e.upload(a.token, speechWAV(t), "me.wav", nil), 201, &smp)
		var refusal struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		e.expect(e.do("POST", "/api/voice/clone", a.token, map[string]any{"sample_ids": []string{smp.ID}}),
			http.StatusForbidden, &refusal)
		if refusal.Error.Code != app.EConsentRequired || !strings.Contains(refusal.Error.Message, "POST /api/voice/consent") {
			t.Errorf("clone without consent: %+v, want consent_required saying what to do", refusal.Error)
		}

		var c struct {
			ID, Phrase, Status string
			Words              []string
			ExpiresAt          time.Time `json:"expires_at"`
		}
		e.expect(e.do("POST", "/api/voice/consent", a.token, nil), http.StatusCreated, &c)
		if c.ID == "" || c.Status != "pending" || len(c.Words) < 6 || len(c.Words) > 8 ||
			!strings.HasSuffix(c.Phrase, strings.Join(c.Words, " ")) || c.ExpiresAt.IsZero() {
			t.Fatalf("issued challenge %+v", c)
		}
		silence := make([]byte, 44+16000*2*6) // 6 s of 16 kHz silence
		copy(silence, wavHeader(16000, 16000*2*6))
		e.expectError(consentUpload(e, a.token, c.ID, silence), http.StatusUnprocessableEntity, app.EConsentRefused)
		e.expectError(consentUpload(e, a.token, c.ID, silence), http.StatusConflict, app.EConflict)
		e.expect(e.do("GET", "/api/voice/consent/"+c.ID, a.token, nil), 200, &c)
		if c.Status != "answered" {
			t.Errorf("status after a refusal = %q, want answered", c.Status)
		}

		// The used phrase is refused before its upload is read: a 10 MB
		// body of which the client never sends a byte gets its answer.
		stalled, never := io.Pipe()
		defer never.Close()
		// Were the body read, the request would wait for ever: end it.
		defer time.AfterFunc(10*time.Second, func() { never.CloseWithError(io.ErrUnexpectedEOF) }).Stop()
		req, err := http.NewRequestWithContext(t.Context(), "POST", e.url+"/api/voice/consent/"+c.ID, stalled)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = 10 << 20
		req.Header.Set("Authorization", "Bearer "+a.token)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("answering a used phrase with a stalled body: %v", err)
		}
		e.expectError(resp, http.StatusConflict, app.EConflict)
	})
}

// TestConsentOpenAPI: a user holding app.MaxOpenConsents unanswered
// phrases is 429 rate_limited with Retry-After until the oldest expires,
// and the refusal spends nothing of the upload budget.
func TestConsentOpenAPI(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{consent: true, rate: app.Rate{Count: 10, Window: time.Hour}})
		a := newAccount(t, e, "open@example.com")
		for range app.MaxOpenConsents {
			e.expect(e.do("POST", "/api/voice/consent", a.token, nil), http.StatusCreated, nil)
		}
		resp := e.do("POST", "/api/voice/consent", a.token, nil)
		retry, remaining := resp.Header.Get("Retry-After"), resp.Header.Get("RateLimit-Remaining")
		e.expectError(resp, http.StatusTooManyRequests, app.ERateLimited)
		if s, err := strconv.Atoi(retry); err != nil || s < 590 || s > 600 {
			t.Errorf("Retry-After = %q, want the oldest phrase's 10 minutes", retry)
		}
		if want := strconv.Itoa(10 - app.MaxOpenConsents); remaining != want {
			t.Errorf("RateLimit-Remaining = %q after the refusal, want %s: it costs nothing", remaining, want)
		}
	})
}

func consentUpload(e *env, token, id string, data []byte) *http.Response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("audio", "consent.wav")
	fw.Write(data)
	mw.Close()
	return e.do("POST", "/api/voice/consent/"+id, token, buf.Bytes(), mw.FormDataContentType())
}

// wavHeader is the header of a 16-bit mono PCM WAV file.
func wavHeader(rate, dataBytes int) []byte {
	le := func(v, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(v >> (8 * i))
		}
		return b
	}
	var h []byte
	h = append(h, "RIFF"...)
	h = append(h, le(36+dataBytes, 4)...)
	h = append(h, "WAVEfmt "...)
	h = append(h, le(16, 4)...)
	h = append(h, le(1, 2)...)
	h = append(h, le(1, 2)...)
	h = append(h, le(rate, 4)...)
	h = append(h, le(rate*2, 4)...)
	h = append(h, le(2, 2)...)
	h = append(h, le(16, 2)...)
	h = append(h, "data"...)
	h = append(h, le(dataBytes, 4)...)
	return h
}

// TestConsentIssueBody: asking for a phrase takes no parameters. No body,
// a blank one or {} is a new challenge; a body naming a field, or that is
// not a JSON object, is 400 invalid saying what is wrong instead of being
// ignored, and another Content-Type 415, as on every JSON route. Refusals
// issue nothing and spend nothing.
func TestConsentIssueBody(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{consent: true, rate: app.Rate{Count: 10, Window: time.Hour}})
		a := newAccount(t, e, "issue-body@example.com")
		for _, c := range []struct {
			name, body, contentType, want string
			status                        int
		}{
			{"ErrUnknownField", `{"speaker":"me"}`, "application/json", `Unknown field "speaker"`, 400},
			{"ErrMalformed", `{,}`, "application/json", "Malformed JSON at byte 1", 400},
			{"ErrNotObject", `["speaker"]`, "application/json", "must be a JSON object", 400},
			{"ErrTrailing", `{} {}`, "application/json", "single JSON object", 400},
			{"ErrContentType", `{}`, "text/plain", "Content-Type", 415},
		} {
			var got struct {
				Error struct{ Code, Message string } `json:"error"`
			}
			e.expect(e.do("POST", "/api/voice/consent", a.token, []byte(c.body), c.contentType), c.status, &got)
			if !strings.Contains(got.Error.Message, c.want) {
				t.Errorf("%s: message %q, want it to say %q", c.name, got.Error.Message, c.want)
			}
		}
		// Nothing was issued or spent: all of MaxOpenConsents are still
		// there to ask for, and the budget has paid for those alone.
		e.expect(e.do("POST", "/api/voice/consent", a.token, nil), http.StatusCreated, nil)
		e.expect(e.do("POST", "/api/voice/consent", a.token, []byte("{}"), "application/json"), http.StatusCreated, nil)
		resp := e.do("POST", "/api/voice/consent", a.token, []byte(" \n"), "application/json")
		e.expect(resp, http.StatusCreated, nil)
		if rem, want := resp.Header.Get("RateLimit-Remaining"), strconv.Itoa(10-app.MaxOpenConsents); rem != want {
			t.Errorf("RateLimit-Remaining = %q after %d phrases, want %s: refusals cost nothing", rem, app.MaxOpenConsents, want)
		}
	})
}
