package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Allow counts one request of the user for action against the configured
// budget (Config.RateLimit, per user and action, a sliding window stored in
// the database so it holds across restarts and processes) at once, before
// anything is validated; requests served over HTTP are counted later, by a
// Budget, once they are known to be good. Over budget it returns
// ERateLimited with RetryAfter set, and the status still filled in so
// callers can send RateLimit headers.
func (s *Service) Allow(ctx context.Context, userID string, action Action) (RateStatus, error) {
	b, err := s.NewBudget(userID, action, nil)
	if err != nil {
		return RateStatus{}, err
	}
	err = b.Charge(ctx)
	st, _ := b.Status()
	return st, err
}

// take counts one request of subject for action against r at now. Over
// budget it returns ERateLimited whose message starts with what, and the
// status still filled in.
func (s *Service) take(ctx context.Context, subject string, action Action, r Rate, now time.Time, what string) (RateStatus, error) {
	d, err := s.store.TakeRate(ctx, subject, action, r.Count, r.Window, now)
	if err != nil {
		return RateStatus{}, err
	}
	s.prune(ctx, now)
	st := RateStatus{Limit: r.Count, Remaining: max(r.Count-d.Used, 0)}
	if !d.Oldest.IsZero() {
		st.Reset = max(d.Oldest.Add(r.Window).Sub(now), 0)
	}
	if d.Allowed {
		return st, nil
	}
	s.obs.RateLimited(action)
	retry := max(st.Reset, time.Second)
	return st, &Error{
		Code:       ERateLimited,
		Message:    what + ": the limit is " + r.String() + ". Try again in " + roundUp(retry) + ".",
		RetryAfter: retry,
	}
}

// pruneEvery is how often a Service deletes requests that have left every
// window, so the rate tables hold about one window of requests.
const pruneEvery = time.Minute

// prune forgets, at most once per pruneEvery, the requests older than
// their action's window. It cannot change a decision: TakeRate ignores
// them. A failure is logged and retried a minute later.
func (s *Service) prune(ctx context.Context, now time.Time) {
	last := s.lastPrune.Load()
	if now.UnixNano()-last < int64(pruneEvery) || !s.lastPrune.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	windows := map[Action]time.Duration{
		ActionUpload: s.cfg.RateLimit.Window, ActionClone: s.cfg.RateLimit.Window, ActionSynthesize: s.cfg.RateLimit.Window,
		ActionLogin: max(s.cfg.LoginRate.Window, s.cfg.LoginClientRate.Window), ActionRegister: s.cfg.RegisterRate.Window,
	}
	for action, w := range windows {
		if err := s.store.PruneRate(ctx, action, now.Add(-w)); err != nil {
			s.log.Warn("prune rate limit records", slog.String("action", string(action)), slog.Any("err", err))
			return
		}
	}
}

func actionNoun(a Action) string {
	switch a {
	case ActionUpload:
		return "upload"
	case ActionClone:
		return "voice cloning"
	}
	return "synthesis"
}

// roundUp formats d for people, rounded up: "45 s", "3 min", "2 h 5 min".
func roundUp(d time.Duration) string {
	if d <= time.Minute {
		return fmt.Sprintf("%d s", int((d+time.Second-1)/time.Second))
	}
	m := int((d + time.Minute - 1) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %d min", m/60, m%60)
}
