package app_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

const goodPassword = "correct horse battery"

// login tries a login from client and returns the error code ("" on
// success) and the status.
func login(t *testing.T, svc *app.Service, email, password, client string) (string, app.RateStatus) {
	t.Helper()
	tok, st, err := svc.LoginFrom(t.Context(), app.Credentials{Email: email, Password: password, Client: client})
	if err == nil && tok == "" {
		t.Fatal("login succeeded without a token")
	}
	if code := app.ErrorCode(err); code != "" && code != app.EUnauthorized && code != app.ERateLimited {
		t.Fatalf("login: %v", err)
	}
	return app.ErrorCode(err), st
}

func TestLoginLimitPerEmail(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		f.register(t, "alice@example.com")
		f.register(t, "bob@example.com")

		// Successes do not count: far more than the budget get through.
		for range 15 {
			if code, _ := login(t, f.svc, "alice@example.com", goodPassword, "192.0.2.1"); code != "" {
				t.Fatalf("successful login refused: %s", code)
			}
		}
		for i := range 10 {
			code, st := login(t, f.svc, "Alice@Example.com ", "wrong password", "192.0.2.1")
			if code != app.EUnauthorized || st.Limit != 10 || st.Remaining != 9-i {
				t.Fatalf("failure %d: %q, %+v; want unauthorized, remaining %d", i+1, code, st, 9-i)
			}
			f.clock.Advance(time.Minute)
		}
		// Locked: even the right password, from another address, is 429.
		_, st, err := f.svc.LoginFrom(t.Context(), app.Credentials{Email: "alice@example.com", Password: goodPassword, Client: "198.51.100.7"})
		wantCode(t, err, app.ERateLimited)
		var ae *app.Error
		errors.As(err, &ae)
		if ae.RetryAfter != 5*time.Minute || st.Remaining != 0 || !strings.Contains(ae.Message, "10/15m") {
			t.Errorf("locked out: RetryAfter %v, status %+v, message %q; want 5m, 0 left, limit 10/15m", ae.RetryAfter, st, ae.Message)
		}
		// Another email, even from the attacker's address, is unaffected.
		if code, _ := login(t, f.svc, "bob@example.com", goodPassword, "192.0.2.1"); code != "" {
			t.Errorf("bob refused after alice's failures: %s", code)
		}
		// The lock holds in another process and lifts with the window.
		f2 := *f
		f2.store = b.open(t)
		svc2 := f2.service(t, noEngine{})
		if code, _ := login(t, svc2, "alice@example.com", goodPassword, ""); code != app.ERateLimited {
			t.Errorf("second process: %q, want rate_limited", code)
		}
		f.clock.Advance(5 * time.Minute)
		if code, _ := login(t, svc2, "alice@example.com", goodPassword, ""); code != "" {
			t.Errorf("after the window: %q, want success", code)
		}
	})
}

func TestLoginLimitPerClient(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		f.cfg.LoginClientRate = app.Rate{Count: 5, Window: time.Hour}
		f.svc = f.service(t, noEngine{})
		f.register(t, "carol@example.com")
		for i := range 5 {
			if code, _ := login(t, f.svc, "nobody"+string(rune('a'+i))+"@example.com", "guess", "2001:db8::/64"); code != app.EUnauthorized {
				t.Fatalf("spray %d: %q, want unauthorized", i, code)
			}
		}
		code, st := login(t, f.svc, "carol@example.com", goodPassword, "2001:db8::/64")
		if code != app.ERateLimited || st.Limit != 5 || st.Remaining != 0 {
			t.Errorf("sprayed address: %q, %+v; want rate_limited with limit 5", code, st)
		}
		if code, _ := login(t, f.svc, "carol@example.com", goodPassword, "192.0.2.9"); code != "" {
			t.Errorf("carol from her own address: %q, want success", code)
		}
		// The refused attempt did not use up carol's own budget.
		for i := range 10 {
			if code, _ := login(t, f.svc, "carol@example.com", "wrong", "192.0.2."+string(rune('0'+i))); code != app.EUnauthorized {
				t.Fatalf("carol's failure %d: %q, want unauthorized", i+1, code)
			}
		}
		if code, _ := login(t, f.svc, "carol@example.com", "wrong", "192.0.2.99"); code != app.ERateLimited {
			t.Errorf("carol's 11th failure: %q, want rate_limited", code)
		}
		_, _, err := f.svc.LoginFrom(t.Context(), app.Credentials{Email: "carol@example.com", Password: goodPassword, Client: strings.Repeat("1", 65)})
		wantCode(t, err, app.EInvalid)
	})
}

func TestLoginLimitConcurrent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		f.register(t, "dave@example.com")
		f2 := *f
		f2.store = b.open(t)
		svcs := []*app.Service{f.svc, f2.service(t, noEngine{})}
		var failed, limited atomic.Int32
		var wg sync.WaitGroup
		for i := range 30 {
			wg.Go(func() {
				_, _, err := svcs[i%2].LoginFrom(t.Context(), app.Credentials{Email: "dave@example.com", Password: "wrong", Client: "192.0.2.1"})
				switch app.ErrorCode(err) {
				case app.EUnauthorized:
					failed.Add(1)
				case app.ERateLimited:
					limited.Add(1)
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if failed.Load() != 10 || limited.Load() != 20 {
			t.Errorf("30 concurrent guesses: %d checked, %d refused; want exactly 10 checked", failed.Load(), limited.Load())
		}
	})
}

func TestRegisterLimit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		f.cfg.RegisterRate = app.Rate{Count: 3, Window: time.Hour}
		f.svc = f.service(t, noEngine{})
		reg := func(email, client string) (app.RateStatus, error) {
			_, _, st, err := f.svc.RegisterFrom(t.Context(), app.Credentials{Email: email, Password: goodPassword, Client: client})
			return st, err
		}
		// Invalid input is refused before counting.
		_, err := reg("not an email", "192.0.2.1")
		wantCode(t, err, app.EInvalid)
		for i, email := range []string{"u1@example.com", "u2@example.com", "u1@example.com"} {
			st, err := reg(email, "192.0.2.1")
			if want := []string{"", "", app.EConflict}[i]; app.ErrorCode(err) != want || st.Remaining != 2-i {
				t.Fatalf("registration %d: %v, %+v; want %q, remaining %d", i+1, err, st, want, 2-i)
			}
		}
		st, err := reg("u4@example.com", "192.0.2.1")
		wantCode(t, err, app.ERateLimited)
		if st.Limit != 3 || !strings.Contains(app.ErrorMessage(err), "3/h") {
			t.Errorf("4th registration: %+v, %q", st, app.ErrorMessage(err))
		}
		if _, err := reg("u4@example.com", "192.0.2.2"); err != nil {
			t.Errorf("other address: %v", err)
		}
		// Without a client address (the Go API) there is no per-client limit.
		f.register(t, "u5@example.com")
		f.clock.Advance(time.Hour)
		if _, err := reg("u6@example.com", "192.0.2.1"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

// pruneCounter is a real Store that records PruneRate calls.
type pruneCounter struct {
	app.Store
	mu     sync.Mutex
	before map[app.Action]time.Time
	calls  int
}

func (p *pruneCounter) PruneRate(ctx context.Context, action app.Action, before time.Time) error {
	p.mu.Lock()
	p.before[action] = before
	p.calls++
	p.mu.Unlock()
	return p.Store.PruneRate(ctx, action, before)
}

func TestRatePruning(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		pc := &pruneCounter{Store: b.open(t), before: map[app.Action]time.Time{}}
		f := newFixture(t, pc, noEngine{})
		start := f.clock.Now()
		login(t, f.svc, "eve@example.com", "wrong", "192.0.2.1")
		if pc.calls != 5 || !pc.before[app.ActionLogin].Equal(start.Add(-15*time.Minute)) ||
			!pc.before[app.ActionRegister].Equal(start.Add(-time.Hour)) || !pc.before[app.ActionUpload].Equal(start.Add(-time.Hour)) {
			t.Fatalf("first request: %d prunes, before %v; want all 5 actions up to their windows", pc.calls, pc.before)
		}
		login(t, f.svc, "eve@example.com", "wrong", "192.0.2.1")
		f.clock.Advance(59 * time.Second)
		login(t, f.svc, "eve@example.com", "wrong", "192.0.2.1")
		if pc.calls != 5 {
			t.Errorf("pruned %d times within a minute, want once", pc.calls/5)
		}
		f.clock.Advance(time.Second)
		login(t, f.svc, "eve@example.com", "wrong", "192.0.2.1")
		// The failures stay counted: pruning only forgets expired requests.
		if code, st := login(t, f.svc, "eve@example.com", "wrong", "192.0.2.1"); pc.calls != 10 || code != app.EUnauthorized || st.Remaining != 5 {
			t.Errorf("a minute later: %d prune calls, %q, %+v; want 10 calls and 5 failures left", pc.calls, code, st)
		}
	})
}
