package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// badIDs are ids no store can hold: PostgreSQL refuses NUL and invalid
// UTF-8 in text where SQLite takes them, so unchecked they gave a 500 on
// one store and a 404 on the other. In a path they are percent-escaped.
var badIDs = []string{"ab%00cd", "ab%FFcd", "%C0%80", "%ED%A0%80"}

// hostileCase is one malformed request and the answer it must get.
type hostileCase struct {
	name   string
	req    func(t *testing.T, e *env, a *owner) *http.Request
	status int
	code   string
}

// hostileCases are bad values in bodies, forms, queries and headers of the
// native API. Bad ids in paths are sent to every route of the table with
// an id (see TestHostileInput).
func hostileCases() []hostileCase {
	js := func(method, path string, body func(a *owner) string) func(*testing.T, *env, *owner) *http.Request {
		return func(t *testing.T, e *env, a *owner) *http.Request {
			if body == nil {
				return authed(t, e, a, method, path, "", nil)
			}
			return authed(t, e, a, method, path, "application/json", []byte(body(a)))
		}
	}
	fixed := func(s string) func(*owner) string { return func(*owner) string { return s } }
	const pw = `"password":"correct horse battery"`
	return []hostileCase{
		{"LoginEmailNUL", js("POST", "/api/auth/login", fixed(`{"email":"a\u0000@x.io",`+pw+`}`)), 400, "invalid"},
		{"LoginEmailNotUTF8", js("POST", "/api/auth/login", fixed("{\"email\":\"a\xff@x.io\","+pw+"}")), 400, "invalid"},
		{"RegisterEmailNUL", js("POST", "/api/auth/register", fixed(`{"email":"a\u0000@x.io",`+pw+`}`)), 400, "invalid"},
		{"RegisterEmailNotUTF8", js("POST", "/api/auth/register", fixed("{\"email\":\"a\xff@x.io\","+pw+"}")), 400, "invalid"},
		{"KeyNameNUL", js("POST", "/api/auth/keys", fixed(`{"name":"k\u0000"}`)), 400, "invalid"},
		{"SynthesizeTextNUL", js("POST", "/api/voice/synthesize", func(a *owner) string {
			return `{"model_id":"` + a.model.ID + `","text":"hi\u0000there"}`
		}), 400, "invalid"},
		{"SynthesizeTextNotUTF8", js("POST", "/api/voice/synthesize", func(a *owner) string {
			return `{"model_id":"` + a.model.ID + "\",\"text\":\"hi\xffthere\"}"
		}), 400, "invalid"},
		{"SynthesizeModelNUL", js("POST", "/api/voice/synthesize", fixed(`{"model_id":"ab\u0000cd","text":"hi"}`)), 404, "not_found"},
		{"CloneSampleNUL", js("POST", "/api/voice/clone", fixed(`{"name":"x","sample_ids":["ab\u0000cd"]}`)), 404, "not_found"},
		{"CloneNameNUL", js("POST", "/api/voice/clone", func(a *owner) string {
			return `{"name":"x\u0000","sample_ids":["` + a.sample.ID + `"]}`
		}), 400, "invalid"},
		{"PatchDescriptionNUL", js("PATCH", "/api/voice/models/{model}", fixed(`{"description":"d\u0000"}`)), 400, "invalid"},
		{"UploadNameNUL", upload(map[string]string{"name": "n\x00"}), 400, "invalid"},
		{"UploadTranscriptNUL", upload(map[string]string{"transcript": "t\x00"}), 400, "invalid"},
		{"UploadNameNotUTF8", upload(map[string]string{"name": "n\xff"}), 400, "invalid"},
		{"JobTextNUL", js("POST", "/api/voice/jobs/synthesize", func(a *owner) string {
			return `{"model_id":"` + a.model.ID + `","text":"hi\u0000there"}`
		}), 400, "invalid"},
		{"JobModelNUL", js("POST", "/api/voice/jobs/synthesize", fixed(`{"model_id":"ab\u0000cd","text":"hi"}`)), 404, "not_found"},
		{"JobAnswerOption", js("POST", "/api/voice/jobs/synthesize", func(a *owner) string {
			return `{"model_id":"` + a.model.ID + `","text":"hi","timestamps":true}`
		}), 400, "invalid"},
		{"JobsCursorNUL", js("GET", "/api/voice/jobs?cursor=%00", nil), 400, "invalid"},
		{"HistoryCursorNUL", js("GET", "/api/voice/history?cursor=%00", nil), 400, "invalid"},
		{"HistoryLimitNUL", js("GET", "/api/voice/history?limit=%00", nil), 400, "invalid"},
		{"AuditCursorNUL", js("GET", "/api/auth/me/audit?cursor=%00", nil), 400, "invalid"},
		{"AuditCursorForged", js("GET", "/api/auth/me/audit?cursor=MTIzLmFi", nil), 400, "invalid"},
		{"AuditLimitNegative", js("GET", "/api/auth/me/audit?limit=-1", nil), 400, "invalid"},
		// A query Go cannot parse is dropped whole by URL.Query: the cursor
		// would be ignored and the first page served again, for ever.
		{"AuditCursorBadEscape", js("GET", "/api/auth/me/audit?cursor=%ZZ", nil), 400, "invalid"},
		{"HistoryCursorBadEscape", js("GET", "/api/voice/history?limit=1&cursor=%ZZ", nil), 400, "invalid"},
		{"JobsCursorBadEscape", js("GET", "/api/voice/jobs?cursor=ab%2", nil), 400, "invalid"},
		{"DeleteMePasswordNUL", js("DELETE", "/api/auth/me", fixed(`{"password":"correct horse\u0000battery"}`)), 403, "forbidden"},
		{"DeleteMePasswordNotUTF8", js("DELETE", "/api/auth/me", fixed("{\"password\":\"correct \xff horse\"}")), 400, "invalid"},
		{"DeleteMePasswordHuge", js("DELETE", "/api/auth/me", fixed(`{"password":"`+strings.Repeat("p", 4096)+`"}`)), 403, "forbidden"},
		{"DeleteMeNotJSON", js("DELETE", "/api/auth/me", fixed(`password=correct`)), 400, "invalid"},
		{"DeleteMePasswordNumber", js("DELETE", "/api/auth/me", fixed(`{"password":12345678}`)), 400, "invalid"},
		{"BearerNotUTF8", func(t *testing.T, e *env, a *owner) *http.Request {
			req := authed(t, e, a, "GET", "/api/voice/models", "", nil)
			req.Header.Set("Authorization", "Bearer vxk_\xff\xfe")
			return req
		}, 401, "unauthorized"},
		// Field names match exactly: unknown fields are rejected, and a
		// name in another case is unknown.
		{"FieldCase", js("POST", "/api/voice/synthesize", func(a *owner) string {
			return `{"MODEL_ID":"` + a.model.ID + `","Text":"hi"}`
		}), 400, "invalid"},
		{"FieldCaseLogin", js("POST", "/api/auth/login", fixed(`{"Email":"alice-owner@example.com",`+pw+`}`)), 400, "invalid"},
		{"FieldTwice", js("POST", "/api/voice/synthesize", func(a *owner) string {
			return `{"model_id":"` + a.model.ID + `","text":"hi","text":"there"}`
		}), 400, "invalid"},
	}
}

// authed is a request with the owner's token; "{model}" in path is the
// owner's model id.
func authed(t *testing.T, e *env, a *owner, method, p, contentType string, body []byte) *http.Request {
	t.Helper()
	p = string(bytes.ReplaceAll([]byte(p), []byte("{model}"), []byte(a.model.ID)))
	req, err := http.NewRequestWithContext(t.Context(), method, e.url+p, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	return req
}

// upload is a real recording with extra form fields.
func upload(fields map[string]string) func(*testing.T, *env, *owner) *http.Request {
	return func(t *testing.T, e *env, a *owner) *http.Request {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("audio", "a.wav")
		fw.Write(speechWAV(t))
		mw.Close()
		return authed(t, e, a, "POST", "/api/voice/upload", mw.FormDataContentType(), buf.Bytes())
	}
}

// TestHostileInput sends NUL, invalid UTF-8 and wrongly named fields
// everywhere a client can put them, on SQLite and PostgreSQL: every answer
// must be the expected 4xx, before any work (no history entry, no stored
// audio), and the two stores must answer each request identically.
func TestHostileInput(t *testing.T) {
	routes := privateRoutes(t)
	var mu sync.Mutex
	answers := map[string]map[string]string{} // store → case → status and body
	t.Run("stores", func(t *testing.T) {
		forEachBackend(t, func(t *testing.T, store app.Store) {
			e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}, rate: app.Rate{Count: 1000, Window: time.Hour}})
			a := newOwner(t, e)
			before, files := readOwner(t, e, a), fileHashes(t, e.blobs)
			got := map[string]string{}
			for _, c := range hostileCases() {
				t.Run(c.name, func(t *testing.T) {
					got[c.name] = sendHostile(t, c.req(t, e, a), c.status, c.code)
				})
			}
			for _, rt := range routes {
				if !wildcard.MatchString(rt.pattern) {
					continue
				}
				for _, id := range badIDs {
					name := rt.pattern + " " + id
					t.Run(name, func(t *testing.T) {
						bad := rt
						bad.fixture.path = nil
						bad.fixture.id = func(*owner) string { return id }
						resp, body, _ := sendAs(t, e, bad, a, &a.account)
						rt.family.notFound(t, resp, body)
						got[name] = fmt.Sprintf("%d %s", resp.StatusCode, body)
					})
				}
			}
			// Nothing ran: the owner's data, history included, and the
			// stored files are as they were.
			assertSameOwner(t, before, readOwner(t, e, a))
			assertFilesKept(t, files, fileHashes(t, e.blobs))
			if after := fileHashes(t, e.blobs); len(after) != len(files) {
				t.Errorf("%d stored files after the hostile requests, %d before", len(after), len(files))
			}
			mu.Lock()
			answers[path.Base(t.Name())] = got
			mu.Unlock()
		})
	})
	sq, pg := answers["sqlite"], answers["postgres"]
	if sq == nil || pg == nil {
		return // a store was skipped or failed; its subtest says why
	}
	for name, want := range sq {
		if pg[name] != want {
			t.Errorf("%s: SQLite answers %.200q, PostgreSQL %.200q", name, want, pg[name])
		}
	}
}

// sendHostile sends req and checks the status and error code; it returns
// the answer for comparing stores.
func sendHostile(t *testing.T, req *http.Request, status int, code string) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(body, &e); resp.StatusCode != status || err != nil || e.Error.Code != code || e.Error.Message == "" {
		t.Errorf("%s %s: status %d, body %.300q; want %d %s", req.Method, req.URL, resp.StatusCode, body, status, code)
	}
	return fmt.Sprintf("%d %s", resp.StatusCode, body)
}
