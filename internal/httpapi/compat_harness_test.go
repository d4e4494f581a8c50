package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// compatUser is a user of the compatible APIs: an account with an API key
// and, when asked for, a cloned voice.
type compatUser struct {
	e              *env
	id, token, key string
	sample         app.Sample
	model          app.Model
}

// newCompatUser registers email, makes an API key and, with voice set,
// clones a voice named "Voice" through voxclone's own API.
func (e *env) newCompatUser(email string, voice bool) *compatUser {
	e.t.Helper()
	var reg struct {
		User  app.User `json:"user"`
		Token string   `json:"token"`
	}
	e.expect(e.do("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"}), 201, &reg)
	var key struct{ Secret string }
	e.expect(e.do("POST", "/api/auth/keys", reg.Token, map[string]string{"name": "sdk"}), 201, &key)
	u := &compatUser{e: e, id: reg.User.ID, token: reg.Token, key: key.Secret}
	if voice {
		u.sample, u.model = e.sampleAndModel(reg.Token)
	}
	return u
}

// call sends a request with headers hdr. body is nil, []byte sent as is,
// or anything else sent as JSON.
func (e *env) call(method, path string, hdr map[string]string, body any) *http.Response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(data)
		if hdr["Content-Type"] == "" {
			hdr = merge(hdr, map[string]string{"Content-Type": "application/json"})
		}
	}
	req, err := http.NewRequestWithContext(e.t.Context(), method, e.url+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range []map[string]string{a, b} {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// openai calls /v1 with the user's API key as OpenAI's SDK sends it.
func (u *compatUser) openai(method, path string, body any) *http.Response {
	return u.e.call(method, path, map[string]string{"Authorization": "Bearer " + u.key}, body)
}

// eleven calls /elevenlabs with the user's API key in xi-api-key.
func (u *compatUser) eleven(method, path string, body any, hdr ...string) *http.Response {
	h := map[string]string{"xi-api-key": u.key}
	for i := 0; i+1 < len(hdr); i += 2 {
		h[hdr[i]] = hdr[i+1]
	}
	return u.e.call(method, path, h, body)
}

// expectOpenAIError checks OpenAI's error shape: status, code and param
// ("" for null), and a message containing msg.
func (e *env) expectOpenAIError(resp *http.Response, status int, code, param, msg string) {
	e.t.Helper()
	var body struct {
		Error struct {
			Message, Type string
			Code, Param   *string
		} `json:"error"`
	}
	e.expect(resp, status, &body)
	got := body.Error
	if got.Type == "" || got.Message == "" || deref(got.Code) != code || deref(got.Param) != param || !strings.Contains(got.Message, msg) {
		e.t.Errorf("%s %s: error %+v (code %q, param %q); want code %q, param %q, message with %q",
			resp.Request.Method, resp.Request.URL.Path, got, deref(got.Code), deref(got.Param), code, param, msg)
	}
}

// expectElevenError checks ElevenLabs' error shape: status, detail.status
// and a message containing msg.
func (e *env) expectElevenError(resp *http.Response, status int, name, msg string) {
	e.t.Helper()
	var body struct {
		Detail struct{ Status, Message string } `json:"detail"`
	}
	e.expect(resp, status, &body)
	if body.Detail.Status != name || !strings.Contains(body.Detail.Message, msg) || body.Detail.Message == "" {
		e.t.Errorf("%s %s: detail %+v, want status %q and a message with %q", resp.Request.Method, resp.Request.URL.Path, body.Detail, name, msg)
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// audioOf reads a 200 audio response, checks its Content-Type and decodes
// it; for raw PCM (no container) it returns the byte count in Samples'
// place and rate 0.
func (e *env) audioOf(resp *http.Response, contentType string) ([]byte, *audio.PCM) {
	e.t.Helper()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != contentType {
		e.t.Fatalf("%s %s: status %d, Content-Type %q (want %q): %.200s", resp.Request.Method, resp.Request.URL, resp.StatusCode,
			resp.Header.Get("Content-Type"), contentType, data)
	}
	if contentType == "application/octet-stream" || contentType == "audio/basic" {
		return data, nil
	}
	pcm, _, err := codec.Decode(e.t.Context(), data)
	if err != nil {
		e.t.Fatalf("%s: %d bytes of %s do not decode: %v", resp.Request.URL, len(data), contentType, err)
	}
	if pcm.Seconds() < 0.3 {
		e.t.Errorf("%s: only %.2f s of audio", resp.Request.URL, pcm.Seconds())
	}
	return data, pcm
}
