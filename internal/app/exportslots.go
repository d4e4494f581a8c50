package app

import (
	"context"
	"errors"
	"log/slog"
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

// The user's one export is a lease in the store (LeaseStore), so that it
// holds across the processes sharing the database. Its holder renews it
// every exportRenew while the export streams; a process that dies stops
// renewing, and the user may export again once exportLease has passed
// since the last renewal. A renewal is tried three times before the lease
// can lapse, so a slow database does not lose it.
const (
	exportLeaseName = "export"
	exportLease     = 30 * time.Second
	exportRenew     = exportLease / 3
)

// errExportLeaseLost ends an export whose lease another export took (it
// lapsed: the database was out of reach for longer than exportLease), or
// that went with its account.
var errExportLeaseLost = errors.New("app: the export's lease was lost")

// newExportGate bounds the exports a process streams at once. An export
// runs as long as its client reads (it is exempt from the write deadline),
// so without a bound a few slow clients could hold open any number of blob
// reads and zip writers. Those are this process's memory and connections,
// hence a bound per process; the user's one export at a time is the
// store's (takeExport).
func newExportGate(n int) *admission.Gate {
	return admission.New(admission.Config{Slots: n, MaxWaiting: -1, MaxWait: exportRetryAfter})
}

// takeExport reserves the user's one export, in every process, and a slot
// of this process's MaxExports. It returns the context to export in,
// which ends should the lease be lost, and the function that gives both
// back. A user whose export is running already, here or in another
// process, is ERateLimited; a process streaming its MaxExports is
// EUnavailable. Both carry a Retry-After.
func (s *Service) takeExport(ctx context.Context, userID string) (context.Context, func(), error) {
	holder, now := NewID(), s.now()
	taken, _, err := s.store.TakeLease(ctx, userID, exportLeaseName, holder, now, now.Add(exportLease))
	if err != nil {
		return nil, nil, err
	}
	if !taken {
		return nil, nil, errExportRunning()
	}
	free := func() { s.releaseLease(ctx, userID, exportLeaseName, holder) }
	release, err := s.exports.Acquire(ctx)
	if err != nil {
		free()
		var be *admission.BusyError
		if errors.As(err, &be) {
			return nil, nil, &Error{Code: EUnavailable, RetryAfter: be.RetryAfter, Err: err,
				Message: "The server is busy streaming other exports; try again in a few seconds."}
		}
		return nil, nil, err
	}
	ctx, stop := s.renewExport(ctx, userID, holder)
	return ctx, func() { stop(); release(); free() }, nil
}

// errExportRunning refuses an export while the user's other one runs.
func errExportRunning() error {
	return &Error{Code: ERateLimited, RetryAfter: exportRetryAfter,
		Message: "An export of your account is already running; wait until its download has finished, then try again."}
}

// renewExport renews holder's lease every exportRenew until the returned
// func is called, and cancels the returned context when the lease is
// lost: the export then ends, truncated, rather than run beside another.
func (s *Service) renewExport(ctx context.Context, userID, holder string) (context.Context, func()) {
	return s.keepAlive(ctx, exportRenew, errExportLeaseLost, func(ctx context.Context) error {
		return s.store.RenewLease(ctx, userID, exportLeaseName, holder, s.now().Add(exportLease))
	}, "renew export lease", slog.String("user_id", userID))
}

// releaseLease gives holder's lease back, even when ctx has ended (the
// request is over, the lease is not). A failure is only logged: an
// export's lease lapses by itself within exportLease, and a link's stays
// spent, so its user asks for a new one.
func (s *Service) releaseLease(ctx context.Context, userID, name, holder string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.store.ReleaseLease(ctx, userID, name, holder); err != nil {
		s.log.Warn("release lease", slog.String("user_id", userID), slog.String("lease", name), slog.Any("err", err))
	}
}
