package admission

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAcquireOK(t *testing.T) {
	g := New(Config{Slots: 2, MaxWaiting: 1, MaxWait: time.Second})
	r1, err := g.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	r2, err := g.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if got := g.InUse(); got != 2 {
		t.Errorf("InUse = %d, want 2", got)
	}
	r1()
	r1() // a second release must not free another caller's slot
	if got := g.InUse(); got != 1 {
		t.Errorf("InUse after release = %d, want 1", got)
	}
	r2()
	if got := g.InUse(); got != 0 {
		t.Errorf("InUse = %d, want 0", got)
	}
}

func TestAcquireErrBusyQueueFull(t *testing.T) {
	g := New(Config{Slots: 1, MaxWaiting: 1, MaxWait: 5 * time.Second})
	release, _ := g.Acquire(t.Context())
	defer release()
	queued := make(chan error, 1)
	go func() {
		r, err := g.Acquire(t.Context())
		if err == nil {
			r()
		}
		queued <- err
	}()
	waitFor(t, func() bool { return g.Waiting() == 1 })
	start := time.Now()
	_, err := g.Acquire(t.Context())
	var be *BusyError
	if !errors.Is(err, ErrBusy) || !errors.As(err, &be) {
		t.Fatalf("third caller: err = %v, want ErrBusy", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("a full queue refused after %v, want at once", d)
	}
	if be.RetryAfter < time.Second {
		t.Errorf("RetryAfter = %v, want at least 1s", be.RetryAfter)
	}
	release()
	if err := <-queued; err != nil {
		t.Errorf("queued caller: %v, want the released slot", err)
	}
}

func TestAcquireErrBusyAfterMaxWait(t *testing.T) {
	g := New(Config{Slots: 1, MaxWaiting: 4, MaxWait: 100 * time.Millisecond})
	release, _ := g.Acquire(t.Context())
	defer release()
	start := time.Now()
	_, err := g.Acquire(t.Context())
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("err = %v, want ErrBusy", err)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("gave up after %v, want MaxWait", d)
	}
	if g.Waiting() != 0 {
		t.Errorf("Waiting = %d after giving up, want 0", g.Waiting())
	}
}

func TestAcquireErrContext(t *testing.T) {
	g := New(Config{Slots: 1, MaxWait: time.Minute})
	release, _ := g.Acquire(t.Context())
	defer release()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := g.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's", err)
	}
}

func TestWaitOK(t *testing.T) {
	// Wait queues past MaxWaiting and MaxWait: background work is never
	// refused, only delayed.
	g := New(Config{Slots: 1, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
	release, _ := g.Acquire(t.Context())
	got := make(chan error, 1)
	go func() {
		r, err := g.Wait(t.Context())
		if err == nil {
			r()
		}
		got <- err
	}()
	waitFor(t, func() bool { return g.Waiting() == 1 })
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-got:
		t.Fatalf("Wait returned %v while the slot was held", err)
	default:
	}
	release()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
}

// TestWaitLeavesASlotForRequests: background work (Wait) may hold every
// slot but one, so a request is admitted at once however many background
// tasks queue; with a single slot, background work may take it.
func TestWaitLeavesASlotForRequests(t *testing.T) {
	g := New(Config{Slots: 3, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
	var held []func()
	for range 2 {
		r, err := g.Wait(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, r)
	}
	third := make(chan func(), 1)
	go func() {
		r, err := g.Wait(t.Context())
		if err != nil {
			t.Error(err)
			r = func() {}
		}
		third <- r
	}()
	waitFor(t, func() bool { return g.Waiting() == 1 })
	if g.InUse() != 2 {
		t.Fatalf("InUse = %d with a third background task queued, want 2", g.InUse())
	}
	r, err := g.Acquire(t.Context())
	if err != nil {
		t.Fatalf("a request beside two background tasks: %v, want the free slot", err)
	}
	r()
	held[0]()
	held = append(held[1:], <-third)
	if g.InUse() != 2 {
		t.Errorf("InUse = %d after the queued task started, want 2", g.InUse())
	}
	for _, r := range held {
		r()
		r() // a second release must not free another token
	}
	if g.InUse() != 0 || g.Waiting() != 0 || len(g.background) != 0 {
		t.Errorf("InUse %d, Waiting %d, background %d after all released", g.InUse(), g.Waiting(), len(g.background))
	}

	one := New(Config{Slots: 1})
	r, err = one.Wait(t.Context())
	if err != nil {
		t.Fatalf("one slot: background work must still run: %v", err)
	}
	r()
}

// TestWaitCancelledGivesTokenBack: a background task whose context ends
// while it waits for a slot leaves no token behind.
func TestWaitCancelledGivesTokenBack(t *testing.T) {
	g := New(Config{Slots: 2, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
	r1, _ := g.Acquire(t.Context())
	r2, _ := g.Acquire(t.Context())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := g.Wait(ctx)
		done <- err
	}()
	waitFor(t, func() bool { return g.Waiting() == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	r1()
	r2()
	if len(g.background) != 0 || g.Waiting() != 0 {
		t.Errorf("background tokens %d, waiting %d after a cancelled Wait", len(g.background), g.Waiting())
	}
}

func TestGateNeverExceedsSlots(t *testing.T) {
	g := New(Config{Slots: 3, MaxWaiting: 100, MaxWait: 5 * time.Second})
	var cur, peak atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acquire := g.Acquire
			if i%2 == 0 {
				acquire = g.Wait
			}
			release, err := acquire(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			n := cur.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			cur.Add(-1)
			release()
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 3 || p < 1 {
		t.Errorf("peak concurrency %d, want 1..3", p)
	}
	if g.InUse() != 0 || g.Waiting() != 0 {
		t.Errorf("InUse %d, Waiting %d after all released", g.InUse(), g.Waiting())
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Config{}).Config()
	if c.Slots < 1 || c.MaxWaiting != DefaultMaxWaiting || c.MaxWait != DefaultMaxWait {
		t.Errorf("defaults = %+v", c)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(time.Millisecond)
	}
}
