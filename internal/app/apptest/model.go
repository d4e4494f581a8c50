package apptest

import (
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

func testModels(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	a1, a2, a3 := newSample(t, s, alice, 0), newSample(t, s, alice, 1), newSample(t, s, alice, 2)
	b1 := newSample(t, s, bob, 0)

	m1 := newModel(t, s, alice, 10, a3, a1) // order is kept
	got, err := s.FindModel(ctx, alice.ID, m1.ID)
	must(t, err)
	if !reflect.DeepEqual(got, m1) {
		t.Errorf("FindModel =\n%+v, want\n%+v", got, m1)
	}
	_, err = s.FindModel(ctx, bob.ID, m1.ID)
	wantCode(t, err, app.ENotFound)

	// Another user's sample: not found, and nothing is left behind.
	bad := app.Model{ID: app.NewID(), UserID: alice.ID, Name: "x", Status: app.ModelReady,
		Engine: "e", CreatedAt: T0, UpdatedAt: T0, SampleIDs: []string{a2.ID, b1.ID}}
	wantCode(t, s.CreateModel(ctx, bad, nil), app.ENotFound)
	_, err = s.FindModel(ctx, alice.ID, bad.ID)
	wantCode(t, err, app.ENotFound)

	failed := app.Model{ID: app.NewID(), UserID: alice.ID, Name: "broken", Status: app.ModelFailed,
		Failure: "no speech", Engine: "e", CreatedAt: T0.Add(20 * time.Second),
		UpdatedAt: T0.Add(20 * time.Second), SampleIDs: []string{a2.ID}}
	must(t, s.CreateModel(ctx, failed, nil))
	list, err := s.ListModels(ctx, alice.ID)
	must(t, err)
	if len(list) != 2 || !reflect.DeepEqual(list[0], failed) || !reflect.DeepEqual(list[1], m1) {
		t.Errorf("ListModels =\n%+v, want [failed m1]", list)
	}
	if list, err := s.ListModels(ctx, bob.ID); err != nil || list == nil || len(list) != 0 {
		t.Errorf("ListModels(bob) = %#v, %v; want empty non-nil", list, err)
	}

	name, at := "renamed", T0.Add(time.Hour)
	_, err = s.UpdateModel(ctx, bob.ID, m1.ID, app.ModelUpdate{Name: &name}, at)
	wantCode(t, err, app.ENotFound)
	upd, err := s.UpdateModel(ctx, alice.ID, m1.ID, app.ModelUpdate{Name: &name}, at)
	must(t, err)
	if upd.Name != name || upd.Description != m1.Description || !upd.UpdatedAt.Equal(at) || !upd.CreatedAt.Equal(m1.CreatedAt) {
		t.Errorf("UpdateModel = %+v, want name %q, description kept, updated at %v", upd, name, at)
	}
	empty := ""
	upd, err = s.UpdateModel(ctx, alice.ID, m1.ID, app.ModelUpdate{Description: &empty}, at)
	must(t, err)
	if upd.Name != name || upd.Description != "" {
		t.Errorf("UpdateModel(description) = %+v", upd)
	}

	// Deleting a used sample unlinks it; the model stays.
	_, err = s.DeleteSample(ctx, alice.ID, a3.ID)
	must(t, err)
	got, err = s.FindModel(ctx, alice.ID, m1.ID)
	must(t, err)
	if !reflect.DeepEqual(got.SampleIDs, []string{a1.ID}) || got.Status != app.ModelReady {
		t.Errorf("after sample delete, model = %+v, want samples [a1], ready", got)
	}
}

func testModelDelete(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	a1 := newSample(t, s, alice, 0)
	m1, m2 := newModel(t, s, alice, 1, a1), newModel(t, s, alice, 2, a1)
	h1 := newSynthesis(t, s, alice, m1, T0)
	h2 := newSynthesis(t, s, alice, m1, T0.Add(time.Second))
	h3 := newSynthesis(t, s, alice, m2, T0)

	_, _, err := s.DeleteModel(ctx, bob.ID, m1.ID)
	wantCode(t, err, app.ENotFound)
	del, keys, err := s.DeleteModel(ctx, alice.ID, m1.ID)
	must(t, err)
	if del.ProfileKey != m1.ProfileKey {
		t.Errorf("DeleteModel profile key = %q, want %q", del.ProfileKey, m1.ProfileKey)
	}
	if len(keys) != 2 || !(keys[0] == h1.AudioKey && keys[1] == h2.AudioKey || keys[0] == h2.AudioKey && keys[1] == h1.AudioKey) {
		t.Errorf("DeleteModel audio keys = %v, want h1, h2", keys)
	}
	_, err = s.FindSynthesis(ctx, alice.ID, h1.ID)
	wantCode(t, err, app.ENotFound)
	if _, err := s.FindSynthesis(ctx, alice.ID, h3.ID); err != nil {
		t.Errorf("other model's history went away: %v", err)
	}
	if _, err := s.FindSample(ctx, alice.ID, a1.ID); err != nil {
		t.Errorf("sample went away with the model: %v", err)
	}
	_, _, err = s.DeleteModel(ctx, alice.ID, m1.ID)
	wantCode(t, err, app.ENotFound)
}

func testHistory(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	m := newModel(t, s, alice, 0, newSample(t, s, alice, 0))
	bm := newModel(t, s, bob, 0, newSample(t, s, bob, 0))

	// Seven entries, several sharing a timestamp, so the id breaks ties.
	var want []app.Synthesis
	for i := range 7 {
		want = append(want, newSynthesis(t, s, alice, m, T0.Add(time.Duration(i/3)*time.Second)))
	}
	newSynthesis(t, s, bob, bm, T0.Add(time.Hour))
	sortNewestFirst(want)

	got, err := s.FindSynthesis(ctx, alice.ID, want[0].ID)
	must(t, err)
	if !reflect.DeepEqual(got, want[0]) {
		t.Errorf("FindSynthesis =\n%+v, want\n%+v", got, want[0])
	}
	_, err = s.FindSynthesis(ctx, bob.ID, want[0].ID)
	wantCode(t, err, app.ENotFound)

	var all []app.Synthesis
	var after *app.HistoryCursor
	for range 10 {
		page, err := s.ListHistory(ctx, alice.ID, 3, after)
		must(t, err)
		all = append(all, page...)
		if len(page) < 3 {
			break
		}
		last := page[len(page)-1]
		after = &app.HistoryCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("paged history ids = %v, want %v", synIDs(all), synIDs(want))
	}

	// A history entry must name one of the user's own models.
	foreign := app.Synthesis{ID: app.NewID(), UserID: alice.ID, ModelID: bm.ID, Text: "x",
		Format: "wav", AudioKey: "audio/" + app.NewID() + ".wav", CreatedAt: T0}
	wantCode(t, s.CreateSynthesis(ctx, foreign), app.ENotFound)
}

// testHistorySimilarity checks that the similarity setting survives the
// store, that 0 stays distinct from unknown, and that an entry stored
// without one (as those from before it was recorded) reads back nil.
func testHistorySimilarity(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := newUser(t, s)
	m := newModel(t, s, u, 0, newSample(t, s, u, 0))
	var want []app.Synthesis
	for i, sim := range []*float64{ptr(0.3), nil, ptr(0.0), ptr(1.0)} {
		want = append(want, createSynthesis(t, s, u, m, T0.Add(time.Duration(i)*time.Second), sim))
	}
	for _, w := range want {
		got, err := s.FindSynthesis(ctx, u.ID, w.ID)
		must(t, err)
		if !reflect.DeepEqual(got.Similarity, w.Similarity) {
			t.Errorf("FindSynthesis similarity = %s, want %s", fmtSim(got.Similarity), fmtSim(w.Similarity))
		}
	}
	list, err := s.ListHistory(ctx, u.ID, 10, nil)
	must(t, err)
	sortNewestFirst(want)
	if !reflect.DeepEqual(list, want) {
		var got, exp []string
		for i := range list {
			got = append(got, fmtSim(list[i].Similarity))
		}
		for i := range want {
			exp = append(exp, fmtSim(want[i].Similarity))
		}
		t.Errorf("ListHistory similarities = %v, want %v (or other fields differ)", got, exp)
	}
}

func fmtSim(p *float64) string {
	if p == nil {
		return "nil"
	}
	return strconv.FormatFloat(*p, 'g', -1, 64)
}

func sortNewestFirst(h []app.Synthesis) {
	for i := 1; i < len(h); i++ {
		for j := i; j > 0 && newer(h[j], h[j-1]); j-- {
			h[j], h[j-1] = h[j-1], h[j]
		}
	}
}

func newer(a, b app.Synthesis) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID > b.ID
}

func synIDs(h []app.Synthesis) []string {
	var ids []string
	for _, s := range h {
		ids = append(ids, s.ID[:6])
	}
	return ids
}
