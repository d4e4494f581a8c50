package app

import (
	"io"
	"sync/atomic"
	"time"
)

// Observer hears of the work the Service does, so that operators can
// measure it (internal/metrics implements it). Its methods are called on
// the paths that do the work, so they must be quick and safe for
// concurrent use. Deps.Observer may be nil: nothing is observed.
type Observer interface {
	// SynthesisDone reports a streamed synthesis that completed.
	SynthesisDone(SynthesisStats)
	// CloneDone reports a voice model build that reached an outcome:
	// ModelReady, ModelFailed (a reason the user can act on) or "error"
	// (the task will be retried), after took.
	CloneDone(outcome string, took time.Duration)
	// RateLimited reports a request refused for being over a budget.
	RateLimited(action Action)
}

// SynthesisStats describes one completed streamed synthesis.
type SynthesisStats struct {
	// Job is true for long-form jobs, false for synthesis streamed to a
	// client.
	Job bool
	// Format is the audio format (wav, mp3, …).
	Format string
	// FirstByte is the time from the start of the stream to its first
	// audio byte; zero when nothing was written.
	FirstByte time.Duration
	// Took is the time the whole stream took.
	Took time.Duration
	// AudioSeconds is the duration of the audio produced.
	AudioSeconds float64
}

// nopObserver is the Observer of a Service given none.
type nopObserver struct{}

func (nopObserver) SynthesisDone(SynthesisStats)    {}
func (nopObserver) CloneDone(string, time.Duration) {}
func (nopObserver) RateLimited(Action)              {}

// cloneError is CloneDone's outcome for a build that will be retried.
const cloneError = "error"

// firstByte passes writes through and records when the first byte went
// out. For some formats the encoder writes from its own goroutine, hence
// the atomic.
type firstByte struct {
	w     io.Writer
	start time.Time
	at    atomic.Int64 // nanoseconds after start, +1 so that 0 means none yet
}

func newFirstByte(w io.Writer) *firstByte { return &firstByte{w: w, start: time.Now()} }

func (f *firstByte) Write(p []byte) (int, error) {
	if len(p) > 0 && f.at.Load() == 0 {
		f.at.CompareAndSwap(0, int64(time.Since(f.start))+1)
	}
	return f.w.Write(p)
}

// elapsed is the time to the first byte, or zero when none was written.
func (f *firstByte) elapsed() time.Duration {
	if n := f.at.Load(); n > 0 {
		return time.Duration(n - 1)
	}
	return 0
}
