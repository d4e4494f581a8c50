package app

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Budget is one request's claim on a user's rate budget for an action
// (Config.RateLimit, per user and action). Whoever stands in front of the
// Service (the HTTP layer) makes one per request on a rate-limited route
// with NewBudget and hands it down in the context with WithBudget; the
// rate-limited use cases charge it with ChargeBudget once the request has
// passed validation and just before the work the budget exists to bound.
// A malformed request, or one naming something that is not the user's,
// therefore costs nothing, while no engine work starts uncounted. A
// request that fails after the charge can give its slot back with Refund.
// Calls without a budget in their context (the command line, jobs that
// were charged when queued) are not counted.
type Budget struct {
	svc    *Service
	userID string
	action Action
	notify func(RateStatus, error)

	mu      sync.Mutex
	charged bool      // Charge has run
	kept    bool      // Keep has run: Refund gives nothing back
	at      time.Time // when the held slot was taken; zero when none is held
	status  RateStatus
	err     error
}

// NewBudget returns userID's uncharged budget for action (ActionUpload,
// ActionClone or ActionSynthesize; anything else is EInvalid). notify, when
// not nil, is called once with the outcome of the charge, before the work
// it pays for, so an HTTP layer can still send RateLimit headers.
func (s *Service) NewBudget(userID string, action Action, notify func(RateStatus, error)) (*Budget, error) {
	switch action {
	case ActionUpload, ActionClone, ActionSynthesize:
	default:
		return nil, Errorf(EInvalid, "Unknown rate-limited action %q.", action)
	}
	return &Budget{svc: s, userID: userID, action: action, notify: notify}, nil
}

type budgetKey struct{}

// WithBudget returns ctx carrying b for the use case that ctx is passed to.
func WithBudget(ctx context.Context, b *Budget) context.Context {
	return context.WithValue(ctx, budgetKey{}, b)
}

// BudgetFrom returns the budget ctx carries, or nil.
func BudgetFrom(ctx context.Context) *Budget {
	b, _ := ctx.Value(budgetKey{}).(*Budget)
	return b
}

// ChargeBudget charges the budget ctx carries, if any: see Budget.Charge.
// Every rate-limited use case calls it after its validation and before its
// expensive work.
func ChargeBudget(ctx context.Context) error {
	return BudgetFrom(ctx).Charge(ctx)
}

// charge is ChargeBudget for a use case that must always be counted: it
// charges the budget ctx carries when it is userID's for action, else a
// fresh one, and returns the budget's status.
func (s *Service) charge(ctx context.Context, userID string, action Action) (RateStatus, error) {
	b := BudgetFrom(ctx)
	if b == nil || b.userID != userID || b.action != action {
		return s.Allow(ctx, userID, action)
	}
	err := b.Charge(ctx)
	st, _ := b.Status()
	return st, err
}

// Charge counts the request against the budget. It runs once; later calls
// return the first outcome. Over budget it is ERateLimited with RetryAfter
// set. A nil Budget charges nothing.
func (b *Budget) Charge(ctx context.Context) error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.charged {
		return b.err
	}
	b.charged = true
	s := b.svc
	now := s.now()
	b.status, b.err = s.take(ctx, b.userID, b.action, s.cfg.RateLimit, now, "Too many "+actionNoun(b.action)+" requests")
	if b.err == nil {
		b.at = now
	}
	if b.notify != nil {
		b.notify(b.status, b.err)
	}
	return b.err
}

// Keep makes the charge final, so that Refund gives nothing back: for a
// refusal that comes only after the work the budget bounds, which would
// otherwise cost nothing to repeat. A nil Budget ignores it.
func (b *Budget) Keep() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.kept = true
}

// Refund gives back the slot Charge took, for a request that then failed,
// and reports whether there was one to give back (none after Keep). A
// store failure is logged: it costs the user one request, nothing more.
func (b *Budget) Refund(ctx context.Context) bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.at.IsZero() || b.kept {
		return false
	}
	if err := b.svc.store.ReleaseRate(context.WithoutCancel(ctx), b.userID, b.action, b.at); err != nil {
		b.svc.log.Warn("give back a rate limit slot", slog.String("action", string(b.action)), slog.Any("err", err))
		return false
	}
	b.at = time.Time{}
	b.status.Remaining = min(b.status.Remaining+1, b.status.Limit)
	return true
}

// Status returns the budget's state after Charge (Remaining counts a
// refund back in) and whether Charge has run.
func (b *Budget) Status() (RateStatus, bool) {
	if b == nil {
		return RateStatus{}, false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status, b.charged
}
