package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// TestAudit records events with the request of the context, lists them a
// page at a time, keeps them apart per user, and prunes those older than
// the retention period, the deletion record included.
func TestAudit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		f.cfg.AuditRetention = 48 * time.Hour
		f.svc = f.service(t, noEngine{})
		alice, _ := f.register(t, "alice@example.com")
		bob, _ := f.register(t, "bob@example.com")
		ctx := app.WithRequest(t.Context(), app.RequestInfo{Client: "198.51.100.7", RequestID: "req-1"})

		f.svc.Audit(ctx, app.Event{Kind: app.AuditConsentIssued, UserID: alice.ID, Subject: "c1"})
		f.clock.Advance(24 * time.Hour)
		f.svc.Audit(ctx, app.Event{Kind: app.AuditConsentVerified, UserID: alice.ID, Subject: "c1",
			Detail: "score 0.9 " + strings.Repeat("é", 300) + "\x00\xff"})
		f.svc.Audit(t.Context(), app.Event{Kind: app.AuditDetect, UserID: bob.ID})
		f.svc.Audit(t.Context(), app.Event{Kind: app.AuditDetect}) // an anonymous caller
		f.clock.Advance(time.Hour)

		page, err := f.svc.ListAudit(t.Context(), alice.ID, 1, "")
		must(t, err)
		if len(page.Items) != 1 || page.NextCursor == "" {
			t.Fatalf("first page %+v", page)
		}
		ev := page.Items[0]
		if ev.Kind != app.AuditConsentVerified || ev.Client != "198.51.100.7" || ev.RequestID != "req-1" ||
			len(ev.Detail) > 256 || strings.ContainsAny(ev.Detail, "\x00") || !strings.HasPrefix(ev.Detail, "score 0.9 é") {
			t.Errorf("newest event %+v", ev)
		}
		next, err := f.svc.ListAudit(t.Context(), alice.ID, 10, page.NextCursor)
		must(t, err)
		if len(next.Items) != 1 || next.Items[0].Kind != app.AuditConsentIssued || next.NextCursor != "" {
			t.Errorf("second page %+v", next)
		}
		bobs, err := f.svc.ListAudit(t.Context(), bob.ID, 10, "")
		must(t, err)
		if len(bobs.Items) != 1 || bobs.Items[0].Client != "" {
			t.Errorf("bob's log %+v", bobs)
		}
		_, err = f.svc.ListAudit(t.Context(), alice.ID, 10, "not-a-cursor")
		wantCode(t, err, app.EInvalid)

		// 25 h after the first event, 48 h kept: nothing goes yet.
		must(t, f.svc.PruneAudit(t.Context()))
		if p, _ := f.svc.ListAudit(t.Context(), alice.ID, 10, ""); len(p.Items) != 2 {
			t.Errorf("pruned too early: %+v", p)
		}
		f.clock.Advance(24 * time.Hour)
		must(t, f.svc.PruneAudit(t.Context()))
		if p, _ := f.svc.ListAudit(t.Context(), alice.ID, 10, ""); len(p.Items) != 1 || p.Items[0].Kind != app.AuditConsentVerified {
			t.Errorf("after 49 h alice's log is %+v; want only the verified event", p)
		}
		f.clock.Advance(24 * time.Hour)
		must(t, f.svc.PruneAudit(t.Context()))
		for _, u := range []app.User{alice, bob} {
			if p, _ := f.svc.ListAudit(t.Context(), u.ID, 10, ""); len(p.Items) != 0 {
				t.Errorf("after 73 h %s's log is %+v", u.Email, p)
			}
		}
	})
}

// TestDeleteAccountLimits: wrong passwords count as failed logins of the
// account's email, so a stolen session cannot guess the password through
// deletion, and the right one is refused once the budget is spent.
func TestDeleteAccountLimits(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		f.cfg.LoginRate = app.Rate{Count: 3, Window: time.Hour}
		f.svc = f.service(t, noEngine{})
		u, _ := f.register(t, "alice@example.com")
		ctx := app.WithRequest(t.Context(), app.RequestInfo{Client: "198.51.100.7"})
		for i := range 3 {
			st, err := f.svc.DeleteAccount(ctx, u.ID, "wrong password")
			wantCode(t, err, app.EForbidden)
			if st.Remaining != 2-i {
				t.Errorf("attempt %d: %d remaining", i+1, st.Remaining)
			}
		}
		_, err := f.svc.DeleteAccount(ctx, u.ID, "correct horse battery")
		wantCode(t, err, app.ERateLimited)
		// Login shares the budget.
		_, err = f.svc.Login(t.Context(), u.Email, "correct horse battery")
		wantCode(t, err, app.ERateLimited)
		f.clock.Advance(time.Hour + time.Second)
		_, err = f.svc.DeleteAccount(ctx, u.ID, "correct horse battery")
		must(t, err)
		_, err = f.svc.DeleteAccount(ctx, u.ID, "correct horse battery")
		wantCode(t, err, app.ENotFound)
		_, err = f.svc.Login(t.Context(), u.Email, "correct horse battery")
		wantCode(t, err, app.EUnauthorized)
	})
}
