package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat/compattest"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/web"
)

// TestOpenAPIMatchesRoutes fails when a route is missing from its API
// family's OpenAPI document or a document lists a route that does not
// exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	for _, api := range families {
		t.Run(api.Name, func(t *testing.T) {
			documented := documentedOps(t, api)
			served := map[string]bool{}
			for _, rt := range (&handler{}).routes() {
				if rt.API != api {
					continue
				}
				served[rt.Pattern] = true
				if !documented[rt.Pattern] {
					t.Errorf("route %q is not in the %s OpenAPI document", rt.Pattern, api.Name)
				}
			}
			for op := range documented {
				if !served[op] {
					t.Errorf("the %s OpenAPI document lists %q, which no route serves", api.Name, op)
				}
			}
			if len(served) < 3 {
				t.Errorf("%s serves only %d routes", api.Name, len(served))
			}
		})
	}
}

// documentedOps returns the operations of a family's OpenAPI document as
// route patterns ("GET /v1/models").
func documentedOps(t *testing.T, api *family) map[string]bool {
	t.Helper()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Servers []struct{ URL string }                `json:"servers"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.Doc, &doc); err != nil {
		t.Fatalf("%s openapi.json: %v", api.Name, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if api.DocBase != "" && (len(doc.Servers) != 1 || doc.Servers[0].URL != api.DocBase) {
		t.Errorf("%s document servers = %+v, want the one URL %q its paths are relative to", api.Name, doc.Servers, api.DocBase)
	}
	ops := map[string]bool{}
	for path, items := range doc.Paths {
		for method := range items {
			if method == "parameters" {
				continue
			}
			ops[strings.ToUpper(method)+" "+api.DocBase+path] = true
		}
	}
	return ops
}

// TestRoutesBelongToTheirFamily fails when a route's path lies outside its
// API family's prefix, where unknown-route answers would take another
// family's shape.
func TestRoutesBelongToTheirFamily(t *testing.T) {
	for _, rt := range (&handler{}).routes() {
		_, path, _ := strings.Cut(rt.Pattern, " ")
		if rt.API == nil || familyOf(path) != rt.API {
			t.Errorf("route %q: family %v, but its path belongs to %v", rt.Pattern, rt.API, familyOf(path))
		}
	}
}

// placeholder matches a path wildcard such as {id}.
var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// TestPrivateRoutesNeedAuth calls every private route without credentials
// and with malformed ones: each must answer 401, in its family's error
// shape, before touching the service (which is nil here, so a call would
// panic into a 500).
func TestPrivateRoutesNeedAuth(t *testing.T) {
	h := NewHandler(Config{})
	n := 0
	for _, rt := range (&handler{}).routes() {
		if rt.Public {
			continue
		}
		n++
		for _, hd := range badCredentials[rt.API.Name] {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			path = placeholder.ReplaceAllString(path, "some-id")
			req := httptest.NewRequest(method, path, strings.NewReader("{}"))
			if hd[1] != "" {
				req.Header.Set(hd[0], hd[1])
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with %s %q: status %d, want 401", rt.Pattern, hd[0], hd[1], rec.Code)
			}
			assertFamilyError(t, rec, rt.API, "unauthorized")
		}
	}
	if n < 30 {
		t.Errorf("only %d private routes; the list looks truncated", n)
	}
}

// badCredentials are headers that must not authenticate, per family.
var badCredentials = map[string][][2]string{
	"voxclone":   {{"Authorization", ""}, {"Authorization", "Bearer"}, {"Authorization", "Basic dXNlcjpwYXNz"}, {"Authorization", "Bearer  "}},
	"openai":     {{"Authorization", ""}, {"Authorization", "Bearer"}, {"Authorization", "Basic dXNlcjpwYXNz"}, {"xi-api-key", "vxk_0123"}},
	"elevenlabs": {{"xi-api-key", ""}, {"xi-api-key", "  "}, {"xi-api-key", "eyJhbGciOiJIUzI1NiJ9.e30.x"}, {"Authorization", "Bearer vxk_0123"}},
}

func TestUnknownRoutes(t *testing.T) {
	h := NewHandler(Config{Web: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("web app"))
	})})
	tests := []struct {
		method, path string
		status       int
		api          *family
		code         string
	}{
		{"GET", "/api/nope", 404, nativeAPI, "not_found"},
		{"GET", "/api", 404, nativeAPI, "not_found"},
		{"POST", "/api/voice/models/x/y", 404, nativeAPI, "not_found"},
		{"GET", "/api/voice/clone", 405, nativeAPI, "method_not_allowed"},
		{"PUT", "/api/voice/models/abc", 405, nativeAPI, "method_not_allowed"},
		{"POST", "/openapi.json", 405, nativeAPI, "method_not_allowed"},
		{"GET", "/v1", 404, openaiAPI, "not_found"},
		{"POST", "/v1/chat/completions", 404, openaiAPI, "not_found"},
		{"GET", "/v1/audio/speech", 405, openaiAPI, "method_not_allowed"},
		{"GET", "/elevenlabs", 404, elevenlabsAPI, "not_found"},
		{"GET", "/elevenlabs/v1/dubbing", 404, elevenlabsAPI, "not_found"},
		{"GET", "/elevenlabs/v1/text-to-speech/abc", 405, elevenlabsAPI, "method_not_allowed"},
		{"PATCH", "/elevenlabs/v1/voices/abc", 405, elevenlabsAPI, "method_not_allowed"},
		{"GET", "/", 200, nil, ""},
		{"GET", "/models/123", 200, nil, ""},
		{"GET", "/v10/models", 200, nil, ""},
		{"GET", "/elevenlabsx", 200, nil, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, rec.Code, tt.status)
			continue
		}
		if tt.api != nil {
			assertFamilyError(t, rec, tt.api, tt.code)
		}
		if tt.status == 405 && rec.Header().Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow header", tt.method, tt.path)
		}
	}
}

// Security headers, pinned to their exact values: a test that only saw
// them present passed with X-Frame-Options: ALLOWALL, a CSP of
// default-src * and nosniff turned to sniff.
var (
	// everyHeader is on every response, API and web app.
	everyHeader = map[string]string{
		"X-Content-Type-Options":       "nosniff",
		"X-Frame-Options":              "DENY",
		"Referrer-Policy":              "no-referrer",
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Permissions-Policy":           "camera=(), geolocation=(), microphone=(self)",
	}
	apiHeader = map[string]string{
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
		"Cache-Control":           "no-store",
	}
	webHeader = map[string]string{
		"Content-Security-Policy": "default-src 'self'; media-src 'self' blob: data:; img-src 'self' data: blob:; " +
			"style-src 'self'; script-src 'self'; connect-src 'self'; " +
			"frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
		"Cache-Control": "no-cache",
	}
)

// TestSecurityHeaders checks the exact security headers of API answers
// (success, errors from handlers and from the router, a panic) and of the
// web app, composed as voxclone serve composes them.
func TestSecurityHeaders(t *testing.T) {
	h := NewHandler(Config{Web: web.Handler(), Logger: slog.New(slog.DiscardHandler)})
	tests := []struct {
		method, path string
		status       int
		want         map[string]string
	}{
		// The public document may be cached, but revalidated.
		{"GET", "/openapi.json", 200, map[string]string{"Content-Security-Policy": apiHeader["Content-Security-Policy"], "Cache-Control": "no-cache"}},
		{"GET", "/api/voice/models", 401, apiHeader},
		{"GET", "/api/voice/health", 500, apiHeader}, // no service: the handler panics
		{"GET", "/api/nope", 404, apiHeader},
		{"DELETE", "/api/voice/clone", 405, apiHeader},
		{"GET", "/v1/openapi.json", 200, map[string]string{"Content-Security-Policy": apiHeader["Content-Security-Policy"], "Cache-Control": "no-cache"}},
		{"GET", "/v1/models", 401, apiHeader},
		{"GET", "/v1/nope", 404, apiHeader},
		{"GET", "/elevenlabs/v1/models", 401, apiHeader},
		{"PUT", "/elevenlabs/v1/user", 405, apiHeader},
		{"GET", "/", 200, webHeader},
		{"GET", "/voices", 200, webHeader},
		{"GET", "/js/api.js", 200, webHeader},
		{"GET", "/nope.js", 404, map[string]string{"Content-Security-Policy": webHeader["Content-Security-Policy"]}},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, rec.Code, tt.status)
		}
		for _, want := range []map[string]string{everyHeader, tt.want} {
			for k, v := range want {
				if got := rec.Header().Values(k); len(got) != 1 || got[0] != v {
					t.Errorf("%s %s: %s = %q, want exactly %q", tt.method, tt.path, k, got, v)
				}
			}
		}
		if got := rec.Header().Values("Strict-Transport-Security"); got != nil {
			t.Errorf("%s %s over plain HTTP: Strict-Transport-Security %q", tt.method, tt.path, got)
		}
	}
	// Over TLS, browsers are told to keep to HTTPS for two years.
	req := httptest.NewRequest("GET", "https://example.com/api/voice/models", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if got := rec.Header().Values("Strict-Transport-Security"); len(got) != 1 || got[0] != "max-age=63072000" {
		t.Errorf("over TLS: Strict-Transport-Security = %q, want max-age=63072000", got)
	}
}

// familyCodes are each family's spellings of voxclone's error codes: what
// the code, type or status field of its error shape holds.
var familyCodes = map[string]map[string][]string{
	"openai": {"unauthorized": {"invalid_api_key"}, "not_found": {""}, "method_not_allowed": {""}},
	"elevenlabs": {"unauthorized": {"needs_authorization", "invalid_api_key"}, "not_found": {"not_found"},
		"method_not_allowed": {"method_not_allowed"}},
}

// assertFamilyError checks rec holds api's JSON error shape, with the
// family's spelling of code and a message.
func assertFamilyError(t *testing.T, rec *httptest.ResponseRecorder, api *family, code string) {
	t.Helper()
	if api == nativeAPI {
		assertErrorCode(t, rec, code)
		return
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type = %q, want JSON", ct)
	}
	var body struct {
		Error *struct {
			Message, Type string
			Code, Param   *string
		} `json:"error"`
		Detail *struct{ Status, Message string } `json:"detail"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	var got, msg string
	switch api {
	case openaiAPI:
		if body.Error == nil || body.Error.Type == "" {
			t.Fatalf("body %s is not OpenAI's error shape", rec.Body.String())
		}
		msg = body.Error.Message
		if body.Error.Code != nil {
			got = *body.Error.Code
		}
	case elevenlabsAPI:
		if body.Detail == nil {
			t.Fatalf("body %s is not ElevenLabs' error shape", rec.Body.String())
		}
		got, msg = body.Detail.Status, body.Detail.Message
	}
	if !slices.Contains(familyCodes[api.Name][code], got) || msg == "" {
		t.Errorf("%s error %s: code %q, want one of %q with a message", api.Name, rec.Body.String(), got, familyCodes[api.Name][code])
	}
}

// assertErrorCode checks rec holds the JSON error shape with code.
func assertErrorCode(t *testing.T, rec *httptest.ResponseRecorder, code string) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type = %q, want JSON", ct)
	}
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("error body %q: %v", rec.Body.String(), err)
	}
	if body.Error.Code != code || body.Error.Message == "" {
		t.Errorf("error = %+v, want code %q and a message", body.Error, code)
	}
}

// TestOpenAPISchemasMatchTypes fails when a JSON field of a response type
// is missing from its OpenAPI schema or the schema lists a field the type
// does not have.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	types := map[string]any{
		"User": app.User{}, "APIKey": app.APIKey{}, "Quality": app.Quality{}, "Sample": app.Sample{},
		"Model": app.Model{}, "Synthesis": app.Synthesis{}, "HistoryPage": app.HistoryPage{},
		"Health": app.Health{}, "Readiness": readiness{}, "Component": app.ComponentHealth{}, "SynthesizeRequest": synthesizeRequest{},
		"ModelSummary": voice.Summary{}, "PitchSummary": voice.PitchSummary{}, "BaseSummary": voice.BaseSummary{},
		"PoolSummary": voice.PoolSummary{}, "PhoneSummary": voice.PhoneSummary{},
		"JobRequest": speechRequest{}, "Job": app.Job{}, "JobPage": app.JobPage{}, "JobAnswer": jobBody{},
		"Consent": consentBody{},
	}
	for name, v := range types {
		schema, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s missing", name)
			continue
		}
		fields := compattest.JSONFields(reflect.TypeOf(v))
		for f := range fields {
			if _, ok := schema.Properties[f]; !ok {
				t.Errorf("schema %s lacks field %q", name, f)
			}
		}
		for f := range schema.Properties {
			if !fields[f] {
				t.Errorf("schema %s lists %q, which %T does not have", name, f, v)
			}
		}
	}
}

// TestOpenAPIRefsResolve fails on a "$ref" that points at nothing.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	n := 0
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				n++
				var node any = doc
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, _ := node.(map[string]any)
					node = m[part]
				}
				if node == nil {
					t.Errorf("$ref %q resolves to nothing", ref)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if n < 20 {
		t.Errorf("only %d $refs found", n)
	}
}

// TestWorkerHandler: a worker process answers its health route and
// nothing else: no API route, no web app.
func TestWorkerHandler(t *testing.T) {
	h := NewWorkerHandler(Config{Web: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the worker handler served the web app")
	})})
	workers := 0
	for _, rt := range (&handler{}).routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		rec := httptest.NewRecorder()
		func() {
			defer func() { recover() }() // served routes reach the nil Service
			h.ServeHTTP(rec, httptest.NewRequest(method, strings.ReplaceAll(path, "{id}", "x"), nil))
		}()
		if rt.Worker {
			workers++
			continue
		}
		if rec.Code != http.StatusNotFound {
			t.Errorf("worker: %s answered %d, want 404", rt.Pattern, rec.Code)
		}
	}
	if workers == 0 {
		t.Error("no route is marked for workers")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("worker: GET / answered %d, want 404", rec.Code)
	}
}
