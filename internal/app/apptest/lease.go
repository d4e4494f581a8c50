package apptest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// testLeases: a lease is one holder's until it lapses or is released; a
// lapsed one goes to the next taker, and its former holder can then
// neither renew nor release it; leases of other names and users are apart.
func testLeases(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	take := func(u app.User, name, holder string, now time.Time) (bool, time.Time) {
		t.Helper()
		ok, held, err := s.TakeLease(ctx, u.ID, name, holder, now, now.Add(30*time.Second))
		must(t, err)
		return ok, held
	}
	if ok, _ := take(alice, "export", "h1", T0); !ok {
		t.Fatal("a free lease was refused")
	}
	if ok, held := take(alice, "export", "h2", T0.Add(10*time.Second)); ok || !held.Equal(T0.Add(30*time.Second)) {
		t.Errorf("a held lease: taken %v, held until %v; want refused, held until %v", ok, held, T0.Add(30*time.Second))
	}
	if ok, _ := take(alice, "other", "h2", T0); !ok {
		t.Error("a lease of another name was refused")
	}
	if ok, _ := take(bob, "export", "h2", T0); !ok {
		t.Error("another user's lease was refused")
	}

	// Renewed, it holds past its first lapse; only its holder renews it.
	must(t, s.RenewLease(ctx, alice.ID, "export", "h1", T0.Add(60*time.Second)))
	wantCode(t, s.RenewLease(ctx, alice.ID, "export", "h2", T0.Add(90*time.Second)), app.ENotFound)
	if ok, held := take(alice, "export", "h2", T0.Add(45*time.Second)); ok || !held.Equal(T0.Add(60*time.Second)) {
		t.Errorf("a renewed lease: taken %v, held until %v; want refused until %v", ok, held, T0.Add(60*time.Second))
	}
	// That take forgot alice's lapsed lease of another name, not bob's.
	wantCode(t, s.RenewLease(ctx, alice.ID, "other", "h2", T0.Add(90*time.Second)), app.ENotFound)
	must(t, s.RenewLease(ctx, bob.ID, "export", "h2", T0.Add(90*time.Second)))
	// Lapsed (its process died, say), it is the next taker's.
	if ok, _ := take(alice, "export", "h2", T0.Add(60*time.Second)); !ok {
		t.Fatal("a lapsed lease was refused")
	}
	wantCode(t, s.RenewLease(ctx, alice.ID, "export", "h1", T0.Add(120*time.Second)), app.ENotFound)
	must(t, s.ReleaseLease(ctx, alice.ID, "export", "h1")) // the former holder's release is a no-op
	if ok, _ := take(alice, "export", "h3", T0.Add(61*time.Second)); ok {
		t.Error("the former holder's release freed the new holder's lease")
	}
	must(t, s.ReleaseLease(ctx, alice.ID, "export", "h2"))
	if ok, _ := take(alice, "export", "h3", T0.Add(61*time.Second)); !ok {
		t.Error("a released lease was refused")
	}

	_, _, err := s.TakeLease(ctx, app.NewID(), "export", "h1", T0, T0.Add(time.Second))
	wantCode(t, err, app.ENotFound)
}

// testLeaseHeld: LeaseHeld says when a held lease lapses, and nothing of
// one free, lapsed or released, or of another name or user.
func testLeaseHeld(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	held := func(u app.User, name string, now time.Time) time.Time {
		t.Helper()
		at, err := s.LeaseHeld(ctx, u.ID, name, now)
		must(t, err)
		return at
	}
	if at := held(alice, "export", T0); !at.IsZero() {
		t.Errorf("a lease never taken is held until %v", at)
	}
	if ok, _, err := s.TakeLease(ctx, alice.ID, "export", "h1", T0, T0.Add(30*time.Second)); err != nil || !ok {
		t.Fatalf("take: %v, %v", ok, err)
	}
	if at := held(alice, "export", T0.Add(29*time.Second)); !at.Equal(T0.Add(30 * time.Second)) {
		t.Errorf("a held lease: held until %v, want %v", at, T0.Add(30*time.Second))
	}
	for _, tc := range []struct {
		what string
		u    app.User
		name string
		now  time.Time
	}{
		{"at its lapse", alice, "export", T0.Add(30 * time.Second)},
		{"another name", alice, "other", T0},
		{"another user", bob, "export", T0},
		{"a user that does not exist", app.User{ID: app.NewID()}, "export", T0},
	} {
		if at := held(tc.u, tc.name, tc.now); !at.IsZero() {
			t.Errorf("%s: held until %v, want free", tc.what, at)
		}
	}
	must(t, s.ReleaseLease(ctx, alice.ID, "export", "h1"))
	if at := held(alice, "export", T0); !at.IsZero() {
		t.Errorf("a released lease is held until %v", at)
	}
}

// raceLease has n callers, spread over stores, take one free lease at
// once: exactly one may get it.
func raceLease(t *testing.T, stores []app.Store, n int) {
	t.Helper()
	u := newUser(t, stores[0])
	var taken atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			ok, _, err := stores[i%len(stores)].TakeLease(t.Context(), u.ID, "export", app.NewID(), T0, T0.Add(time.Minute))
			if err != nil {
				errs <- err
			} else if ok {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("TakeLease: %v", err)
	}
	if got := taken.Load(); got != 1 {
		t.Fatalf("%d concurrent takers over %d stores: %d took the lease, want 1", n, len(stores), got)
	}
}
