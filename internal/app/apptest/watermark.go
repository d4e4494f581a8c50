package apptest

import (
	"reflect"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// testWatermarks: a recorded payload finds its synthesis, whoever asks,
// and the newest when two share it; a payload whose synthesis was never
// recorded (it failed), or was deleted, finds nothing; a synthesis has one
// payload, which only its user deletes; a payload needs a user.
func testWatermarks(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := newUser(t, s)
	m := newModel(t, s, u, 0, newSample(t, s, u, 0))
	old := newSynthesis(t, s, u, m, T0)
	syn := newSynthesis(t, s, u, m, T0.Add(time.Second))
	must(t, s.AddWatermark(ctx, u.ID, old.ID, 0xFFFFFFFF, T0))
	must(t, s.AddWatermark(ctx, u.ID, syn.ID, 0xFFFFFFFF, T0))
	got, err := s.FindWatermark(ctx, 0xFFFFFFFF)
	must(t, err)
	if !reflect.DeepEqual(got, syn) {
		t.Errorf("FindWatermark =\n%+v, want the newer\n%+v", got, syn)
	}
	if err := s.AddWatermark(ctx, u.ID, syn.ID, 7, T0); app.ErrorCode(err) != app.EConflict {
		t.Errorf("a second payload for one synthesis: %v, want conflict", err)
	}
	failed := app.NewID() // rendering failed: no history entry
	must(t, s.AddWatermark(ctx, u.ID, failed, 42, T0))
	if _, err := s.FindWatermark(ctx, 42); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("payload without a history entry: %v, want not found", err)
	}
	// Deleting it frees its synthesis id (a second payload is no longer a
	// conflict); another user's id deletes nothing; deleting twice is no
	// error.
	must(t, s.DeleteWatermark(ctx, newUser(t, s).ID, syn.ID))
	must(t, s.DeleteWatermark(ctx, u.ID, failed))
	must(t, s.DeleteWatermark(ctx, u.ID, failed))
	must(t, s.AddWatermark(ctx, u.ID, failed, 42, T0))
	if err := s.AddWatermark(ctx, u.ID, syn.ID, 7, T0); app.ErrorCode(err) != app.EConflict {
		t.Errorf("another user's DeleteWatermark removed the payload: %v, want conflict", err)
	}
	wantCode(t, s.AddWatermark(ctx, app.NewID(), app.NewID(), 9, T0), app.ENotFound)
	if _, err := s.FindWatermark(ctx, 43); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("unknown payload: %v, want not found", err)
	}
	if _, _, err := s.DeleteModel(ctx, u.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindWatermark(ctx, 0xFFFFFFFF); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("payload of a deleted synthesis: %v, want not found", err)
	}
}

// testRecentWatermarks: the newest recorded syntheses' payloads, whoever's,
// newest first, at most the limit; a payload whose synthesis never reached
// the history is not among them.
func testRecentWatermarks(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	am := newModel(t, s, alice, 0, newSample(t, s, alice, 0))
	bm := newModel(t, s, bob, 0, newSample(t, s, bob, 0))
	oldest := newSynthesis(t, s, alice, am, T0)
	middle := newSynthesis(t, s, bob, bm, T0.Add(time.Second))
	newest := newSynthesis(t, s, alice, am, T0.Add(2*time.Second))
	must(t, s.AddWatermark(ctx, alice.ID, oldest.ID, 0xFFFFFFFF, T0))
	must(t, s.AddWatermark(ctx, bob.ID, middle.ID, 2, T0))
	must(t, s.AddWatermark(ctx, alice.ID, newest.ID, 3, T0))
	must(t, s.AddWatermark(ctx, bob.ID, app.NewID(), 4, T0.Add(time.Hour))) // still rendering

	got, err := s.RecentWatermarks(ctx, 10)
	must(t, err)
	want := []app.Watermark{
		{Payload: 3, SynthesisID: newest.ID, UserID: alice.ID, CreatedAt: newest.CreatedAt},
		{Payload: 2, SynthesisID: middle.ID, UserID: bob.ID, CreatedAt: middle.CreatedAt},
		{Payload: 0xFFFFFFFF, SynthesisID: oldest.ID, UserID: alice.ID, CreatedAt: oldest.CreatedAt},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RecentWatermarks(10) =\n%+v, want\n%+v", got, want)
	}
	got, err = s.RecentWatermarks(ctx, 2)
	must(t, err)
	if !reflect.DeepEqual(got, want[:2]) {
		t.Errorf("RecentWatermarks(2) =\n%+v, want\n%+v", got, want[:2])
	}
}

// testWatermarkPrune: pruning deletes the payloads added before the
// cut-off whose synthesis never reached the history, whoever's (their
// process died while rendering); a payload added since (a synthesis
// still rendering) and one whose synthesis is recorded stay, however old.
func testWatermarkPrune(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	m := newModel(t, s, alice, 0, newSample(t, s, alice, 0))
	recorded := newSynthesis(t, s, alice, m, T0)
	orphan, bobsOrphan, inFlight := app.NewID(), app.NewID(), app.NewID()
	must(t, s.AddWatermark(ctx, alice.ID, recorded.ID, 31, T0))
	must(t, s.AddWatermark(ctx, alice.ID, orphan, 32, T0))
	must(t, s.AddWatermark(ctx, bob.ID, bobsOrphan, 33, T0.Add(59*time.Minute)))
	must(t, s.AddWatermark(ctx, alice.ID, inFlight, 34, T0.Add(time.Hour)))

	n, err := s.PruneWatermarks(ctx, T0.Add(time.Hour))
	must(t, err)
	if n != 2 {
		t.Errorf("PruneWatermarks deleted %d rows, want the 2 orphans older than the cut-off", n)
	}
	if got, err := s.FindWatermark(ctx, 31); err != nil || got.ID != recorded.ID {
		t.Errorf("recorded synthesis's payload after pruning: %+v, %v; want %s", got, err, recorded.ID)
	}
	// A payload still there makes a second one for its synthesis a
	// conflict; a pruned one does not.
	wantCode(t, s.AddWatermark(ctx, alice.ID, inFlight, 35, T0), app.EConflict)
	wantCode(t, s.AddWatermark(ctx, alice.ID, recorded.ID, 35, T0), app.EConflict)
	must(t, s.AddWatermark(ctx, alice.ID, orphan, 36, T0))
	must(t, s.AddWatermark(ctx, bob.ID, bobsOrphan, 37, T0))
	if n, err := s.PruneWatermarks(ctx, T0); err != nil || n != 0 {
		t.Errorf("PruneWatermarks at the rows' own time: %d deleted, %v; want none (only older rows go)", n, err)
	}
}
