package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestMetricsAddr runs the real binary: by default serve and worker
// answer /metrics, /livez and /readyz on VOXCLONE_ADDR; with
// VOXCLONE_METRICS_ADDR the metrics move there and the main address
// answers 404 for them.
func TestMetricsAddr(t *testing.T) {
	bin := buildBinary(t)
	t.Run("Default", func(t *testing.T) {
		s := startServer(t, bin, t.TempDir())
		for _, p := range []string{"/livez", "/readyz"} {
			if code, _ := get(t, s.URL+p); code != 200 {
				t.Errorf("GET %s = %d", p, code)
			}
		}
		code, body := get(t, s.URL+"/metrics")
		if code != 200 || !strings.Contains(body, `voxclone_http_request_duration_seconds_count{route="GET /livez",status="200"} 1`) ||
			!strings.Contains(body, `voxclone_queue_jobs{kind="clone",state="available"} 0`) {
			t.Errorf("GET /metrics = %d:\n%s", code, body)
		}
		s.stop()
	})
	t.Run("Worker", func(t *testing.T) {
		w := startProcess(t, bin, "worker", t.TempDir())
		if code, _ := get(t, w.URL+"/readyz"); code != 200 {
			t.Errorf("worker GET /readyz = %d", code)
		}
		if code, body := get(t, w.URL+"/metrics"); code != 200 || !strings.Contains(body, `voxclone_queue_jobs{kind="synthesize",state="running"} 0`) {
			t.Errorf("worker GET /metrics = %d:\n%s", code, body)
		}
		w.stop()
	})
	t.Run("Moved", func(t *testing.T) {
		s := startServer(t, bin, t.TempDir(), "VOXCLONE_METRICS_ADDR=127.0.0.1:0")
		murl := metricsURL(t, s)
		if code, body := get(t, s.URL+"/metrics"); code != 404 || !strings.Contains(body, `"not_found"`) {
			t.Errorf("main address GET /metrics = %d %s, want a 404", code, body)
		}
		code, body := get(t, murl)
		if code != 200 || !strings.Contains(body, `voxclone_http_request_duration_seconds_count{route="GET /metrics",status="404"} 1`) {
			t.Errorf("GET %s = %d:\n%s", murl, code, body)
		}
		if code, _ := get(t, strings.TrimSuffix(murl, "/metrics")+"/livez"); code != 404 {
			t.Errorf("the metrics address serves /livez: %d", code)
		}
		s.stop()
	})
}

// metricsURL reads the metrics address from the server's log.
func metricsURL(t *testing.T, s *server) string {
	t.Helper()
	for _, line := range strings.Split(s.logs.String(), "\n") {
		var rec struct{ Msg, URL string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "serving metrics" {
			return rec.URL
		}
	}
	t.Fatalf("no metrics address logged:\n%s", s.logs.String())
	return ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
