package app

import (
	"context"
	"log/slog"
	"time"
)

// keepAlive calls beat every period until the returned func is called, to
// tell the store that work is still running (a job's progress, an export's
// lease). When beat answers ENotFound the work has been taken away (the
// job cancelled, the lease lost), so the returned context is cancelled
// with lost and the work stops within one period. Other errors are logged
// and the next beat tries again. The returned func waits for a beat in
// flight, so none lands after the work has recorded its end. Record that
// end on the parent ctx, after calling it: a beat that finds the work
// just ended cancels the returned context, and would cut the recording
// (runJob).
func (s *Service) keepAlive(ctx context.Context, period time.Duration, lost error, beat func(context.Context) error, what string, attrs ...any) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			err := beat(ctx)
			if ErrorCode(err) == ENotFound {
				cancel(lost)
				return
			} else if err != nil && ctx.Err() == nil {
				s.log.Warn(what, append(attrs, slog.Any("err", err))...)
			}
		}
	}()
	return ctx, func() { close(quit); <-done; cancel(nil) }
}
