package apptest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// testBlobRefs: every key a sample, a ready model or a history entry
// names is listed once, in byte order, page by page; keys of deleted rows
// are not; pending models (no profile yet) name none.
func testBlobRefs(t *testing.T, s app.Store) {
	ctx := t.Context()
	var want []string
	for range 3 {
		u := newUser(t, s)
		smp := newSample(t, s, u, 0)
		m := newModel(t, s, u, 1, smp)
		syn := newSynthesis(t, s, u, m, T0)
		want = append(want, smp.BlobKey, m.ProfileKey, syn.AudioKey)
	}
	u := newUser(t, s)
	gone := newSample(t, s, u, 0)
	_, err := s.DeleteSample(ctx, u.ID, gone.ID)
	must(t, err)
	pending := newModel(t, s, u, 2)
	_, _, err = s.DeleteModel(ctx, u.ID, pending.ID)
	must(t, err)
	must(t, s.CreateModel(ctx, app.Model{ID: app.NewID(), UserID: u.ID, Name: "p", Status: app.ModelPending,
		Engine: "test/1", CreatedAt: T0, UpdatedAt: T0, SampleIDs: []string{}}, nil))
	slices.Sort(want)

	var got []string
	for after := ""; ; {
		page, err := s.BlobRefs(ctx, after, 4)
		must(t, err)
		got = append(got, page...)
		if len(page) < 4 {
			break
		}
		after = page[len(page)-1]
	}
	if !slices.Equal(got, want) {
		t.Errorf("BlobRefs paged by 4 = %v, want %v", got, want)
	}
	for _, k := range want {
		ok, err := s.BlobReferenced(ctx, k)
		must(t, err)
		if !ok {
			t.Errorf("BlobReferenced(%s) = false", k)
		}
	}
	for _, k := range []string{gone.BlobKey, pending.ProfileKey, "", BlobKey("audio", "wav")} {
		if ok, err := s.BlobReferenced(ctx, k); err != nil || ok {
			t.Errorf("BlobReferenced(%q) = %v, %v; want false", k, ok, err)
		}
	}
}

// testBlobSweeps: the last sweep's outcome is kept, one at a time.
func testBlobSweeps(t *testing.T, s app.Store) {
	ctx := t.Context()
	_, err := s.LastBlobSweep(ctx)
	wantCode(t, err, app.ENotFound)
	first := app.BlobSweep{At: T0, Blobs: 10, Deleted: 2, Missing: 2, MissingKeys: []string{"audio/a.wav", "samples/b.wav"}}
	must(t, s.SaveBlobSweep(ctx, first))
	got, err := s.LastBlobSweep(ctx)
	must(t, err)
	if !reflect.DeepEqual(got, first) {
		t.Errorf("LastBlobSweep = %+v, want %+v", got, first)
	}
	second := app.BlobSweep{At: T0.Add(3600e9), Blobs: 8}
	must(t, s.SaveBlobSweep(ctx, second))
	if got, err = s.LastBlobSweep(ctx); err != nil || !reflect.DeepEqual(got, second) {
		t.Errorf("after a second sweep LastBlobSweep = %+v, %v; want %+v", got, err, second)
	}
}
