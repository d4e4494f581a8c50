package metrics

import (
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// SynthesisDone implements app.Observer.
func (m *Metrics) SynthesisDone(st app.SynthesisStats) {
	kind := "stream"
	if st.Job {
		kind = "job"
	}
	if st.FirstByte > 0 {
		m.firstByte.WithLabelValues(kind).Observe(st.FirstByte.Seconds())
	}
	if st.AudioSeconds > 0 {
		m.rtf.WithLabelValues(kind).Observe(st.Took.Seconds() / st.AudioSeconds)
	}
}

// CloneDone implements app.Observer.
func (m *Metrics) CloneDone(outcome string, took time.Duration) {
	m.clone.WithLabelValues(outcome).Observe(took.Seconds())
}

// RateLimited implements app.Observer.
func (m *Metrics) RateLimited(action app.Action) {
	m.rateLimited.WithLabelValues(string(action)).Inc()
}

// TaskEnded records a task a worker ended: how long it waited in the
// queue before it started, and how long it ran, with its outcome.
func (m *Metrics) TaskEnded(kind, outcome string, wait, run time.Duration) {
	m.queueWait.WithLabelValues(kind).Observe(wait.Seconds())
	m.taskRun.WithLabelValues(kind, outcome).Observe(run.Seconds())
}
