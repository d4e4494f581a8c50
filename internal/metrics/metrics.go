// Package metrics exposes what a voxclone process does in the Prometheus
// text format: HTTP request latency by route and status, synthesis time
// to first byte and real-time factor, clone duration, tasks by state and
// queue latency, engine slots, rate-limit refusals and blob store errors.
//
// Each Metrics owns its own registry, not Prometheus's global one, so
// that several servers can run in one process (as tests do). It
// implements app.Observer and the HTTP layer's request observer; the
// service layer itself knows nothing of Prometheus.
package metrics

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/voxclone/voxclone/internal/app"
)

// Options configure New.
type Options struct {
	// Logger receives the errors of collecting on scrape; nil discards.
	Logger *slog.Logger
	// Slots, when not nil, is the engine's admission gate, reported as
	// gauges.
	Slots Slots
}

// Slots is the engine's admission gate: how many syntheses hold a slot,
// and how many wait for one.
type Slots interface {
	InUse() int
	Waiting() int
}

// Metrics is one process's set of metrics. Its methods are safe for
// concurrent use.
type Metrics struct {
	reg *prometheus.Registry
	log *slog.Logger

	requests    *prometheus.HistogramVec
	firstByte   *prometheus.HistogramVec
	rtf         *prometheus.HistogramVec
	clone       *prometheus.HistogramVec
	queueWait   *prometheus.HistogramVec
	taskRun     *prometheus.HistogramVec
	rateLimited *prometheus.CounterVec
	blobErrors  *prometheus.CounterVec
}

var _ app.Observer = (*Metrics)(nil)

// New returns a Metrics with every series registered, the Go runtime's
// and the process's included.
func New(opt Options) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), log: opt.Logger}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	m.requests = m.histogram("voxclone_http_request_duration_seconds",
		"Time to serve an HTTP request, by route pattern and status code.",
		[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 180}, "route", "status")
	m.firstByte = m.histogram("voxclone_synthesis_first_byte_seconds",
		"Time from the start of a streamed synthesis to its first audio byte; kind is stream (to a client) or job.",
		[]float64{.025, .05, .1, .25, .5, 1, 2, 5, 10}, "kind")
	m.rtf = m.histogram("voxclone_synthesis_real_time_factor",
		"Time to render and encode a synthesis divided by the duration of its audio (below 1 is faster than real time).",
		[]float64{.01, .02, .05, .1, .2, .3, .5, .75, 1, 2, 5}, "kind")
	m.clone = m.histogram("voxclone_clone_duration_seconds",
		"Time to build a voice model, by outcome: ready, failed (a reason the user can act on) or error (retried).",
		[]float64{.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600}, "outcome")
	m.queueWait = m.histogram("voxclone_queue_wait_seconds",
		"Time a task waited in the queue, from when it could run to when a worker started it.",
		[]float64{.01, .05, .1, .5, 1, 5, 10, 30, 60, 300, 1800, 3600}, "kind")
	m.taskRun = m.histogram("voxclone_task_duration_seconds",
		"Time a worker spent on a task, by kind and outcome (done, retry, gave_up, handed_back).",
		[]float64{.1, .5, 1, 5, 10, 30, 60, 300, 600, 1800}, "kind", "outcome")
	m.rateLimited = m.counter("voxclone_rate_limited_total",
		"Requests refused for being over a rate budget, by action.", "action")
	m.blobErrors = m.counter("voxclone_blob_errors_total",
		"Blob store operations that failed (missing blobs and invalid keys excluded), by operation.", "op")
	m.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if opt.Slots != nil {
		m.WatchSlots(opt.Slots)
	}
	return m
}

func (m *Metrics) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	m.reg.MustRegister(h)
	return h
}

func (m *Metrics) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	m.reg.MustRegister(c)
	return c
}

// WatchSlots reports the admission gate's state on every scrape; for a
// gate made after the Metrics (Options.Slots when it exists before).
func (m *Metrics) WatchSlots(s Slots) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "voxclone_engine_slots_in_use",
			Help: "Syntheses holding one of the engine's slots."}, func() float64 { return float64(s.InUse()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "voxclone_engine_slots_waiting",
			Help: "Syntheses waiting for one of the engine's slots."}, func() float64 { return float64(s.Waiting()) }),
	)
}

// Handler serves the metrics in the Prometheus text format. A collector
// that fails (the database not answering for the task counts) leaves its
// series out; the rest are served.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog:      slogPrinter{m.log},
		ErrorHandling: promhttp.ContinueOnError,
		Timeout:       10 * time.Second,
	})
}

// slogPrinter passes promhttp's errors to the logger.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Println(v ...any) {
	p.log.Warn("metrics: collecting", slog.Any("err", v))
}

// ObserveRequest records one served HTTP request. route must be a route
// pattern or another bounded name, never a raw path, which would make a
// series per id.
func (m *Metrics) ObserveRequest(route string, status int, took time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Observe(took.Seconds())
}
