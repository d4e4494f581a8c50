package apptest

import (
	"reflect"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// testConsent: a challenge is the user's alone; it is answered once and
// not after it expires; only a verified, unused consent recent enough is
// usable, the newest first; it is used once; it goes with the account.
func testConsent(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	c := app.Consent{ID: app.NewID(), UserID: alice.ID, Statement: "I agree", Words: []string{"apple", "river"},
		CreatedAt: T0, ExpiresAt: T0.Add(10 * time.Minute)}
	createConsent(t, s, c)
	got, err := s.FindConsent(ctx, alice.ID, c.ID)
	must(t, err)
	if !reflect.DeepEqual(got, c) {
		t.Errorf("FindConsent =\n%+v, want\n%+v", got, c)
	}
	_, err = s.FindConsent(ctx, bob.ID, c.ID)
	wantCode(t, err, app.ENotFound)
	wantCode(t, s.AnswerConsent(ctx, bob.ID, c.ID, T0.Add(time.Minute)), app.ENotFound)
	wantCode(t, s.VerifyConsent(ctx, alice.ID, c.ID, T0.Add(time.Minute), []byte("p")), app.ENotFound) // unanswered
	_, err = s.UsableConsent(ctx, alice.ID, T0)
	wantCode(t, err, app.ENotFound)

	at := T0.Add(time.Minute)
	must(t, s.AnswerConsent(ctx, alice.ID, c.ID, at))
	wantCode(t, s.AnswerConsent(ctx, alice.ID, c.ID, at), app.ENotFound) // single use
	_, err = s.UsableConsent(ctx, alice.ID, T0)
	wantCode(t, err, app.ENotFound) // answered is not verified
	wantCode(t, s.VerifyConsent(ctx, bob.ID, c.ID, at, []byte("print")), app.ENotFound)
	must(t, s.VerifyConsent(ctx, alice.ID, c.ID, at, []byte("print")))
	wantCode(t, s.VerifyConsent(ctx, alice.ID, c.ID, at, []byte("other")), app.ENotFound)

	got, err = s.UsableConsent(ctx, alice.ID, T0)
	must(t, err)
	if got.ID != c.ID || string(got.Print) != "print" || got.VerifiedAt == nil || !got.VerifiedAt.Equal(at) ||
		got.AnsweredAt == nil || !got.AnsweredAt.Equal(at) {
		t.Errorf("UsableConsent = %+v", got)
	}
	_, err = s.UsableConsent(ctx, alice.ID, at.Add(time.Microsecond))
	wantCode(t, err, app.ENotFound) // too old
	_, err = s.UsableConsent(ctx, bob.ID, T0)
	wantCode(t, err, app.ENotFound)

	// A newer verified consent comes first.
	c2 := app.Consent{ID: app.NewID(), UserID: alice.ID, Statement: "I agree", Words: []string{"lemon"},
		CreatedAt: T0, ExpiresAt: T0.Add(10 * time.Minute)}
	createConsent(t, s, c2)
	must(t, s.AnswerConsent(ctx, alice.ID, c2.ID, at.Add(time.Second)))
	must(t, s.VerifyConsent(ctx, alice.ID, c2.ID, at.Add(time.Second), []byte("print2")))
	if got, err := s.UsableConsent(ctx, alice.ID, T0); err != nil || got.ID != c2.ID {
		t.Errorf("UsableConsent = %v, %v; want the newer %s", got.ID, err, c2.ID)
	}
	wantCode(t, s.UseConsent(ctx, bob.ID, c2.ID, "m1"), app.ENotFound)
	must(t, s.UseConsent(ctx, alice.ID, c2.ID, "m1"))
	wantCode(t, s.UseConsent(ctx, alice.ID, c2.ID, "m2"), app.ENotFound)
	if got, err := s.UsableConsent(ctx, alice.ID, T0); err != nil || got.ID != c.ID {
		t.Errorf("after using the newer, UsableConsent = %v, %v; want %s", got.ID, err, c.ID)
	}
	if got, _ := s.FindConsent(ctx, alice.ID, c2.ID); got.UsedFor != "m1" {
		t.Errorf("UsedFor = %q, want m1", got.UsedFor)
	}

	// An expired challenge cannot be answered.
	old := app.Consent{ID: app.NewID(), UserID: alice.ID, Statement: "I agree", Words: []string{"x"},
		CreatedAt: T0, ExpiresAt: T0.Add(10 * time.Minute)}
	createConsent(t, s, old)
	wantCode(t, s.AnswerConsent(ctx, alice.ID, old.ID, T0.Add(10*time.Minute)), app.ENotFound)

	// The export lists a user's challenges, whatever became of them, and
	// only theirs.
	bobs := app.Consent{ID: app.NewID(), UserID: bob.ID, Statement: "I agree", Words: []string{"pear"},
		CreatedAt: T0.Add(time.Hour), ExpiresAt: T0.Add(time.Hour + 10*time.Minute)}
	createConsent(t, s, bobs)
	list, err := s.ListConsents(ctx, alice.ID)
	must(t, err)
	want := map[string]bool{c.ID: true, c2.ID: true, old.ID: true}
	for _, got := range list {
		if !want[got.ID] || got.UserID != alice.ID {
			t.Errorf("ListConsents(alice) holds %+v", got)
		}
		delete(want, got.ID)
		if got.ID == c2.ID && (got.UsedFor != "m1" || string(got.Print) != "print2" || got.VerifiedAt == nil) {
			t.Errorf("ListConsents: the used consent reads back as %+v", got)
		}
	}
	if len(want) != 0 || len(list) != 3 {
		t.Errorf("ListConsents(alice) = %d challenges, missing %v", len(list), want)
	}
	if list, err := s.ListConsents(ctx, bob.ID); err != nil || len(list) != 1 || list[0].ID != bobs.ID {
		t.Errorf("ListConsents(bob) = %+v, %v", list, err)
	}

	_, err = s.DeleteUser(ctx, alice.ID, nil)
	must(t, err)
	_, err = s.FindConsent(ctx, alice.ID, c.ID)
	wantCode(t, err, app.ENotFound)
	if list, err := s.ListConsents(ctx, alice.ID); err != nil || len(list) != 0 {
		t.Errorf("after deleting the account, ListConsents = %+v, %v", list, err)
	}
}
