package openai

import (
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
	"github.com/voxclone/voxclone/internal/compat/compattest"
)

func TestOpenAPISchemas(t *testing.T) {
	compattest.CheckOpenAPI(t, OpenAPI(), map[string]any{
		"SpeechRequest": speechBody{}, "SpeechAudioDelta": deltaEvent{}, "SpeechAudioDone": doneEvent{},
		"Usage": usage{}, "ModelObject": ModelObject{}, "ModelList": ModelList{}, "VoiceObject": VoiceObject{},
		"VoiceList": VoiceList{}, "Error": errorBody{},
	})
}

func TestParseSpeech(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			body  string
			voice string
			speed float64
			fmt   string
			sse   bool
		}{
			{`{"model":"tts-1","input":" Hi. ","voice":"Anna"}`, "Anna", 1, "mp3", false},
			{`{"model":"gpt-4o-mini-tts","input":"Hi","voice":{"id":"abc"},"response_format":"pcm","speed":0.3,"instructions":"calm","stream_format":"sse"}`, "abc", 0.5, "pcm", true},
			{`{"model":"voxclone","input":"Hi","voice":"x","response_format":"wav","speed":3.5,"stream_format":"audio","extra":1}`, "x", 2, "wav", false},
			{`{"model":"tts-1-hd","input":"Hi","voice":"x","response_format":"aac","speed":1.25}`, "x", 1.25, "aac", false},
		}
		for _, tt := range tests {
			req, err := ParseSpeech([]byte(tt.body), 100)
			if err != nil {
				t.Errorf("%s: %v", tt.body, err)
				continue
			}
			if req.Voice != tt.voice || req.Speed != tt.speed || req.Format.Name != tt.fmt || req.SSE != tt.sse || req.Format.Rate != 24000 {
				t.Errorf("%s: got %+v", tt.body, req)
			}
			if req.Input != strings.TrimSpace(req.Input) || req.Input == "" {
				t.Errorf("%s: input %q not trimmed", tt.body, req.Input)
			}
		}
	})
	t.Run("Err", func(t *testing.T) {
		tests := []struct {
			body, code, field string
		}{
			{`{"input":"Hi","voice":"x"}`, app.EInvalid, "model"},
			{`{"model":"gpt-9","input":"Hi","voice":"x"}`, app.EInvalid, "model"},
			{`{"model":"tts-1","input":"  ","voice":"x"}`, app.EInvalid, "input"},
			{`{"model":"tts-1","input":"` + strings.Repeat("a", 101) + `","voice":"x"}`, app.ETooLarge, "input"},
			{`{"model":"tts-1","input":"Hi"}`, app.EInvalid, "voice"},
			{`{"model":"tts-1","input":"Hi","voice":5}`, app.EInvalid, "voice"},
			{`{"model":"tts-1","input":"Hi","voice":{"name":"x"}}`, app.EInvalid, "voice"},
			{`{"model":"tts-1","input":"Hi","voice":"x","response_format":"ogg"}`, app.EInvalid, "response_format"},
			{`{"model":"tts-1","input":"Hi","voice":"x","speed":4.01}`, app.EInvalid, "speed"},
			{`{"model":"tts-1","input":"Hi","voice":"x","speed":0.2}`, app.EInvalid, "speed"},
			{`{"model":"tts-1","input":"Hi","voice":"x","stream_format":"json"}`, app.EInvalid, "stream_format"},
			{`{"model":"tts-1","input":7,"voice":"x"}`, app.EInvalid, "input"},
			{`[]`, app.EInvalid, ""},
			{`{"model":"tts-1"`, app.EInvalid, ""},
			{``, app.EInvalid, ""},
		}
		for _, tt := range tests {
			_, err := ParseSpeech([]byte(tt.body), 100)
			if app.ErrorCode(err) != tt.code || compat.FieldOf(err) != tt.field {
				t.Errorf("%.60s: error %v (field %q), want %s on %q", tt.body, err, compat.FieldOf(err), tt.code, tt.field)
			}
		}
	})
}

func TestWriteError(t *testing.T) {
	tooLong := compat.WithReason(compat.ReasonTextTooLong, compat.Fieldf("input", app.ETooLarge, "too long; at most 5,000"))
	tests := []struct {
		err               error
		status            int
		typ, code, param  string
		msgHas, retryWant string
	}{
		{tooLong, 413, "invalid_request_error", "string_above_max_length", "input", "5,000", ""},
		{compat.WithReason(compat.ReasonVoiceNotFound, compat.Fieldf("voice", app.ENotFound, "No voice")), 404, "invalid_request_error", "voice_not_found", "voice", "No voice", ""},
		{app.Errorf(app.EUnauthorized, "bad key"), 401, "invalid_request_error", "invalid_api_key", "", "bad key", ""},
		{&app.Error{Code: app.ERateLimited, Message: "slow down", RetryAfter: 2500 * time.Millisecond}, 429, "requests", "rate_limit_exceeded", "", "slow down", "3"},
		{errors.New("disk on fire"), 500, "server_error", "", "", "server had an error", ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		WriteError(rec, httptest.NewRequest("POST", "/v1/audio/speech", nil), slog.New(slog.DiscardHandler), tt.err)
		body := rec.Body.String()
		if rec.Code != tt.status || !strings.Contains(body, `"type":"`+tt.typ+`"`) || !strings.Contains(body, tt.msgHas) ||
			rec.Header().Get("Retry-After") != tt.retryWant {
			t.Errorf("%v: %d %s (Retry-After %q)", tt.err, rec.Code, body, rec.Header().Get("Retry-After"))
		}
		for key, want := range map[string]string{"code": tt.code, "param": tt.param} {
			wantJSON := `"` + key + `":null`
			if want != "" {
				wantJSON = `"` + key + `":"` + want + `"`
			}
			if !strings.Contains(body, wantJSON) {
				t.Errorf("%v: body %s lacks %s", tt.err, body, wantJSON)
			}
		}
		if strings.Contains(body, "disk on fire") {
			t.Errorf("internal detail leaked: %s", body)
		}
	}
}

func TestCredentials(t *testing.T) {
	for hd, ok := range map[string]bool{"Bearer vxk_1": true, "bearer abc.def": true, "": false, "Bearer ": false, "Basic x": false, "vxk_1": false} {
		r := httptest.NewRequest("GET", "/v1/models", nil)
		r.Header.Set("Authorization", hd)
		tok, err := Credentials(r)
		if (err == nil) != ok || (ok && tok == "") || (!ok && app.ErrorCode(err) != app.EUnauthorized) {
			t.Errorf("Authorization %q: %q, %v", hd, tok, err)
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/v1/x/"+strings.Repeat("y", 500), nil)
	if err := UnknownRoute(r); app.ErrorCode(err) != app.ENotFound || len(app.ErrorMessage(err)) > 400 {
		t.Errorf("UnknownRoute = %v", err)
	}
}
