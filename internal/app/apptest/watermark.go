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
	must(t, s.AddWatermark(ctx, u.ID, old.ID, 0xFFFFFFFF))
	must(t, s.AddWatermark(ctx, u.ID, syn.ID, 0xFFFFFFFF))
	got, err := s.FindWatermark(ctx, 0xFFFFFFFF)
	must(t, err)
	if !reflect.DeepEqual(got, syn) {
		t.Errorf("FindWatermark =\n%+v, want the newer\n%+v", got, syn)
	}
	if err := s.AddWatermark(ctx, u.ID, syn.ID, 7); app.ErrorCode(err) != app.EConflict {
		t.Errorf("a second payload for one synthesis: %v, want conflict", err)
	}
	failed := app.NewID() // rendering failed: no history entry
	must(t, s.AddWatermark(ctx, u.ID, failed, 42))
	if _, err := s.FindWatermark(ctx, 42); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("payload without a history entry: %v, want not found", err)
	}
	// Deleting it frees its synthesis id (a second payload is no longer a
	// conflict); another user's id deletes nothing; deleting twice is no
	// error.
	must(t, s.DeleteWatermark(ctx, newUser(t, s).ID, syn.ID))
	must(t, s.DeleteWatermark(ctx, u.ID, failed))
	must(t, s.DeleteWatermark(ctx, u.ID, failed))
	must(t, s.AddWatermark(ctx, u.ID, failed, 42))
	if err := s.AddWatermark(ctx, u.ID, syn.ID, 7); app.ErrorCode(err) != app.EConflict {
		t.Errorf("another user's DeleteWatermark removed the payload: %v, want conflict", err)
	}
	wantCode(t, s.AddWatermark(ctx, app.NewID(), app.NewID(), 9), app.ENotFound)
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
