package voice

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// laterCancelled is a context that reports itself cancelled from its
// nth call to Err on, and never closes Done: it cancels a render at a
// chosen point without a race.
type laterCancelled struct {
	context.Context
	calls, n atomic.Int32
}

func (c *laterCancelled) Done() <-chan struct{} { return nil }

func (c *laterCancelled) Err() error {
	if c.calls.Add(1) >= c.n.Load() {
		return context.Canceled
	}
	return nil
}

// TestRenderStopsBetweenStages: a chunk of a cloned voice whose stream is
// cancelled while the base voice speaks stops there, without the
// analysis, conversion and vocoder stages that cost most of its CPU: a
// listener who leaves stops the work within a fraction of a sentence.
func TestRenderStopsBetweenStages(t *testing.T) {
	s, err := Prepare("The old fisherman walked slowly along the quiet river, watching the small boats drift past the bridge.")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(Config{}).newRenderer(sampleSpeaker(t), s, sanitize(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	full := time.Now()
	if res := r.render(context.Background(), 0); res.err != nil {
		t.Fatal(res.err)
	}
	fullTime := time.Since(full)
	// flite checks ctx once before it speaks; the second check is the
	// first after it.
	ctx := &laterCancelled{Context: context.Background()}
	ctx.n.Store(2)
	start := time.Now()
	res := r.render(ctx, 0)
	if !errors.Is(res.err, context.Canceled) {
		t.Fatalf("render cancelled after the base voice: err %v, %d calls to Err", res.err, ctx.calls.Load())
	}
	t.Logf("whole chunk %v, cancelled after the base voice %v", fullTime, time.Since(start))
}
