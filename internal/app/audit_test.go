package app_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
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

// TestAuditDetect: every detection is logged for the caller with the
// request it came in, whether the file was marked, or why it could not be
// read; the synthesis it names only for that synthesis's owner.
func TestAuditDetect(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		alice, _ := f.register(t, "alice@example.com")
		bob, _ := f.register(t, "bob@example.com")
		syn, marked, err := f.svc.Synthesize(t.Context(), alice.ID, app.SynthesizeInput{Voice: "slt",
			Text: strings.Repeat(threeSentences+" ", 6), Format: "wav"})
		must(t, err)
		ctx := app.WithRequest(t.Context(), app.RequestInfo{Client: "203.0.113.5", RequestID: "req-detect"})
		for _, c := range []struct {
			user   app.User
			audio  []byte
			detail string
		}{
			{bob, marked, "watermarked=yes"},
			{bob, speechWAV(t, "rms"), "watermarked=no"},
			{bob, []byte("not audio at all"), "error=unsupported_media"},
			{alice, marked, "watermarked=yes"},
		} {
			f.clock.Advance(time.Second)
			d, _ := f.svc.DetectWatermark(ctx, c.user.ID, bytes.NewReader(c.audio))
			page, err := f.svc.ListAudit(t.Context(), c.user.ID, 1, "")
			must(t, err)
			ev := page.Items[0]
			if ev.Kind != app.AuditDetect || ev.Detail != c.detail || ev.Client != "203.0.113.5" ||
				ev.RequestID != "req-detect" || ev.Subject != d.SynthesisID || !ev.CreatedAt.Equal(f.clock.Now()) {
				t.Errorf("%s's detection %+v logged as %+v, want detail %q", c.user.Email, d, ev, c.detail)
			}
			if c.user == bob && ev.Subject != "" || c.user == alice && ev.Subject != "" && ev.Subject != syn.ID {
				t.Errorf("%s's detection logged with subject %q (alice's synthesis is %s)", c.user.Email, ev.Subject, syn.ID)
			}
		}
	})
}
