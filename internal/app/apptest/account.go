package apptest

import (
	"slices"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// testDeleteUser: DeleteUser returns every blob key of the user's rows,
// removes the user and their rows, and leaves other users alone.
func testDeleteUser(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	smp := newSample(t, s, alice, 0)
	m := newModel(t, s, alice, 1, smp)
	syn := newSynthesis(t, s, alice, m, T0.Add(2*time.Second))
	bobSyn := newSynthesis(t, s, bob, newModel(t, s, bob, 1, newSample(t, s, bob, 0)), T0.Add(2*time.Second))
	must(t, s.CreateAuditEvent(ctx, app.AuditEvent{ID: app.NewID(), UserID: alice.ID, Kind: app.AuditClone, CreatedAt: T0}))
	_, err := s.TakeRate(ctx, alice.ID, app.ActionUpload, 5, time.Hour, T0)
	must(t, err)

	keys, err := s.DeleteUser(ctx, alice.ID, nil)
	must(t, err)
	slices.Sort(keys)
	want := []string{smp.BlobKey, m.ProfileKey, syn.AudioKey}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Errorf("DeleteUser keys = %v, want %v", keys, want)
	}
	_, err = s.FindUserByID(ctx, alice.ID)
	wantCode(t, err, app.ENotFound)
	if l, _ := s.ListSamples(ctx, alice.ID); len(l) != 0 {
		t.Errorf("alice's samples survive: %v", l)
	}
	if l, _ := s.ListAudit(ctx, alice.ID, 10, nil); len(l) != 0 {
		t.Errorf("alice's audit events survive: %v", l)
	}
	// Her rate records went too: a full budget is hers again.
	if d, _ := s.TakeRate(ctx, alice.ID, app.ActionUpload, 5, time.Hour, T0.Add(time.Second)); d.Used != 1 {
		t.Errorf("after deletion alice's upload count is %d, want 1", d.Used)
	}
	_, err = s.DeleteUser(ctx, alice.ID, nil)
	wantCode(t, err, app.ENotFound)
	if _, err := s.FindSynthesis(ctx, bob.ID, bobSyn.ID); err != nil {
		t.Errorf("bob's history: %v", err)
	}
}

// testAudit: events list per user, newest first with cursors; an event
// of no user is nobody's; PruneAudit deletes by age only.
func testAudit(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	var evs []app.AuditEvent
	for i := range 3 {
		e := app.AuditEvent{ID: app.NewID(), UserID: alice.ID, Kind: app.AuditSynthesis, Subject: "s",
			Detail: "d", Client: "192.0.2.1", RequestID: "r", CreatedAt: T0.Add(time.Duration(i) * time.Second)}
		must(t, s.CreateAuditEvent(ctx, e))
		evs = append([]app.AuditEvent{e}, evs...)
	}
	must(t, s.CreateAuditEvent(ctx, app.AuditEvent{ID: app.NewID(), Kind: app.AuditDetect, CreatedAt: T0}))
	wantCode(t, s.CreateAuditEvent(ctx, app.AuditEvent{ID: app.NewID(), UserID: app.NewID(), Kind: app.AuditDetect, CreatedAt: T0}), app.ENotFound)

	got, err := s.ListAudit(ctx, alice.ID, 2, nil)
	must(t, err)
	if len(got) != 2 || got[0] != evs[0] || got[1] != evs[1] {
		t.Errorf("first page %+v, want %+v", got, evs[:2])
	}
	got, err = s.ListAudit(ctx, alice.ID, 2, &app.HistoryCursor{CreatedAt: evs[1].CreatedAt, ID: evs[1].ID})
	must(t, err)
	if len(got) != 1 || got[0] != evs[2] {
		t.Errorf("second page %+v, want %+v", got, evs[2:])
	}
	if l, _ := s.ListAudit(ctx, bob.ID, 10, nil); len(l) != 0 {
		t.Errorf("bob sees %v", l)
	}
	n, err := s.PruneAudit(ctx, T0.Add(time.Second))
	must(t, err)
	if n != 2 { // alice's first and the anonymous one
		t.Errorf("PruneAudit deleted %d, want 2", n)
	}
	if l, _ := s.ListAudit(ctx, alice.ID, 10, nil); len(l) != 2 {
		t.Errorf("after pruning alice has %d events, want 2", len(l))
	}
}
