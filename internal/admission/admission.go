// Package admission bounds how much engine work (synthesis, voice
// cloning, decoding and analysing uploads) one process runs at once, so a
// burst of requests queues briefly and is then turned away instead of
// driving the process out of memory. It knows nothing of HTTP: a caller
// turned away gets ErrBusy and a suggested wait.
package admission

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// Defaults used when Config leaves a field zero.
const (
	DefaultMaxWaiting = 4
	DefaultMaxWait    = 2 * time.Second
)

// ErrBusy is returned (wrapped in a *BusyError) when every slot is taken
// and the wait queue is full, or a queued caller waited MaxWait in vain.
var ErrBusy = errors.New("admission: busy")

// BusyError is ErrBusy with how long the caller should wait before trying
// again.
type BusyError struct {
	RetryAfter time.Duration
}

func (e *BusyError) Error() string { return "admission: busy; retry after " + e.RetryAfter.String() }

// Is makes errors.Is(err, ErrBusy) true for a *BusyError.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Config sizes a Gate. Zero fields take the defaults.
type Config struct {
	// Slots is how many callers may hold the gate at once; default
	// runtime.NumCPU(), since engine work is CPU-bound.
	Slots int
	// MaxWaiting is how many callers may queue for a slot through
	// Acquire; more are refused at once. Negative means none may queue.
	MaxWaiting int
	// MaxWait is how long a queued Acquire waits before giving up.
	MaxWait time.Duration
}

// Gate hands out a fixed number of slots. It is safe for concurrent use.
type Gate struct {
	cfg   Config
	slots chan struct{}
	// background bounds the slots Wait callers hold to Slots−1 (at least
	// one): background work may last many minutes (a 100,000-character
	// job runs for a quarter of an hour), and if it held every slot, every
	// request someone is waiting on would be turned away meanwhile.
	background chan struct{}
	mu         sync.Mutex
	waiting    int // callers queued in Acquire
	blocked    int // callers queued in Wait, which no bound refuses
	activityClock
}

// New returns a Gate sized by cfg.
func New(cfg Config) *Gate {
	if cfg.Slots <= 0 {
		cfg.Slots = runtime.NumCPU()
	}
	switch {
	case cfg.MaxWaiting == 0:
		cfg.MaxWaiting = DefaultMaxWaiting
	case cfg.MaxWaiting < 0:
		cfg.MaxWaiting = 0
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	return &Gate{cfg: cfg, slots: make(chan struct{}, cfg.Slots),
		background: make(chan struct{}, max(1, cfg.Slots-1))}
}

// Config returns the gate's effective settings.
func (g *Gate) Config() Config { return g.cfg }

// Acquire takes a slot, queueing for at most MaxWait when none is free
// and fewer than MaxWaiting callers are queued already. It returns the
// function that gives the slot back (call it once; later calls do
// nothing), or a *BusyError (errors.Is ErrBusy), or ctx's error when ctx
// ends first.
func (g *Gate) Acquire(ctx context.Context) (func(), error) {
	select {
	case g.slots <- struct{}{}:
		return g.releaser(), nil
	default:
	}
	g.mu.Lock()
	if g.waiting >= g.cfg.MaxWaiting {
		g.mu.Unlock()
		return nil, g.busy()
	}
	g.waiting++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.waiting--
		g.mu.Unlock()
	}()
	t := time.NewTimer(g.cfg.MaxWait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return g.releaser(), nil
	case <-t.C:
		return nil, g.busy()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Wait takes a slot, waiting as long as it takes (or until ctx ends): for
// background work, such as a queued clone job, which has nobody to answer
// "busy" to and would only be retried. With more than one slot, Wait
// callers together hold at most all but one, so a request someone is
// waiting on always finds a slot free of background work.
func (g *Gate) Wait(ctx context.Context) (func(), error) {
	select {
	case g.background <- struct{}{}:
		select {
		case g.slots <- struct{}{}:
			return g.backgroundReleaser(), nil
		default:
			<-g.background // queue below like everyone else
		}
	default:
	}
	g.mu.Lock()
	g.blocked++
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.blocked--
		g.mu.Unlock()
	}()
	select {
	case g.background <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case g.slots <- struct{}{}:
		return g.backgroundReleaser(), nil
	case <-ctx.Done():
		<-g.background
		return nil, ctx.Err()
	}
}

// InUse is how many slots are held now.
func (g *Gate) InUse() int { return len(g.slots) }

// Waiting is how many callers are queued for a slot now, through Acquire
// or Wait.
func (g *Gate) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waiting + g.blocked
}

// busy is the refusal, suggesting a retry after MaxWait: about the time a
// slot takes to come round when the queue is full.
func (g *Gate) busy() error {
	return &BusyError{RetryAfter: max(g.cfg.MaxWait, time.Second)}
}

func (g *Gate) releaser() func() {
	var once sync.Once
	return func() { once.Do(func() { <-g.slots; g.record() }) }
}

// backgroundReleaser gives back a Wait caller's slot and its background
// token.
func (g *Gate) backgroundReleaser() func() {
	var once sync.Once
	return func() { once.Do(func() { <-g.slots; <-g.background; g.record() }) }
}
