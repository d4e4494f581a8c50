package apptest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

func testRateLimit(t *testing.T, s app.Store) {
	ctx := t.Context()
	const limit, window = 3, time.Hour
	subj := app.NewID()
	take := func(at time.Time, action app.Action) app.RateDecision {
		t.Helper()
		d, err := s.TakeRate(ctx, subj, action, limit, window, at)
		must(t, err)
		return d
	}
	for i := range limit {
		at := T0.Add(time.Duration(i) * time.Minute)
		if d := take(at, app.ActionSynthesize); !d.Allowed || d.Used != i+1 || !d.Oldest.Equal(T0) {
			t.Fatalf("request %d: %+v, want allowed, used %d, oldest %v", i+1, d, i+1, T0)
		}
	}
	d := take(T0.Add(10*time.Minute), app.ActionSynthesize)
	if d.Allowed || d.Used != limit || !d.Oldest.Equal(T0) {
		t.Fatalf("over the limit: %+v, want refused, used %d, oldest %v", d, limit, T0)
	}
	// Other actions and subjects have their own budgets.
	if d := take(T0.Add(10*time.Minute), app.ActionUpload); !d.Allowed || d.Used != 1 {
		t.Errorf("other action: %+v, want allowed", d)
	}
	if d, _ := s.TakeRate(ctx, app.NewID(), app.ActionSynthesize, limit, window, T0); !d.Allowed {
		t.Errorf("other subject refused: %+v", d)
	}
	// Exactly one window after the first request, its slot is free again.
	d = take(T0.Add(window), app.ActionSynthesize)
	if !d.Allowed || d.Used != limit || !d.Oldest.Equal(T0.Add(time.Minute)) {
		t.Errorf("after the window: %+v, want allowed, used %d, oldest T0+1m", d, limit)
	}
	// Refused requests are not counted: much later, the window is empty.
	d = take(T0.Add(5*window), app.ActionSynthesize)
	if !d.Allowed || d.Used != 1 {
		t.Errorf("much later: %+v, want allowed with used 1", d)
	}
}

func testRateParallel(t *testing.T, s app.Store) {
	raceRate(t, []app.Store{s}, 40, 15)
}

// raceRate takes n requests concurrently, spread over stores, against one
// limit, and checks exactly limit were allowed.
func raceRate(t *testing.T, stores []app.Store, n, limit int) {
	t.Helper()
	subj := app.NewID()
	var allowed atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			s := stores[i%len(stores)]
			d, err := s.TakeRate(t.Context(), subj, app.ActionClone, limit, time.Hour,
				T0.Add(time.Duration(i)*time.Millisecond))
			if err != nil {
				errs <- err
				return
			}
			if d.Allowed {
				allowed.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("TakeRate: %v", err)
	}
	if got := int(allowed.Load()); got != limit {
		t.Fatalf("%d concurrent requests over %d stores: %d allowed, want exactly %d", n, len(stores), got, limit)
	}
}

// SharedStoreSuite checks what must hold between two app.Store values open
// on the same database, as when several voxclone processes share it: rate
// limits, leases and the bound on open consent challenges hold across them, and
// one sees what the other wrote. open2 must
// return two stores on one fresh, migrated database.
func SharedStoreSuite(t *testing.T, open2 func(t *testing.T) (app.Store, app.Store)) {
	t.Run("RateAcrossStores", func(t *testing.T) {
		a, b := open2(t)
		raceRate(t, []app.Store{a, b}, 40, 15)
	})
	t.Run("ConsentAcrossStores", func(t *testing.T) {
		a, b := open2(t)
		raceConsent(t, []app.Store{a, b}, 20, 3)
	})
	t.Run("AnswerAcrossStores", func(t *testing.T) {
		a, b := open2(t)
		raceAnswer(t, []app.Store{a, b}, 16)
	})
	t.Run("LeaseAcrossStores", func(t *testing.T) {
		a, b := open2(t)
		raceLease(t, []app.Store{a, b}, 16)
	})
	t.Run("JobOnceAcrossStores", func(t *testing.T) {
		a, b := open2(t)
		u := newUser(t, a)
		j := newJob(t, a, u, newModel(t, a, u, 0), 1, "Once.")
		finishOnce(t, []app.Store{a, b}, u, j, 8)
	})
	t.Run("Visibility", func(t *testing.T) {
		a, b := open2(t)
		u := newUser(t, a)
		got, err := b.FindUserByID(t.Context(), u.ID)
		must(t, err)
		if got.Email != u.Email {
			t.Errorf("second store sees %+v, want %+v", got, u)
		}
	})
}

// testRateRelease checks that a released request frees exactly its slot,
// only for its own subject and action.
func testRateRelease(t *testing.T, s app.Store) {
	ctx := t.Context()
	const limit, window = 2, time.Hour
	subj := app.NewID()
	at1, at2 := T0, T0.Add(time.Second)
	for _, at := range []time.Time{at1, at2} {
		d, err := s.TakeRate(ctx, subj, app.ActionLogin, limit, window, at)
		must(t, err)
		if !d.Allowed {
			t.Fatalf("take at %v refused: %+v", at, d)
		}
	}
	// Releasing what another subject, action or instant counted is a no-op.
	must(t, s.ReleaseRate(ctx, app.NewID(), app.ActionLogin, at1))
	must(t, s.ReleaseRate(ctx, subj, app.ActionRegister, at1))
	must(t, s.ReleaseRate(ctx, subj, app.ActionLogin, T0.Add(time.Microsecond)))
	if d, err := s.TakeRate(ctx, subj, app.ActionLogin, limit, window, T0.Add(time.Minute)); err != nil || d.Allowed {
		t.Fatalf("after unrelated releases: %+v, %v; want refused", d, err)
	}
	must(t, s.ReleaseRate(ctx, subj, app.ActionLogin, at1))
	d, err := s.TakeRate(ctx, subj, app.ActionLogin, limit, window, T0.Add(2*time.Minute))
	must(t, err)
	// The slot of at1 is free; at2 is now the oldest.
	if !d.Allowed || d.Used != limit || !d.Oldest.Equal(at2) {
		t.Errorf("after releasing the first request: %+v, want allowed, used %d, oldest %v", d, limit, at2)
	}
	// Two requests in the same microsecond: a release frees only one.
	subj2 := app.NewID()
	for range 2 {
		_, err := s.TakeRate(ctx, subj2, app.ActionLogin, limit, window, T0)
		must(t, err)
	}
	must(t, s.ReleaseRate(ctx, subj2, app.ActionLogin, T0))
	if d, _ := s.TakeRate(ctx, subj2, app.ActionLogin, limit, window, T0); !d.Allowed || d.Used != limit {
		t.Errorf("after one release of two equal instants: %+v, want allowed with used %d", d, limit)
	}
	if d, _ := s.TakeRate(ctx, subj2, app.ActionLogin, limit, window, T0); d.Allowed {
		t.Errorf("one release freed two slots: %+v", d)
	}
}

// testRatePrune checks that PruneRate forgets one action's requests up to
// an instant, for every subject, and nothing else.
func testRatePrune(t *testing.T, s app.Store) {
	ctx := t.Context()
	const window = 24 * time.Hour
	a, b := app.NewID(), app.NewID()
	take := func(subj string, action app.Action, at time.Time) app.RateDecision {
		t.Helper()
		d, err := s.TakeRate(ctx, subj, action, 1, window, at)
		must(t, err)
		return d
	}
	take(a, app.ActionLogin, T0)
	take(b, app.ActionLogin, T0.Add(time.Hour))
	take(a, app.ActionUpload, T0)
	must(t, s.PruneRate(ctx, app.ActionLogin, T0.Add(30*time.Minute)))
	later := T0.Add(2 * time.Hour)
	if d := take(a, app.ActionLogin, later); !d.Allowed || !d.Oldest.Equal(later) {
		t.Errorf("pruned subject: %+v, want allowed with only the new request", d)
	}
	if d := take(b, app.ActionLogin, later); d.Allowed {
		t.Errorf("request after the prune instant was forgotten: %+v", d)
	}
	if d := take(a, app.ActionUpload, later); d.Allowed {
		t.Errorf("another action was pruned: %+v", d)
	}
	// Pruning everything leaves subjects fully usable.
	must(t, s.PruneRate(ctx, app.ActionLogin, later))
	if d := take(b, app.ActionLogin, later.Add(time.Second)); !d.Allowed || d.Used != 1 {
		t.Errorf("after pruning all: %+v, want allowed with used 1", d)
	}
}
