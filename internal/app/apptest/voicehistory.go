package apptest

import (
	"reflect"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// testHistoryVoice checks entries in a built-in voice: they name no model,
// read back whole, page with the others, outlive the deletion of a model,
// and an entry naming neither a model nor a voice is refused.
func testHistoryVoice(t *testing.T, s app.Store) {
	ctx := t.Context()
	u := newUser(t, s)
	m := newModel(t, s, u, 0, newSample(t, s, u, 0))
	id := app.NewID()
	v := app.Synthesis{ID: id, UserID: u.ID, Voice: "slt", Text: "Built in.", Format: "mp3",
		Speed: 1, SampleRate: 16000, DurationSeconds: 0.8, SizeBytes: 4000,
		AudioKey: "audio/" + id + ".mp3", CreatedAt: T0.Add(time.Second)}
	must(t, s.CreateSynthesis(ctx, v))
	h := newSynthesis(t, s, u, m, T0)
	got, err := s.FindSynthesis(ctx, u.ID, v.ID)
	must(t, err)
	if !reflect.DeepEqual(got, v) {
		t.Errorf("FindSynthesis =\n%+v, want\n%+v", got, v)
	}
	list, err := s.ListHistory(ctx, u.ID, 10, nil)
	must(t, err)
	if !reflect.DeepEqual(list, []app.Synthesis{v, h}) {
		t.Errorf("ListHistory = %v, want the voice entry then the model's", synIDs(list))
	}
	_, keys, err := s.DeleteModel(ctx, u.ID, m.ID)
	must(t, err)
	if !reflect.DeepEqual(keys, []string{h.AudioKey}) {
		t.Errorf("DeleteModel audio keys = %v, want only the model's entry", keys)
	}
	if _, err := s.FindSynthesis(ctx, u.ID, v.ID); err != nil {
		t.Errorf("voice entry after deleting a model: %v", err)
	}
	none := v
	none.ID, none.Voice, none.AudioKey = app.NewID(), "", "audio/"+app.NewID()+".mp3"
	if err := s.CreateSynthesis(ctx, none); err == nil {
		t.Error("an entry with neither a model nor a voice was stored")
	}
}

// CheckPreVoiceHistory checks the entry an upgrade test stored before
// migration 0004 (the built-in voice): user u1, model m1, entry s1 at
// speed 1.5 with similarity 0.5. It must keep its model and have no voice.
func CheckPreVoiceHistory(t *testing.T, s app.HistoryStore) {
	t.Helper()
	got, err := s.FindSynthesis(t.Context(), "u1", "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ModelID != "m1" || got.Voice != "" || got.Speed != 1.5 || got.Similarity == nil || *got.Similarity != 0.5 {
		t.Errorf("old entry after migration: %+v, want model m1, no voice, speed 1.5, similarity 0.5", got)
	}
}
