package apptest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// maxOpen is the open-challenge bound the suite's fixtures create under
// when a test is not about it.
const maxOpen = 100

// createConsent stores c, which must be accepted.
func createConsent(t *testing.T, s app.Store, c app.Consent) {
	t.Helper()
	_, err := s.CreateConsent(t.Context(), c, maxOpen)
	must(t, err)
}

// challengeAt is an unanswered challenge of u's issued at at, open for
// ten minutes.
func challengeAt(u app.User, at time.Time) app.Consent {
	return app.Consent{ID: app.NewID(), UserID: u.ID, Statement: "I agree", Words: []string{"apple"},
		CreatedAt: at, ExpiresAt: at.Add(10 * time.Minute)}
}

// testConsentOpen: a user holds at most maxOpen open (unanswered,
// unexpired) challenges; a refusal stores nothing and names the first
// expiry; answering or expiry frees a slot; users do not share slots.
func testConsentOpen(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	const limit = 3
	var open []app.Consent
	for i := range limit {
		c := challengeAt(alice, T0.Add(time.Duration(i)*time.Minute))
		if _, err := s.CreateConsent(ctx, c, limit); err != nil {
			t.Fatalf("challenge %d: %v", i+1, err)
		}
		open = append(open, c)
	}
	refuse := func(at time.Time, wantFirst time.Time) {
		t.Helper()
		first, err := s.CreateConsent(ctx, challengeAt(alice, at), limit)
		wantCode(t, err, app.ERateLimited)
		if !first.Equal(wantFirst) {
			t.Errorf("refused at %v: first expiry %v, want %v", at.Sub(T0), first, wantFirst)
		}
	}
	refuse(T0.Add(3*time.Minute), open[0].ExpiresAt)
	if list, _ := s.ListConsents(ctx, alice.ID); len(list) != limit {
		t.Errorf("a refused challenge was stored: %d challenges", len(list))
	}
	if _, err := s.CreateConsent(ctx, challengeAt(bob, T0.Add(3*time.Minute)), limit); err != nil {
		t.Errorf("bob's first challenge: %v", err)
	}

	// An answered challenge is no longer open.
	must(t, s.AnswerConsent(ctx, alice.ID, open[0].ID, T0.Add(4*time.Minute)))
	fourth := challengeAt(alice, T0.Add(4*time.Minute))
	if _, err := s.CreateConsent(ctx, fourth, limit); err != nil {
		t.Fatalf("after answering one: %v", err)
	}
	refuse(T0.Add(5*time.Minute), open[1].ExpiresAt)
	// Nor is an expired one, from the moment it expires.
	if _, err := s.CreateConsent(ctx, challengeAt(alice, open[1].ExpiresAt), limit); err != nil {
		t.Errorf("when the oldest open one expires: %v", err)
	}
	refuse(open[1].ExpiresAt.Add(time.Second), open[2].ExpiresAt)

	_, err := s.CreateConsent(ctx, app.Consent{ID: app.NewID(), UserID: app.NewID(), Statement: "I agree",
		Words: []string{"x"}, CreatedAt: T0, ExpiresAt: T0.Add(time.Minute)}, limit)
	wantCode(t, err, app.ENotFound) // no such user
}

// raceConsent issues n challenges for one user concurrently, spread over
// stores, and checks exactly limit were stored.
func raceConsent(t *testing.T, stores []app.Store, n, limit int) {
	t.Helper()
	u := newUser(t, stores[0])
	var created, refused atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			c := challengeAt(u, T0.Add(time.Duration(i)*time.Millisecond))
			_, err := stores[i%len(stores)].CreateConsent(t.Context(), c, limit)
			switch app.ErrorCode(err) {
			case "":
				created.Add(1)
			case app.ERateLimited:
				refused.Add(1)
			default:
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("CreateConsent: %v", err)
	}
	list, err := stores[0].ListConsents(t.Context(), u.ID)
	must(t, err)
	if int(created.Load()) != limit || len(list) != limit {
		t.Fatalf("%d concurrent challenges over %d stores: %d created, %d stored, want exactly %d",
			n, len(stores), created.Load(), len(list), limit)
	}
}

// testConsentPrune: pruning deletes the challenges created before the
// cut-off, whatever became of them, except those used for a model that
// still exists; once that model is deleted they go too. Newer ones stay.
func testConsentPrune(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	unanswered, refused := challengeAt(alice, T0), challengeAt(alice, T0)
	verified, used, usedGone := challengeAt(alice, T0), challengeAt(alice, T0), challengeAt(alice, T0)
	recent, bobs := challengeAt(alice, T0.Add(time.Hour)), challengeAt(bob, T0)
	for _, c := range []app.Consent{unanswered, refused, verified, used, usedGone, recent, bobs} {
		createConsent(t, s, c)
	}
	at := T0.Add(time.Minute)
	for _, c := range []app.Consent{refused, verified, used, usedGone} {
		must(t, s.AnswerConsent(ctx, alice.ID, c.ID, at))
	}
	for _, c := range []app.Consent{verified, used, usedGone} {
		must(t, s.VerifyConsent(ctx, alice.ID, c.ID, at, []byte("print")))
	}
	model, gone := newModel(t, s, alice, 0), newModel(t, s, alice, 1)
	must(t, s.UseConsent(ctx, alice.ID, used.ID, model.ID))
	must(t, s.UseConsent(ctx, alice.ID, usedGone.ID, gone.ID))
	_, _, err := s.DeleteModel(ctx, alice.ID, gone.ID)
	must(t, err)

	n, err := s.PruneConsents(ctx, T0.Add(time.Hour))
	must(t, err)
	if n != 5 {
		t.Errorf("PruneConsents deleted %d, want 5", n)
	}
	kept := map[string]bool{}
	for _, u := range []app.User{alice, bob} {
		list, err := s.ListConsents(ctx, u.ID)
		must(t, err)
		for _, c := range list {
			kept[c.ID] = true
		}
	}
	if len(kept) != 2 || !kept[used.ID] || !kept[recent.ID] {
		t.Errorf("after pruning, kept %v; want only the one model %s was cloned under and the recent one", kept, model.ID)
	}
	if got, err := s.FindConsent(ctx, alice.ID, used.ID); err != nil || got.UsedFor != model.ID || string(got.Print) != "print" {
		t.Errorf("the consent a model was cloned under reads back as %+v, %v", got, err)
	}

	_, _, err = s.DeleteModel(ctx, alice.ID, model.ID)
	must(t, err)
	if n, err := s.PruneConsents(ctx, T0.Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("after its model is deleted, PruneConsents = %d, %v; want 1", n, err)
	}
	if n, err := s.PruneConsents(ctx, T0.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("pruning again = %d, %v; want 0", n, err)
	}
}

// raceAnswer answers one challenge n times at once, spread over stores,
// then verifies it and uses the consent n times at once: exactly one
// answer and one use succeed, the others are ENotFound, as two uploads of
// one phrase, or two clones under one consent, in any processes.
func raceAnswer(t *testing.T, stores []app.Store, n int) {
	t.Helper()
	u := newUser(t, stores[0])
	c := challengeAt(u, T0)
	createConsent(t, stores[0], c)
	race := func(what string, fn func(s app.Store, i int) error) {
		t.Helper()
		var won atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Go(func() {
				switch err := fn(stores[i%len(stores)], i); app.ErrorCode(err) {
				case "":
					won.Add(1)
				case app.ENotFound:
				default:
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("%s: %v", what, err)
		}
		if won.Load() != 1 {
			t.Fatalf("%d concurrent %s over %d stores: %d succeeded, want exactly 1", n, what, len(stores), won.Load())
		}
	}
	race("answers", func(s app.Store, i int) error {
		return s.AnswerConsent(t.Context(), u.ID, c.ID, T0.Add(time.Minute+time.Duration(i)*time.Millisecond))
	})
	got, err := stores[0].FindConsent(t.Context(), u.ID, c.ID)
	must(t, err)
	must(t, stores[0].VerifyConsent(t.Context(), u.ID, c.ID, *got.AnsweredAt, []byte("print")))
	race("uses", func(s app.Store, i int) error {
		return s.UseConsent(t.Context(), u.ID, c.ID, app.NewID())
	})
}
