package httpapi_test

import (
	"io"
	"os"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/metrics"
)

// TestMetrics serves real requests (syntheses, one over budget, misses
// on a route with an id, a clone built by a worker) and reads /metrics:
// each series counts exactly what happened, labelled by route pattern,
// never by raw path.
func TestMetrics(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{metrics: metrics.New(metrics.Options{}), rate: app.Rate{Count: 2, Window: time.Hour}})
		token := e.register("metered@example.com")
		body := map[string]any{"voice": "slt", "text": "Counting what happens. Twice over.", "format": "wav"}
		for range 2 {
			resp := e.do("POST", "/api/voice/synthesize", token, body)
			if _, err := io.ReadAll(resp.Body); err != nil || resp.StatusCode != 200 {
				t.Fatalf("synthesize: %d, %v", resp.StatusCode, err)
			}
			resp.Body.Close()
		}
		e.expectError(e.do("POST", "/api/voice/synthesize", token, body), 429, "rate_limited")
		const missing = "0123456789abcdef0123456789abcdef"
		for range 2 {
			e.expectError(e.do("GET", "/api/voice/models/"+missing, token, nil), 404, "not_found")
		}
		_, m := e.sampleAndModel(token)
		if m.Status != app.ModelReady {
			t.Fatalf("model %+v, want ready", m)
		}
		e.expect(e.do("GET", "/livez", "", nil), 200, nil)
		e.expect(e.do("GET", "/readyz", "", nil), 200, nil)

		fams := e.scrape(t)
		for _, want := range []struct {
			name   string
			labels map[string]string
			count  uint64
		}{
			{"voxclone_http_request_duration_seconds", map[string]string{"route": "POST /api/voice/synthesize", "status": "200"}, 2},
			{"voxclone_http_request_duration_seconds", map[string]string{"route": "POST /api/voice/synthesize", "status": "429"}, 1},
			{"voxclone_http_request_duration_seconds", map[string]string{"route": "GET /api/voice/models/{id}", "status": "404"}, 2},
			{"voxclone_http_request_duration_seconds", map[string]string{"route": "POST /api/voice/clone", "status": "202"}, 1},
			{"voxclone_http_request_duration_seconds", map[string]string{"route": "GET /readyz", "status": "200"}, 1},
			{"voxclone_synthesis_first_byte_seconds", map[string]string{"kind": "stream"}, 2},
			{"voxclone_synthesis_real_time_factor", map[string]string{"kind": "stream"}, 2},
			{"voxclone_clone_duration_seconds", map[string]string{"outcome": "ready"}, 1},
			{"voxclone_queue_wait_seconds", map[string]string{"kind": "clone"}, 1},
			{"voxclone_task_duration_seconds", map[string]string{"kind": "clone", "outcome": "done"}, 1},
		} {
			h := find(fams, want.name, want.labels).GetHistogram()
			if h.GetSampleCount() != want.count || (want.count > 0 && h.GetSampleSum() <= 0) {
				t.Errorf("%s%v: count %d, sum %g; want count %d and a positive sum", want.name, want.labels, h.GetSampleCount(), h.GetSampleSum(), want.count)
			}
		}
		// RTF: flite renders far faster than real time, and nothing
		// renders 100 times slower.
		if h := find(fams, "voxclone_synthesis_real_time_factor", map[string]string{"kind": "stream"}).GetHistogram(); h.GetSampleSum()/2 > 100 {
			t.Errorf("mean real-time factor %g", h.GetSampleSum()/2)
		}
		if c := find(fams, "voxclone_rate_limited_total", map[string]string{"action": "synthesize"}).GetCounter(); c.GetValue() != 1 {
			t.Errorf("rate-limited synthesize = %v, want 1", c.GetValue())
		}
		if _, ok := fams["voxclone_blob_errors_total"]; ok {
			t.Errorf("blob errors counted with a healthy store: %v", fams["voxclone_blob_errors_total"])
		}
		if _, ok := fams["go_goroutines"]; !ok {
			t.Error("no Go runtime metrics")
		}
		for name, f := range fams {
			for _, mt := range f.GetMetric() {
				for _, l := range mt.GetLabel() {
					if strings.Contains(l.GetValue(), missing) || strings.Contains(l.GetValue(), m.ID) {
						t.Errorf("%s has a raw path in its labels: %s=%q", name, l.GetName(), l.GetValue())
					}
				}
			}
		}
		// River marks a task completed shortly after it returns.
		e.waitGauge(t, "voxclone_queue_jobs", map[string]string{"kind": "clone", "state": "completed"}, 1)
		if g := find(e.scrape(t), "voxclone_queue_jobs", map[string]string{"kind": "synthesize", "state": "running"}); g == nil || g.GetGauge().GetValue() != 0 {
			t.Errorf("synthesize tasks running = %v, want a series at 0", g)
		}
	})
}

// TestReadyz: with the database closed /readyz answers 503 naming it,
// while /livez still answers 200; with the blob directory gone, 503
// naming the storage, and the failure is counted.
func TestReadyz(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{metrics: metrics.New(metrics.Options{})})
		var rd struct{ OK, Database, Storage bool }
		e.expect(e.do("GET", "/readyz", "", nil), 200, &rd)
		if !rd.OK || !rd.Database || !rd.Storage {
			t.Errorf("ready = %+v", rd)
		}
		if err := os.RemoveAll(e.blobs); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(e.blobs, []byte("not a directory"), 0o600); err != nil {
			t.Fatal(err)
		}
		e.expect(e.do("GET", "/readyz", "", nil), 503, &rd)
		if rd.OK || !rd.Database || rd.Storage {
			t.Errorf("ready with the blob directory gone = %+v, want the storage down", rd)
		}
		if c := find(e.scrape(t), "voxclone_blob_errors_total", map[string]string{"op": "ping"}); c.GetCounter().GetValue() != 1 {
			t.Errorf("blob ping errors = %v, want 1", c)
		}
		if err := store.(io.Closer).Close(); err != nil {
			t.Fatal(err)
		}
		e.expect(e.do("GET", "/readyz", "", nil), 503, &rd)
		if rd.OK || rd.Database {
			t.Errorf("ready with the database closed = %+v, want the database down", rd)
		}
		e.expect(e.do("GET", "/livez", "", nil), 200, nil)
		// The task counts fail with the database; the rest is served.
		fams := e.scrape(t)
		if _, ok := fams["voxclone_http_request_duration_seconds"]; !ok {
			t.Error("no request metrics with the database down")
		}
	})
}

// TestMetricsNotServed: without a metrics handler (VOXCLONE_METRICS_ADDR
// moved it) /metrics answers 404 in the API's error shape.
func TestMetricsNotServed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		e.expectError(e.do("GET", "/metrics", "", nil), 404, "not_found")
		e.expect(e.do("GET", "/livez", "", nil), 200, nil)
	})
}

// scrape reads /metrics.
func (e *env) scrape(t *testing.T) map[string]*dto.MetricFamily {
	t.Helper()
	resp := e.do("GET", "/metrics", "", nil)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET /metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// waitGauge scrapes until the gauge has the value, for up to 30 s.
func (e *env) waitGauge(t *testing.T, name string, labels map[string]string, want float64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		g := find(e.scrape(t), name, labels)
		if g != nil && g.GetGauge().GetValue() == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s%v = %v after 30 s, want %g", name, labels, g, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// find returns the series of the family name whose labels include
// labels, or nil.
func find(fams map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	for _, m := range fams[name].GetMetric() {
		n := 0
		for _, l := range m.GetLabel() {
			if v, ok := labels[l.GetName()]; ok && v == l.GetValue() {
				n++
			}
		}
		if n == len(labels) {
			return m
		}
	}
	return nil
}
