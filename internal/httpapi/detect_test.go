package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// detectText is about eight seconds of speech.
const detectText = "The quick brown fox jumps over the lazy dog near the river bank. " +
	"Every morning the baker opens his shop and sells warm bread to the neighbours."

// longText is about 80 seconds: enough for the payload, which has a small
// share of the watermark's power, to name the synthesis (docs/trust.md).
var longText = strings.Repeat(detectText+" ", 10)

type detectAnswer struct {
	Watermarked bool    `json:"watermarked"`
	Confidence  float64 `json:"confidence"`
	SynthesisID string  `json:"synthesis_id"`
	CreatedAt   string  `json:"created_at"`
}

func (e *env) detect(token string, data []byte) detectAnswer {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("audio", "clip")
	fw.Write(data)
	mw.Close()
	var got detectAnswer
	e.expect(e.do("POST", "/api/voice/detect", token, buf.Bytes(), mw.FormDataContentType()), 200, &got)
	return got
}

// TestDetect: what voxclone speaks (MP3 and WAV) is found watermarked; its
// owner learns which synthesis it was (given 80 s of it), another user
// only that this instance made it; a recording of a person is not
// watermarked.
func TestDetect(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		alice, bob := e.register("alice@example.com"), e.register("bob@example.com")
		for _, format := range []string{"mp3", "wav"} {
			e.clock.Advance(time.Second)
			resp := e.do("POST", "/api/voice/synthesize", alice, map[string]any{"voice": "slt", "text": longText, "format": format})
			audio, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 {
				t.Fatalf("synthesize: %d %s", resp.StatusCode, audio)
			}
			var hist app.HistoryPage
			e.expect(e.do("GET", "/api/voice/history?limit=1", alice, nil), 200, &hist)
			id := hist.Items[0].ID
			got := e.detect(alice, audio)
			if !got.Watermarked || got.SynthesisID != id || got.CreatedAt == "" || got.Confidence < 0.5 {
				t.Errorf("%s: owner's detection = %+v, want watermarked, synthesis %s", format, got, id)
			}
			got = e.detect(bob, audio)
			if !got.Watermarked || got.SynthesisID != "" || got.CreatedAt != "" {
				t.Errorf("%s: other user's detection = %+v, want watermarked without the synthesis", format, got)
			}
		}
		if got := e.detect(alice, speechWAV(t)); got.Watermarked || got.SynthesisID != "" {
			t.Errorf("human speech: %+v, want not watermarked", got)
		}
		// 25 s in another voice: found (see docs/trust.md for shorter).
		resp := e.do("POST", "/api/voice/synthesize", alice, map[string]any{"voice": "rms", "text": strings.Repeat(detectText+" ", 3), "format": "mp3"})
		short, _ := io.ReadAll(resp.Body)
		if got := e.detect(bob, short); !got.Watermarked {
			t.Errorf("25 s of MP3: %+v, want watermarked", got)
		}
		raw, _ := json.Marshal(map[string]string{"audio": "x"})
		e.expectError(e.do("POST", "/api/voice/detect", alice, raw), 415, "unsupported_media")
	})
}

// TestDetectAuditRefusedForm: a detection refused for its form (not
// multipart, no audio part, a file over the limit) is logged like one the
// service could not decode, with the error code: every detection asked
// for is in the caller's log (docs/trust.md).
func TestDetectAuditRefusedForm(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{maxUpload: 64 << 10})
		token := e.register("detect-form@example.com")
		form := func(field string, data []byte) ([]byte, string) {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			fw, _ := mw.CreateFormFile(field, "clip.wav")
			fw.Write(data)
			mw.Close()
			return buf.Bytes(), mw.FormDataContentType()
		}
		noAudio, noAudioType := form("other", []byte("RIFF"))
		tooLarge, tooLargeType := form("audio", make([]byte, 65<<10))
		for _, c := range []struct {
			name, contentType string
			body              []byte
			status            int
			code              string
		}{
			{"NotMultipart", "application/json", []byte(`{"audio":"x"}`), 415, app.EUnsupported},
			{"NoAudioPart", noAudioType, noAudio, 400, app.EInvalid},
			{"TooLarge", tooLargeType, tooLarge, 413, app.ETooLarge},
		} {
			e.clock.Advance(time.Second)
			resp := e.do("POST", "/api/voice/detect", token, c.body, c.contentType)
			e.expectError(resp, c.status, c.code)
			var page app.AuditPage
			e.expect(e.do("GET", "/api/auth/me/audit?limit=1", token, nil), 200, &page)
			if len(page.Items) != 1 || page.Items[0].Kind != app.AuditDetect || page.Items[0].Detail != "error="+c.code ||
				page.Items[0].RequestID != resp.Header.Get("X-Request-Id") {
				t.Errorf("%s: newest audit event %+v, want a detection logged with error=%s", c.name, page.Items, c.code)
			}
		}
	})
}

// TestDetectTooLong: a file longer than uploads may be is refused before
// it is decoded (413, logged), however small: a WAV of 4,000 one-hertz
// samples is 8 KB and 67 minutes, which the detector would resample to
// 32 million samples at its 8 kHz and analyse, gigabytes of work. A file
// of 6 minutes or less is checked.
func TestDetectTooLong(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		token := e.register("detect-long@example.com")
		hour := append(wavHeader(1, 2*4000), make([]byte, 2*4000)...)
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("audio", "long.wav")
		fw.Write(hour)
		mw.Close()
		start := time.Now()
		var refusal struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		e.expect(e.do("POST", "/api/voice/detect", token, buf.Bytes(), mw.FormDataContentType()), 413, &refusal)
		if refusal.Error.Code != app.ETooLarge || !strings.Contains(refusal.Error.Message, "67 minutes long; at most 6 minutes can be checked") || time.Since(start) > 5*time.Second {
			t.Errorf("67 minutes at 1 Hz: %+v after %v; want too_large at once, naming the length", refusal.Error, time.Since(start))
		}
		var page app.AuditPage
		e.expect(e.do("GET", "/api/auth/me/audit?limit=1", token, nil), 200, &page)
		if len(page.Items) != 1 || page.Items[0].Detail != "error=too_large" {
			t.Errorf("audit log %+v, want the refused detection", page.Items)
		}
		// Six minutes of silence at 8 kHz (5.8 MB) is checked.
		six := append(wavHeader(8000, 2*8000*360), make([]byte, 2*8000*360)...)
		if got := e.detect(token, six); got.Watermarked {
			t.Errorf("six minutes of silence: %+v", got)
		}
	})
}
