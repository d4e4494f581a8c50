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
// payload.
func testWatermarks(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := newUser(t, s)
	m := newModel(t, s, u, 0, newSample(t, s, u, 0))
	old := newSynthesis(t, s, u, m, T0)
	syn := newSynthesis(t, s, u, m, T0.Add(time.Second))
	must(t, s.AddWatermark(ctx, old.ID, 0xFFFFFFFF))
	must(t, s.AddWatermark(ctx, syn.ID, 0xFFFFFFFF))
	got, err := s.FindWatermark(ctx, 0xFFFFFFFF)
	must(t, err)
	if !reflect.DeepEqual(got, syn) {
		t.Errorf("FindWatermark =\n%+v, want the newer\n%+v", got, syn)
	}
	if err := s.AddWatermark(ctx, syn.ID, 7); app.ErrorCode(err) != app.EConflict {
		t.Errorf("a second payload for one synthesis: %v, want conflict", err)
	}
	must(t, s.AddWatermark(ctx, app.NewID(), 42)) // rendering failed: no history entry
	if _, err := s.FindWatermark(ctx, 42); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("payload without a history entry: %v, want not found", err)
	}
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
