package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/voxclone/voxclone/internal/admission"
)

// DefaultMaxExports is how many account exports one process streams at
// once, when Config.MaxExports is zero.
const DefaultMaxExports = 8

// exportRetryAfter is the wait suggested to an export turned away. An
// export lasts as long as its client takes to read it, so no better guess
// is known.
const exportRetryAfter = 10 * time.Second

// exportSlots bounds the exports a process streams: one per user at a
// time, and Config.MaxExports across users. An export runs as long as its
// client reads (it is exempt from the write deadline), so without a bound
// a few slow clients could hold open any number of blob reads and zip
// writers.
type exportSlots struct {
	gate  *admission.Gate
	mu    sync.Mutex
	users map[string]bool
}

func newExportSlots(n int) *exportSlots {
	return &exportSlots{
		gate:  admission.New(admission.Config{Slots: n, MaxWaiting: -1, MaxWait: exportRetryAfter}),
		users: map[string]bool{},
	}
}

// take reserves the user's one export and a slot of the process's, and
// returns the function that gives both back. A user whose export is
// running already is ERateLimited; a process streaming its MaxExports is
// EUnavailable. Both carry a Retry-After.
func (e *exportSlots) take(ctx context.Context, userID string) (func(), error) {
	e.mu.Lock()
	if e.users[userID] {
		e.mu.Unlock()
		return nil, &Error{Code: ERateLimited, RetryAfter: exportRetryAfter,
			Message: "An export of your account is already running; wait until its download has finished, then try again."}
	}
	e.users[userID] = true
	e.mu.Unlock()
	free := func() {
		e.mu.Lock()
		delete(e.users, userID)
		e.mu.Unlock()
	}
	release, err := e.gate.Acquire(ctx)
	var be *admission.BusyError
	if errors.As(err, &be) {
		free()
		return nil, &Error{Code: EUnavailable, RetryAfter: be.RetryAfter, Err: err,
			Message: "The server is busy streaming other exports; try again in a few seconds."}
	}
	if err != nil {
		free()
		return nil, err
	}
	return func() { release(); free() }, nil
}
