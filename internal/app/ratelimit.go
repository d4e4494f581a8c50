package app

import (
	"context"
	"fmt"
	"time"
)

// Allow counts one request of the user for action against the configured
// budget (Config.RateLimit, per user and action, a sliding window stored in
// the database so it holds across restarts and processes). Over budget it
// returns ERateLimited with RetryAfter set, and the status still filled in
// so callers can send RateLimit headers.
func (s *Service) Allow(ctx context.Context, userID string, action Action) (RateStatus, error) {
	switch action {
	case ActionUpload, ActionClone, ActionSynthesize:
	default:
		return RateStatus{}, Errorf(EInvalid, "unknown action %q", action)
	}
	return s.take(ctx, userID, action, s.cfg.RateLimit, s.now(),
		"Too many "+actionNoun(action)+" requests")
}

// take counts one request of subject for action against r at now. Over
// budget it returns ERateLimited whose message starts with what, and the
// status still filled in.
func (s *Service) take(ctx context.Context, subject string, action Action, r Rate, now time.Time, what string) (RateStatus, error) {
	d, err := s.store.TakeRate(ctx, subject, action, r.Count, r.Window, now)
	if err != nil {
		return RateStatus{}, err
	}
	st := RateStatus{Limit: r.Count, Remaining: max(r.Count-d.Used, 0)}
	if !d.Oldest.IsZero() {
		st.Reset = max(d.Oldest.Add(r.Window).Sub(now), 0)
	}
	if d.Allowed {
		return st, nil
	}
	retry := max(st.Reset, time.Second)
	return st, &Error{
		Code:       ERateLimited,
		Message:    what + ": the limit is " + r.String() + ". Try again in " + roundUp(retry) + ".",
		RetryAfter: retry,
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
