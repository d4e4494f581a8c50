package app_test

import (
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

func TestAllow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newFixture(t, b.open(t), noEngine{})
		ctx := t.Context()
		alice, _ := f.register(t, "alice@example.com")
		bob, _ := f.register(t, "bob@example.com")

		for i := range 20 {
			st, err := f.svc.Allow(ctx, alice.ID, app.ActionSynthesize)
			must(t, err)
			if st.Limit != 20 || st.Remaining != 19-i {
				t.Fatalf("request %d: %+v, want limit 20, remaining %d", i+1, st, 19-i)
			}
			f.clock.Advance(time.Minute)
		}
		st, err := f.svc.Allow(ctx, alice.ID, app.ActionSynthesize)
		wantCode(t, err, app.ERateLimited)
		var ae *app.Error
		errors.As(err, &ae)
		// The first request was 20 minutes ago; its slot frees in 40.
		if ae.RetryAfter != 40*time.Minute || st.Remaining != 0 || st.Reset != 40*time.Minute {
			t.Errorf("21st request: RetryAfter %v, status %+v; want 40m, remaining 0", ae.RetryAfter, st)
		}
		if msg := app.ErrorMessage(err); !strings.Contains(msg, "20/h") || !strings.Contains(msg, "40 min") {
			t.Errorf("rate limit message %q should give the limit and the wait", msg)
		}
		if _, err := f.svc.Allow(ctx, alice.ID, app.ActionUpload); err != nil {
			t.Errorf("upload budget shared with synthesis: %v", err)
		}
		if _, err := f.svc.Allow(ctx, bob.ID, app.ActionSynthesize); err != nil {
			t.Errorf("bob limited by alice's requests: %v", err)
		}

		// A restarted process, with a new Store on the same database.
		f2 := *f
		f2.store = b.open(t)
		svc2 := f2.service(t, noEngine{})
		_, err = svc2.Allow(ctx, alice.ID, app.ActionSynthesize)
		wantCode(t, err, app.ERateLimited)

		f.clock.Advance(40 * time.Minute)
		if _, err := svc2.Allow(ctx, alice.ID, app.ActionSynthesize); err != nil {
			t.Errorf("after the oldest request left the window: %v", err)
		}
		_, err = f.svc.Allow(ctx, alice.ID, app.Action("mine bitcoin"))
		wantCode(t, err, app.EInvalid)

		// Many requests at once, through two Services on two Stores:
		// exactly the budget gets through.
		carol, _ := f.register(t, "carol@example.com")
		svcs := []*app.Service{f.svc, svc2}
		var allowed atomic.Int32
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				_, err := svcs[i%2].Allow(ctx, carol.ID, app.ActionClone)
				switch app.ErrorCode(err) {
				case "":
					allowed.Add(1)
				case app.ERateLimited:
				default:
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := allowed.Load(); n != 20 {
			t.Errorf("50 concurrent requests: %d allowed, want 20", n)
		}
	})
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want app.Rate
		err  bool
	}{
		{"20/h", app.Rate{Count: 20, Window: time.Hour}, false},
		{"100/d", app.Rate{Count: 100, Window: 24 * time.Hour}, false},
		{"5/m", app.Rate{Count: 5, Window: time.Minute}, false},
		{" 7 / hour ", app.Rate{Count: 7, Window: time.Hour}, false},
		{"10/90s", app.Rate{Count: 10, Window: 90 * time.Second}, false},
		{"3/30m", app.Rate{Count: 3, Window: 30 * time.Minute}, false},
		{"20", app.Rate{}, true},
		{"0/h", app.Rate{}, true},
		{"-1/h", app.Rate{}, true},
		{"x/h", app.Rate{}, true},
		{"20/y", app.Rate{}, true},
		{"20/1ms", app.Rate{}, true},
		{"20/9000h", app.Rate{}, true},
		{"20/h/h", app.Rate{}, true},
	}
	for _, tt := range tests {
		got, err := app.ParseRate(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
	if s := (app.Rate{Count: 20, Window: time.Hour}).String(); s != "20/h" {
		t.Errorf("String = %q, want 20/h", s)
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"20/h", "100/d", "5/m", "1/1s", "9/90m", "/", "1/-1h", "99999999999999999999/h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := app.ParseRate(s)
		if err != nil {
			return
		}
		if r.Count < 1 || r.Window < time.Second {
			t.Fatalf("ParseRate(%q) = %+v", s, r)
		}
		if back, err := app.ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("round trip of %q: %v -> %q -> %v, %v", s, r, r.String(), back, err)
		}
	})
}
