package metrics_test

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/metrics"
)

// TestWrapBlobs runs a real blob directory through the wrapper: answers
// (a missing blob, an invalid key, the caller's own List error) are not
// counted; the store failing, once its directory is gone, is, by
// operation.
func TestWrapBlobs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	local, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	m := metrics.New(metrics.Options{})
	b := m.WrapBlobs(local)
	ctx := t.Context()
	if _, err := b.Put(ctx, "audio/0123456789abcdef0123456789abcdef.wav", strings.NewReader("RIFF")); err != nil {
		t.Fatal(err)
	}
	rc, err := b.Open(ctx, "audio/0123456789abcdef0123456789abcdef.wav")
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if _, err := b.Open(ctx, "audio/ffffffffffffffffffffffffffffffff.wav"); app.ErrorCode(err) != app.ENotFound {
		t.Fatalf("open missing: %v", err)
	}
	if _, err := b.Put(ctx, "../escape", strings.NewReader("x")); app.ErrorCode(err) != app.EInvalid {
		t.Fatalf("put bad key: %v", err)
	}
	stop := errors.New("enough")
	if err := b.List(ctx, func(app.BlobInfo) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("list = %v, want the callback's error", err)
	}
	if got := blobErrors(t, m); len(got) != 0 {
		t.Fatalf("errors counted for answers: %v", got)
	}

	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Put(ctx, "audio/00000000000000000000000000000000.wav", strings.NewReader("RIFF")); err == nil {
		t.Fatal("put into a removed directory succeeded")
	}
	if err := b.Ping(ctx); err == nil {
		t.Fatal("ping of a removed directory succeeded")
	}
	got := blobErrors(t, m)
	if got["put"] != 1 || got["ping"] != 1 || len(got) != 2 {
		t.Errorf("blob errors = %v, want put 1, ping 1", got)
	}
}

// blobErrors scrapes m and returns voxclone_blob_errors_total by op.
func blobErrors(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mt := range fams["voxclone_blob_errors_total"].GetMetric() {
		got[mt.GetLabel()[0].GetValue()] = mt.GetCounter().GetValue()
	}
	return got
}

// TestSlots: an admission gate's state is served as two gauges, read on
// each scrape; without one there are none.
func TestSlots(t *testing.T) {
	g := &gate{inUse: 2, waiting: 5}
	scrape := func(m *metrics.Metrics) string {
		rec := httptest.NewRecorder()
		m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
	m := metrics.New(metrics.Options{Slots: g})
	if body := scrape(m); !strings.Contains(body, "voxclone_engine_slots_in_use 2\n") || !strings.Contains(body, "voxclone_engine_slots_waiting 5\n") {
		t.Errorf("slots missing:\n%s", body)
	}
	g.inUse = 3
	if body := scrape(m); !strings.Contains(body, "voxclone_engine_slots_in_use 3\n") {
		t.Error("the gauge did not follow the gate")
	}
	if body := scrape(metrics.New(metrics.Options{})); strings.Contains(body, "voxclone_engine_slots") {
		t.Error("slot gauges without a gate")
	}
}

type gate struct{ inUse, waiting int }

func (g *gate) InUse() int   { return g.inUse }
func (g *gate) Waiting() int { return g.waiting }

// TestWrapBlobsSweepsTemp: the service sees the directory only through the
// wrapper, so the wrapper must pass the sweep of abandoned temporary files
// on, or they would never be deleted.
func TestWrapBlobsSweepsTemp(t *testing.T) {
	dir := t.TempDir()
	local, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	b := metrics.New(metrics.Options{}).WrapBlobs(local)
	ts, ok := b.(app.TempSweeper)
	if !ok {
		t.Fatal("the wrapped directory is not an app.TempSweeper")
	}
	stale := filepath.Join(dir, ".tmp-0011223344556677")
	if err := os.WriteFile(stale, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if n, err := ts.SweepTemp(t.Context(), time.Now().Add(-time.Hour)); n != 1 || err != nil {
		t.Fatalf("SweepTemp through the wrapper = %d, %v; want 1", n, err)
	}
}
