package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestConsentOpenBound: a user holding MaxOpenConsents open challenges is
// rate_limited, told when the oldest expires (RetryAfter and the
// message), and nothing is issued or logged; expiry frees a slot.
func TestConsentOpenBound(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		u, _ := f.register(t, "open@example.com")
		for range app.MaxOpenConsents {
			_, err := f.svc.IssueConsent(t.Context(), u.ID)
			must(t, err)
			f.clock.Advance(time.Minute)
		}
		refused := func(wantWait time.Duration, wantText string) {
			t.Helper()
			_, err := f.svc.IssueConsent(t.Context(), u.ID)
			wantCode(t, err, app.ERateLimited)
			ae := err.(*app.Error)
			if ae.RetryAfter != wantWait || !strings.Contains(ae.Message, wantText) {
				t.Errorf("refusal: RetryAfter %v, message %q; want %v and %q", ae.RetryAfter, ae.Message, wantWait, wantText)
			}
		}
		wait := consent.ChallengeTTL - app.MaxOpenConsents*time.Minute
		refused(wait, "in 7 minutes")
		f.clock.Advance(wait - 30*time.Second)
		refused(30*time.Second, "in 1 minute,")
		f.clock.Advance(30 * time.Second)
		_, err := f.svc.IssueConsent(t.Context(), u.ID)
		must(t, err)

		page, err := f.svc.ListAudit(t.Context(), u.ID, 100, "")
		must(t, err)
		if n := len(page.Items); n != app.MaxOpenConsents+1 {
			t.Errorf("%d consent.issued events, want %d: refusals issue nothing", n, app.MaxOpenConsents+1)
		}
	})
}

// TestPruneConsents: challenges go with the audit events that name them,
// after the audit retention, but never sooner than MinConsentRetention,
// while they may still be answered or used.
func TestPruneConsents(t *testing.T) {
	for _, tc := range []struct {
		retention, keep time.Duration
	}{
		{time.Hour, app.MinConsentRetention},
		{72 * time.Hour, 72 * time.Hour},
	} {
		t.Run(tc.retention.String(), func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, b backend) {
				f := newFixture(t, b.open(t), voice.New(voice.Config{}))
				f.cfg.AuditRetention = tc.retention
				f.svc = f.service(t, voice.New(voice.Config{}))
				u, _ := f.register(t, "prune@example.com")
				c, err := f.svc.IssueConsent(t.Context(), u.ID)
				must(t, err)
				f.clock.Advance(tc.keep)
				must(t, f.svc.PruneConsents(t.Context()))
				_, err = f.svc.GetConsent(t.Context(), u.ID, c.ID)
				must(t, err)
				f.clock.Advance(time.Microsecond)
				must(t, f.svc.PruneConsents(t.Context()))
				_, err = f.svc.GetConsent(t.Context(), u.ID, c.ID)
				wantCode(t, err, app.ENotFound)
			})
		})
	}
}
