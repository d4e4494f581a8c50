package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/httpapi"
)

// isolationFixtures holds, for every private route of every API family,
// the request user B sends to it while user A (the owner) owns one of
// everything. TestCrossUserIsolation walks the route table and FAILS for a
// private route that has no entry here, naming it, and for an entry whose
// route no longer exists.
//
// To add a route, add one line keyed by its exact pattern from routes.go:
//
//   - A route that takes an id: set id to the owner's id of that kind (it
//     fills every {wildcard} of the pattern; use path for anything more
//     complex) and, when the route reads a body, body built from the
//     owner's data. Leave status zero: B must get the family's own
//     not-found answer (see apiFamilies).
//   - A route without an id (a list, a create): set status to B's success
//     status, and query/body to aim at the owner's data where the request
//     can (a cursor, an id in the body). The test checks that B's answer
//     holds none of the owner's data.
//
// After every request the test reads back everything the owner has
// (ownerReads) and every stored file, and fails if anything changed. A new
// kind of resource (a job, a consent record…) needs three things: a field
// in owner, filled by newOwner; its id and private strings in
// owner.markers; and its list and per-item reads in ownerReads. A new API
// family needs an entry in apiFamilies.
var isolationFixtures = map[string]isoFixture{
	"POST /api/auth/keys":        {body: jsonOf(map[string]any{"name": "bob key"}), status: http.StatusCreated},
	"GET /api/auth/keys":         {status: http.StatusOK},
	"DELETE /api/auth/keys/{id}": {id: func(a *owner) string { return a.keyID }},
	// B deletes B's own account (a fresh B per route): A's must not move.
	"DELETE /api/auth/me":     {body: jsonOf(map[string]any{"password": "correct horse battery"}), status: http.StatusNoContent},
	"GET /api/auth/me/export": {status: http.StatusOK},
	// B's link is to B's export (TestExportLink follows one).
	"POST /api/auth/me/export/link": {status: http.StatusCreated},
	"GET /api/auth/me/audit":        {query: func(a *owner) string { return "limit=100&cursor=" + a.auditCursor }, status: http.StatusOK},

	"POST /api/voice/upload":         {body: bobUpload, status: http.StatusCreated},
	"GET /api/voice/samples":         {status: http.StatusOK},
	"DELETE /api/voice/samples/{id}": {id: func(a *owner) string { return a.sample.ID }},

	"POST /api/voice/consent": {status: http.StatusCreated},
	// B answers the owner's challenge with the owner's voice: not B's to use.
	"POST /api/voice/consent/{id}": {id: consentID, body: func(t *testing.T, a *owner) reqBody { return formFile(speechWAV(t)) }},
	"GET /api/voice/consent/{id}":  {id: consentID},

	"POST /api/voice/clone": {body: func(t *testing.T, a *owner) reqBody {
		return jsonBody(t, map[string]any{"name": "mine", "sample_ids": []string{a.sample.ID}})
	}},
	"GET /api/voice/models":              {status: http.StatusOK},
	"GET /api/voice/models/{id}":         {id: modelID},
	"GET /api/voice/models/{id}/summary": {id: modelID},
	"PATCH /api/voice/models/{id}":       {id: modelID, body: jsonOf(map[string]any{"name": "mine", "description": "mine"})},
	"DELETE /api/voice/models/{id}":      {id: modelID},

	"POST /api/voice/synthesize": {body: func(t *testing.T, a *owner) reqBody {
		return jsonBody(t, map[string]any{"model_id": a.model.ID, "text": "Say it for me."})
	}},
	"GET /api/voice/builtin-voices": {status: http.StatusOK},
	// The owner's cursor points between their two entries: a list that
	// forgot the user would show the older one.
	"GET /api/voice/history":            {query: func(a *owner) string { return "limit=100&cursor=" + a.cursor }, status: http.StatusOK},
	"GET /api/voice/history/{id}/audio": {id: func(a *owner) string { return a.synthesisIDs[0] }},
	// B checks the owner's synthesized audio: B may learn that this
	// instance made it, never which synthesis it was.
	"POST /api/voice/detect": {body: func(t *testing.T, a *owner) reqBody { return formFile(a.audio) }, status: http.StatusOK},

	"POST /api/voice/jobs/synthesize": {body: func(t *testing.T, a *owner) reqBody {
		return jsonBody(t, map[string]any{"model_id": a.model.ID, "text": "Say it later for me."})
	}},
	"GET /api/voice/jobs":         {query: func(a *owner) string { return "limit=100" }, status: http.StatusOK},
	"GET /api/voice/jobs/{id}":    {id: jobID},
	"DELETE /api/voice/jobs/{id}": {id: jobID},

	// OpenAI's API: the owner's voice by id must not speak for B.
	"POST /v1/audio/speech": {body: func(t *testing.T, a *owner) reqBody {
		return jsonBody(t, map[string]any{"model": "tts-1", "input": "Say it for me.", "voice": a.model.ID})
	}},
	"GET /v1/audio/voices":   {status: http.StatusOK},
	"GET /v1/models":         {status: http.StatusOK},
	"GET /v1/models/{model}": {id: modelID},

	// ElevenLabs' API.
	"POST /elevenlabs/v1/voices/add":                                {body: bobVoice, status: http.StatusOK},
	"GET /elevenlabs/v1/voices":                                     {status: http.StatusOK},
	"GET /elevenlabs/v2/voices":                                     {query: func(a *owner) string { return "voice_ids=" + a.model.ID }, status: http.StatusOK},
	"GET /elevenlabs/v1/voices/{voice_id}":                          {id: modelID},
	"DELETE /elevenlabs/v1/voices/{voice_id}":                       {id: modelID},
	"POST /elevenlabs/v1/text-to-speech/{voice_id}":                 {id: modelID, body: jsonOf(map[string]any{"text": "Say it for me."})},
	"POST /elevenlabs/v1/text-to-speech/{voice_id}/stream":          {id: modelID, body: jsonOf(map[string]any{"text": "Say it for me."})},
	"POST /elevenlabs/v1/text-to-speech/{voice_id}/with-timestamps": {id: modelID, body: jsonOf(map[string]any{"text": "Say it for me."})},
	"POST /elevenlabs/v1/text-to-speech/{voice_id}/stream/with-timestamps": {id: modelID,
		body: jsonOf(map[string]any{"text": "Say it for me."})},
	"GET /elevenlabs/v1/history":                         {query: func(a *owner) string { return "voice_id=" + a.model.ID + "&page_size=1000" }, status: http.StatusOK},
	"GET /elevenlabs/v1/history/{history_item_id}/audio": {id: func(a *owner) string { return a.synthesisIDs[0] }},
	"GET /elevenlabs/v1/models":                          {status: http.StatusOK},
	"GET /elevenlabs/v1/user":                            {status: http.StatusOK},
}

// isoFixture is B's request to one route; see isolationFixtures.
type isoFixture struct {
	// id is the owner's id put in every {wildcard} of the pattern.
	id func(a *owner) string
	// path replaces the pattern's path entirely (several different ids).
	path func(a *owner) string
	// query is the URL query, without "?".
	query func(a *owner) string
	// body is B's request body; nil sends none.
	body func(t *testing.T, a *owner) reqBody
	// status is B's success status on a route that acts on B's own data;
	// zero expects the family's not-found answer.
	status int
}

// apiFamily is one API of voxclone: the routes under prefix, how their
// clients send credentials, and the answer the API gives for a thing that
// does not exist or belongs to someone else.
type apiFamily struct {
	name     string
	prefix   string
	auth     func(req *http.Request, u *account)
	notFound func(t *testing.T, resp *http.Response, body []byte)
}

var apiFamilies = []apiFamily{
	{name: "native", prefix: "/api/", auth: bearerToken, notFound: nativeNotFound},
	{name: "openai", prefix: "/v1/", auth: bearerKey, notFound: openaiNotFound},
	{name: "elevenlabs", prefix: "/elevenlabs/", auth: xiAPIKey, notFound: elevenlabsNotFound},
}

func bearerToken(req *http.Request, u *account) { req.Header.Set("Authorization", "Bearer "+u.token) }

// bearerKey and xiAPIKey send the API key as OpenAI's and ElevenLabs'
// SDKs do.
func bearerKey(req *http.Request, u *account) { req.Header.Set("Authorization", "Bearer "+u.apiKey) }
func xiAPIKey(req *http.Request, u *account)  { req.Header.Set("xi-api-key", u.apiKey) }

// openaiNotFound checks OpenAI's answer: 404 with exactly
// {"error":{"message","type":"invalid_request_error","param","code"}}.
func openaiNotFound(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	var got struct {
		Error struct {
			Message string  `json:"message"`
			Type    string  `json:"type"`
			Param   *string `json:"param"`
			Code    *string `json:"code"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(&got)
	if resp.StatusCode != http.StatusNotFound || err != nil || got.Error.Type != "invalid_request_error" || got.Error.Message == "" {
		t.Errorf("status %d, body %.300q (%v); want 404 in OpenAI's error shape", resp.StatusCode, body, err)
	}
}

// elevenlabsNotFound checks ElevenLabs' answer: 404 with exactly
// {"detail":{"status":"…_not_found","message"}}.
func elevenlabsNotFound(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	var got struct {
		Detail struct {
			Status  string `json:"status"`
			Message string `json:"message"`
		} `json:"detail"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(&got)
	if resp.StatusCode != http.StatusNotFound || err != nil || !strings.HasSuffix(got.Detail.Status, "not_found") || got.Detail.Message == "" {
		t.Errorf("status %d, body %.300q (%v); want 404 in ElevenLabs' error shape", resp.StatusCode, body, err)
	}
}

// nativeNotFound checks the native API's answer: 404 with exactly
// {"error":{"code":"not_found","message":…}}.
func nativeNotFound(t *testing.T, resp *http.Response, body []byte) {
	t.Helper()
	var got struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(&got)
	if resp.StatusCode != http.StatusNotFound || err != nil || got.Error.Code != "not_found" || got.Error.Message == "" ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("status %d, Content-Type %q, body %.300q (%v); want 404 with the not_found error",
			resp.StatusCode, resp.Header.Get("Content-Type"), body, err)
	}
}

// account is a registered user with a login token and an API key.
type account struct {
	id, email, token, apiKey string
}

// owner is user A with one of every kind of resource.
type owner struct {
	account
	keyID        string
	sample       app.Sample
	model        app.Model
	synthesisIDs []string // newest first
	audio        []byte   // the audio of the newest synthesis
	cursor       string   // the history cursor after the newest entry
	job          app.Job  // done; its history entry is the oldest
	auditCursor  string   // the audit log cursor after the newest event
	consentID    string   // an open consent challenge
}

func modelID(a *owner) string   { return a.model.ID }
func jobID(a *owner) string     { return a.job.ID }
func consentID(a *owner) string { return a.consentID }

// markers are strings only the owner's data contains: B's answers must
// hold none of them (except what B itself sent).
func (a *owner) markers() []string {
	return append([]string{a.id, a.email, a.keyID, a.sample.ID, a.sample.Name, a.sample.Transcript,
		a.model.ID, a.model.Name, a.model.Description, ownerKeyName, ownerText, a.job.ID, a.consentID}, a.synthesisIDs...)
}

// Private strings of the owner's data; distinctive, so that finding one in
// B's answer cannot be chance.
const (
	ownerKeyName = "alice-key-q7x"
	ownerText    = "Alice speaks about zebras quietly."
)

// ownerReads are the reads that show everything the owner has: each list,
// and for every item of it the per-item reads ({id} is the item's id).
var ownerReads = []struct {
	list string
	each []string
}{
	{list: "/api/auth/keys"},
	{list: "/api/voice/samples"},
	{list: "/api/voice/models", each: []string{"/api/voice/models/{id}", "/api/voice/models/{id}/summary"}},
	{list: "/api/voice/history?limit=100", each: []string{"/api/voice/history/{id}/audio"}},
	{list: "/api/voice/jobs?limit=100", each: []string{"/api/voice/jobs/{id}"}},
	{list: "/api/auth/me/audit?limit=100"},
}

// TestCrossUserIsolation sends, for every private route of every API
// family in the route table, user B's request aimed at user A's data, and
// proves B gets the family's not-found (or, on a route without an id, none
// of A's data) and that nothing of A's changed.
func TestCrossUserIsolation(t *testing.T) {
	routes := privateRoutes(t)
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{register: app.Rate{Count: 1000, Window: time.Hour}})
		a := newOwner(t, e)
		before := readOwner(t, e, a)
		for _, r := range ownerReads {
			if !strings.Contains(before[r.list], `"id":`) {
				t.Fatalf("the owner has nothing at %s; the test needs one of everything: %s", r.list, before[r.list])
			}
		}
		files := fileHashes(t, e.blobs)
		for i, rt := range routes {
			t.Run(rt.pattern, func(t *testing.T) {
				b := newAccount(t, e, fmt.Sprintf("bob%d@example.com", i))
				resp, body, sent := sendAs(t, e, rt, a, b)
				if rt.fixture.status == 0 {
					rt.family.notFound(t, resp, body)
				} else if resp.StatusCode != rt.fixture.status {
					t.Errorf("status %d, want %d; body %.300q", resp.StatusCode, rt.fixture.status, body)
				}
				for _, m := range a.markers() {
					if m != "" && !strings.Contains(sent, m) && bytes.Contains(body, []byte(m)) {
						t.Errorf("B's answer holds A's %q: %.300q", m, body)
					}
				}
				after, afterFiles := readOwner(t, e, a), fileHashes(t, e.blobs)
				assertSameOwner(t, before, after)
				assertFilesKept(t, files, afterFiles)
				// Blame only this route: the next starts from what is left.
				before, files = after, afterFiles
			})
		}
	})
}

// isoRoute is a private route with its family and fixture.
type isoRoute struct {
	pattern string
	family  apiFamily
	fixture isoFixture
}

// privateRoutes pairs every private route with its family and fixture,
// failing for routes without either and for fixtures of no route.
func privateRoutes(t *testing.T) []isoRoute {
	t.Helper()
	var out []isoRoute
	private := map[string]bool{}
	for _, rt := range httpapi.Routes() {
		if rt.Public {
			continue
		}
		private[rt.Pattern] = true
		fx, ok := isolationFixtures[rt.Pattern]
		if !ok {
			t.Errorf("private route %q has no fixture in isolationFixtures: add one (see the comment there)", rt.Pattern)
			continue
		}
		_, path, _ := strings.Cut(rt.Pattern, " ")
		i := slices.IndexFunc(apiFamilies, func(f apiFamily) bool { return strings.HasPrefix(path, f.prefix) })
		if i < 0 {
			t.Errorf("private route %q belongs to no API family: add its family to apiFamilies", rt.Pattern)
			continue
		}
		out = append(out, isoRoute{pattern: rt.Pattern, family: apiFamilies[i], fixture: fx})
	}
	for p := range isolationFixtures {
		if !private[p] {
			t.Errorf("isolationFixtures has %q, which is not a private route", p)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	if len(out) < 15 {
		t.Fatalf("only %d private routes; the table looks truncated", len(out))
	}
	return out
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// sendAs sends B's request for rt and returns the answer and everything B
// sent (path, query and body), which B's answer may echo.
func sendAs(t *testing.T, e *env, rt isoRoute, a *owner, b *account) (*http.Response, []byte, string) {
	t.Helper()
	method, path, _ := strings.Cut(rt.pattern, " ")
	fx := rt.fixture
	switch {
	case fx.path != nil:
		path = fx.path(a)
	case fx.id != nil:
		path = wildcard.ReplaceAllLiteralString(path, fx.id(a))
	case wildcard.MatchString(path):
		t.Fatalf("fixture of %q sets neither id nor path", rt.pattern)
	}
	if fx.query != nil {
		path += "?" + fx.query(a)
	}
	var body reqBody
	if fx.body != nil {
		body = fx.body(t, a)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, e.url+path, bytes.NewReader(body.data))
	if err != nil {
		t.Fatal(err)
	}
	if body.contentType != "" {
		req.Header.Set("Content-Type", body.contentType)
	}
	rt.family.auth(req, b)
	assertRoutesTo(t, req, rt.pattern)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, got, path + string(body.data)
}

// assertRoutesTo fails unless req reaches pattern, so that a fixture
// cannot test a neighbouring route by mistake.
func assertRoutesTo(t *testing.T, req *http.Request, pattern string) {
	t.Helper()
	mux := http.NewServeMux()
	for _, rt := range httpapi.Routes() {
		mux.Handle(rt.Pattern, http.NotFoundHandler())
	}
	if _, got := mux.Handler(req); got != pattern {
		t.Fatalf("fixture request %s %s reaches %q, not %q", req.Method, req.URL.RequestURI(), got, pattern)
	}
}

// reqBody is a request body and its Content-Type.
type reqBody struct {
	contentType string
	data        []byte
}

func jsonBody(t *testing.T, v any) reqBody {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return reqBody{"application/json", data}
}

// jsonOf is a fixture body that does not depend on the owner.
func jsonOf(v any) func(*testing.T, *owner) reqBody {
	return func(t *testing.T, _ *owner) reqBody { return jsonBody(t, v) }
}

// bobUpload is a real recording sent as B's own sample.
func bobUpload(t *testing.T, _ *owner) reqBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("audio", "bob.wav")
	fw.Write(speechWAV(t))
	mw.Close()
	return reqBody{mw.FormDataContentType(), buf.Bytes()}
}

// formFile is a form with data as its "audio" part.
func formFile(data []byte) reqBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("audio", "clip.wav")
	fw.Write(data)
	mw.Close()
	return reqBody{mw.FormDataContentType(), buf.Bytes()}
}

// bobVoice is voices/add with a real recording, cloning B's own voice.
func bobVoice(t *testing.T, _ *owner) reqBody {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("name", "bob voice")
	fw, _ := mw.CreateFormFile("files", "bob.wav")
	fw.Write(speechWAV(t))
	mw.Close()
	return reqBody{mw.FormDataContentType(), buf.Bytes()}
}

// newAccount registers a user and gives it an API key.
func newAccount(t *testing.T, e *env, email string) *account {
	t.Helper()
	var reg struct {
		User  app.User `json:"user"`
		Token string   `json:"token"`
	}
	e.expect(e.do("POST", "/api/auth/register", "", map[string]string{"email": email, "password": "correct horse battery"}), 201, &reg)
	var key struct {
		Secret string `json:"secret"`
	}
	e.expect(e.do("POST", "/api/auth/keys", reg.Token, map[string]string{"name": "key"}), 201, &key)
	return &account{id: reg.User.ID, email: email, token: reg.Token, apiKey: key.Secret}
}

// newOwner makes user A: an API key, a sample with a transcript, a ready
// model with a description, and two history entries.
func newOwner(t *testing.T, e *env) *owner {
	t.Helper()
	return newOwnerAs(t, e, "alice-owner@example.com")
}

// newOwnerAs is newOwner with another email.
func newOwnerAs(t *testing.T, e *env, email string) *owner {
	t.Helper()
	a := &owner{account: *newAccount(t, e, email)}
	var key struct {
		Key app.APIKey `json:"key"`
	}
	e.expect(e.do("POST", "/api/auth/keys", a.token, map[string]string{"name": ownerKeyName}), 201, &key)
	a.keyID = key.Key.ID
	e.expect(e.upload(a.token, speechWAV(t), "alice.wav", map[string]string{"name": "alice-sample-q7x", "transcript": "alice-transcript-q7x"}), 201, &a.sample)
	e.expect(e.do("POST", "/api/voice/clone", a.token, map[string]any{
		"name": "alice-voice-q7x", "description": "alice-description-q7x", "sample_ids": []string{a.sample.ID},
	}), 202, &a.model)
	a.model = e.waitModel(a.token, a.model.ID)
	var j struct{ Job app.Job }
	e.expect(e.do("POST", "/api/voice/jobs/synthesize", a.token, map[string]any{"model_id": a.model.ID, "text": ownerText}), 202, &j)
	a.job = e.waitJob(a.token, j.Job.ID)
	a.synthesisIDs = []string{a.job.HistoryID}
	e.clock.Advance(time.Second)
	for range 2 {
		var id string
		a.audio, id = synthesize(t, e, a.token, a.model.ID, "wav", ownerText)
		a.synthesisIDs = append([]string{id}, a.synthesisIDs...)
		e.clock.Advance(time.Second)
	}
	var page app.HistoryPage
	e.expect(e.do("GET", "/api/voice/history?limit=1", a.token, nil), 200, &page)
	a.cursor = page.NextCursor
	var audit app.AuditPage
	var challenge struct {
		ID string `json:"id"`
	}
	e.expect(e.do("POST", "/api/voice/consent", a.token, nil), 201, &challenge)
	a.consentID = challenge.ID
	e.clock.Advance(time.Second)
	e.expect(e.do("GET", "/api/auth/me/audit?limit=1", a.token, nil), 200, &audit)
	a.auditCursor = audit.NextCursor
	// Use the API key once now: its last_used_at is then fixed (the clock
	// stands still) and readOwner's own use of it changes nothing.
	e.expect(e.do("GET", "/api/auth/keys", a.apiKey, nil), 200, nil)
	if a.model.Status != app.ModelReady || a.cursor == "" || a.auditCursor == "" || a.job.Status != app.JobDone {
		t.Fatalf("owner's model %+v, cursor %q, job %+v", a.model, a.cursor, a.job)
	}
	return a
}

// readOwner reads everything the owner has, with the owner's token and API
// key: each read's path maps to its answer (status and body).
func readOwner(t *testing.T, e *env, a *owner) map[string]string {
	t.Helper()
	out := map[string]string{}
	get := func(path, cred string) []byte {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", e.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+cred)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		label := path
		if cred == a.apiKey {
			label += " (with the API key)"
		}
		out[label] = resp.Status + "\n" + string(body)
		return body
	}
	for _, r := range ownerReads {
		var list struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if err := json.Unmarshal(get(r.list, a.token), &list); err != nil {
			t.Fatalf("owner's %s: %v", r.list, err)
		}
		for _, it := range list.Items {
			for _, p := range r.each {
				get(strings.ReplaceAll(p, "{id}", it.ID), a.token)
			}
		}
	}
	if a.consentID != "" {
		get("/api/voice/consent/"+a.consentID, a.token)
	}
	// The owner's credentials still work.
	get("/api/voice/models/"+a.model.ID, a.apiKey)
	return out
}

// assertSameOwner compares two readOwner results.
func assertSameOwner(t *testing.T, before, after map[string]string) {
	t.Helper()
	for path, want := range before {
		got, ok := after[path]
		switch {
		case !ok:
			t.Errorf("A's %s is gone", path)
		case got != want:
			t.Errorf("A's %s changed:\nbefore %.400q\nafter  %.400q", path, want, got)
		}
	}
	for path := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("A has a new %s", path)
		}
	}
}

// fileHashes hashes every file below dir, by relative path.
func fileHashes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[strings.TrimPrefix(path, dir)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertFilesKept fails when a file that existed before is gone or changed;
// B's own new files are fine.
func assertFilesKept(t *testing.T, before, after map[string]string) {
	t.Helper()
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("stored file %s was removed or changed", name)
		}
	}
}
