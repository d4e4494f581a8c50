package httpapi

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/web"
)

// TestOpenAPIMatchesRoutes fails when a route is missing from the OpenAPI
// document or the document lists a route that does not exist.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	served := map[string]bool{}
	for _, rt := range (&handler{}).routes() {
		served[rt.Pattern] = true
		if !documented[rt.Pattern] {
			t.Errorf("route %q is not in openapi.json", rt.Pattern)
		}
	}
	for op := range documented {
		if !served[op] {
			t.Errorf("openapi.json lists %q, which no route serves", op)
		}
	}
}

// TestPrivateRoutesNeedAuth calls every private route without credentials
// and with a malformed header: each must answer 401 before touching the
// service (which is nil here, so a call would panic into a 500).
func TestPrivateRoutesNeedAuth(t *testing.T) {
	h := NewHandler(Config{})
	n := 0
	for _, rt := range (&handler{}).routes() {
		if rt.Public {
			continue
		}
		n++
		for _, authz := range []string{"", "Bearer", "Basic dXNlcjpwYXNz", "Bearer  "} {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			path = strings.ReplaceAll(path, "{id}", "some-id")
			req := httptest.NewRequest(method, path, strings.NewReader("{}"))
			if authz != "" {
				req.Header.Set("Authorization", authz)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("%s with Authorization %q: status %d, want 401", rt.Pattern, authz, rec.Code)
			}
			assertErrorCode(t, rec, "unauthorized")
		}
	}
	if n < 15 {
		t.Errorf("only %d private routes; the list looks truncated", n)
	}
}

func TestUnknownRoutes(t *testing.T) {
	h := NewHandler(Config{Web: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("web app"))
	})})
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/nope", 404, "not_found"},
		{"GET", "/api", 404, "not_found"},
		{"POST", "/api/voice/models/x/y", 404, "not_found"},
		{"GET", "/api/voice/clone", 405, "method_not_allowed"},
		{"PUT", "/api/voice/models/abc", 405, "method_not_allowed"},
		{"POST", "/openapi.json", 405, "method_not_allowed"},
		{"GET", "/", 200, ""},
		{"GET", "/models/123", 200, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, rec.Code, tt.status)
			continue
		}
		if tt.code != "" {
			assertErrorCode(t, rec, tt.code)
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
		"Health": app.Health{}, "Component": app.ComponentHealth{}, "SynthesizeRequest": synthesizeRequest{},
		"ModelSummary": voice.Summary{}, "PitchSummary": voice.PitchSummary{}, "BaseSummary": voice.BaseSummary{},
		"PoolSummary": voice.PoolSummary{}, "PhoneSummary": voice.PhoneSummary{},
	}
	for name, v := range types {
		schema, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s missing", name)
			continue
		}
		fields := jsonFields(reflect.TypeOf(v))
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

// jsonFields returns the JSON names of a struct's encoded fields.
func jsonFields(typ reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = true
	}
	return out
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
