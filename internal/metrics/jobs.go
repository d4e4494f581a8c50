package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// JobCounter calls fn with the number of queued tasks of each kind in
// each state, as the task queue's tables hold them now.
type JobCounter func(ctx context.Context, fn func(kind, state string, n int)) error

// countTimeout bounds the query of the task counts on a scrape, so that a
// slow database delays the scrape by no more than this.
const countTimeout = 2 * time.Second

// WatchJobs reports the task counts that count returns, queried on each
// scrape, as voxclone_queue_jobs{kind,state}. Call it once.
func (m *Metrics) WatchJobs(count JobCounter) {
	m.reg.MustRegister(&jobCollector{count: count, desc: prometheus.NewDesc("voxclone_queue_jobs",
		"Tasks in the queue's tables by kind and state (available, running, retryable, completed, …), counted on scrape.",
		[]string{"kind", "state"}, nil)})
}

// jobCollector queries the task counts when scraped.
type jobCollector struct {
	count JobCounter
	desc  *prometheus.Desc
}

func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), countTimeout)
	defer cancel()
	err := c.count(ctx, func(kind, state string, n int) {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), kind, state)
	})
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
	}
}
