package app_test

import (
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// unstorable are strings PostgreSQL cannot hold as text (SQLite can): NUL,
// a stray byte, an overlong NUL and a UTF-16 surrogate.
var unstorable = []string{"ab\x00cd", "ab\xffcd", "\xc0\x80", "\xed\xa0\x80"}

// TestUnstorableInput gives every Service method that takes an id or text
// from a client strings no store can hold. On both stores, an id must be
// ENotFound with the very answer an unknown id gets, and text EInvalid:
// unchecked, PostgreSQL failed with an internal error where SQLite
// answered, and synthesis ran before the history insert failed.
func TestUnstorableInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), voice.New(voice.Config{}))
		ctx := t.Context()
		u, _ := f.register(t, "ada@example.com")
		byID := map[string]func(id string) error{
			"GetModel":     func(id string) error { _, err := f.svc.GetModel(ctx, u.ID, id); return err },
			"ModelSummary": func(id string) error { _, err := f.svc.ModelSummary(ctx, u.ID, id); return err },
			"UpdateModel": func(id string) error {
				name := "x"
				_, err := f.svc.UpdateModel(ctx, u.ID, id, app.ModelUpdate{Name: &name})
				return err
			},
			"DeleteModel":  func(id string) error { return f.svc.DeleteModel(ctx, u.ID, id) },
			"DeleteSample": func(id string) error { return f.svc.DeleteSample(ctx, u.ID, id) },
			"DeleteAPIKey": func(id string) error { return f.svc.DeleteAPIKey(ctx, u.ID, id) },
			"OpenHistoryAudio": func(id string) error {
				_, rc, err := f.svc.OpenHistoryAudio(ctx, u.ID, id)
				if rc != nil {
					rc.Close()
				}
				return err
			},
			"Synthesize": func(id string) error {
				_, _, err := f.svc.Synthesize(ctx, u.ID, app.SynthesizeInput{ModelID: id, Text: "Hello."})
				return err
			},
		}
		for name, call := range byID {
			unknown := call(app.NewID())
			wantCode(t, unknown, app.ENotFound)
			for _, id := range unstorable {
				if err := call(id); app.ErrorCode(err) != app.ENotFound || app.ErrorMessage(err) != app.ErrorMessage(unknown) {
					t.Errorf("%s(%q) = %v; want %v, as for an unknown id", name, id, err, unknown)
				}
			}
		}
		for _, id := range unstorable {
			_, err := f.svc.CreateModel(ctx, u.ID, app.CreateModelInput{SampleIDs: []string{id}})
			wantCode(t, err, app.ENotFound)
			_, _, err = f.svc.Synthesize(ctx, u.ID, app.SynthesizeInput{ModelID: app.NewID(), Text: "hi " + id})
			wantCode(t, err, app.EInvalid)
			_, _, err = f.svc.LoginFrom(ctx, app.Credentials{Email: "a" + id + "@x.io", Password: "correct horse battery"})
			wantCode(t, err, app.EInvalid)
			_, _, _, err = f.svc.RegisterFrom(ctx, app.Credentials{Email: "a" + id + "@x.io", Password: "correct horse battery"})
			wantCode(t, err, app.EInvalid)
		}
	})
}
