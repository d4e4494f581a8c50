package httpapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequestLog checks the one line per request: method, route pattern
// (not the raw path with its ids), status, duration and bytes.
func TestRequestLog(t *testing.T) {
	var buf bytes.Buffer
	h := NewHandler(Config{Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	for _, path := range []string{"/api/voice/models/0123abcd", "/api/nope", "/openapi.json"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines for 3 requests:\n%s", len(lines), buf.String())
	}
	want := []struct {
		pattern string
		status  int
	}{{"GET /api/voice/models/{id}", 401}, {"unmatched", 404}, {"GET /openapi.json", 200}}
	for i, line := range lines {
		var rec struct {
			Msg, Method, Pattern string
			Status               int
			Duration             *int64
			Bytes                int64
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Msg != "request" || rec.Method != "GET" || rec.Pattern != want[i].pattern || rec.Status != want[i].status || rec.Duration == nil || rec.Bytes <= 0 {
			t.Errorf("log line %d = %s; want pattern %q status %d", i, line, want[i].pattern, want[i].status)
		}
		if strings.Contains(line, "0123abcd") {
			t.Errorf("log line carries the raw id: %s", line)
		}
	}
}

// TestRecoverPanics turns a handler panic into a JSON 500.
func TestRecoverPanics(t *testing.T) {
	var buf bytes.Buffer
	h := &handler{log: slog.New(slog.NewTextHandler(&buf, nil))}
	rec := httptest.NewRecorder()
	h.recover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })).
		ServeHTTP(rec, httptest.NewRequest("GET", "/api/x", nil))
	if rec.Code != 500 || !strings.Contains(buf.String(), "boom") {
		t.Errorf("status %d, log %q", rec.Code, buf.String())
	}
	assertErrorCode(t, rec, "internal")
}
