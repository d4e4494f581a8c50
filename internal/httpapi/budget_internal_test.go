package httpapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
	"github.com/voxclone/voxclone/internal/voice"
)

// budgetHandler is a handler on a real Service over SQLite with a budget
// of 5 per hour, and a user of it.
func budgetHandler(t *testing.T) (*handler, *app.Service, app.User, *bytes.Buffer) {
	t.Helper()
	db := sqlitetest.Open(t, filepath.Join(t.TempDir(), "voxclone.db"))
	blobs, err := blob.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	q, err := jobs.NewSQLite(db.Writer(), jobs.Config{})
	if err == nil {
		err = q.Migrate(t.Context())
	}
	if err != nil {
		t.Fatal(err)
	}
	svc, err := app.NewService(app.Config{JWTSecret: []byte("budget-test-secret-0123456789abcdef"), PasswordCost: bcrypt.MinCost,
		RateLimit: app.Rate{Count: 5, Window: time.Hour}}, app.Deps{Store: db, Blobs: blobs, Engine: voice.New(voice.Config{}), Queue: q})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := svc.Register(t.Context(), "budget@example.com", "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	return &handler{svc: svc, log: slog.New(slog.NewTextHandler(&logs, nil))}, svc, u, &logs
}

// spent is how many synthesize requests of u the budget holds, measured by
// counting one more.
func spent(t *testing.T, svc *app.Service, u app.User) int {
	t.Helper()
	st, err := svc.Allow(t.Context(), u.ID, app.ActionSynthesize)
	if err != nil {
		t.Fatal(err)
	}
	return st.Limit - st.Remaining - 1
}

// serve runs fn behind metered with a request whose context the caller
// may cancel, and returns the response.
func serve(h *handler, u app.User, ctx context.Context, fn userHandler) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	r := httptest.NewRequestWithContext(ctx, "POST", "/api/voice/synthesize", nil)
	h.metered(nativeAPI, app.ActionSynthesize, fn)(w, r, u)
	return w
}

func TestMeteredRefundsFailures(t *testing.T) {
	h, svc, u, _ := budgetHandler(t)
	for _, status := range []int{400, 404, 422, 500, 503} {
		w := serve(h, u, t.Context(), func(w http.ResponseWriter, r *http.Request, u app.User) {
			if err := app.ChargeBudget(r.Context()); err != nil {
				t.Fatal(err)
			}
			w.WriteHeader(status)
		})
		if got := w.Header().Get("RateLimit-Remaining"); got != "5" {
			t.Errorf("%d: RateLimit-Remaining %q, want 5 (given back)", status, got)
		}
	}
	if n := spent(t, svc, u); n != 0 {
		t.Errorf("failed requests left %d requests counted, want 0", n)
	}
}

// TestMeteredKeepsChargeWhenClientLeft: a client that starts work and
// hangs up pays for it, or cancelling would be a way to work for free.
func TestMeteredKeepsChargeWhenClientLeft(t *testing.T) {
	h, svc, u, _ := budgetHandler(t)
	ctx, cancel := context.WithCancel(t.Context())
	serve(h, u, ctx, func(w http.ResponseWriter, r *http.Request, u app.User) {
		if err := app.ChargeBudget(r.Context()); err != nil {
			t.Fatal(err)
		}
		cancel() // the client goes away while the engine works
		writeError(w, r, h.log, r.Context().Err())
	})
	if n := spent(t, svc, u); n != 1 {
		t.Errorf("%d requests counted after the client hung up, want 1", n)
	}
}

// TestMeteredChargesLate: a route whose use case forgot to charge is still
// counted when it succeeds, with a warning in the log.
func TestMeteredChargesLate(t *testing.T) {
	h, svc, u, logs := budgetHandler(t)
	w := serve(h, u, t.Context(), func(w http.ResponseWriter, r *http.Request, u app.User) {
		writeJSON(w, http.StatusOK, struct{}{})
	})
	if w.Code != 200 || w.Header().Get("RateLimit-Remaining") != "4" {
		t.Errorf("status %d, RateLimit-Remaining %q; want 200 and 4", w.Code, w.Header().Get("RateLimit-Remaining"))
	}
	if n := spent(t, svc, u); n != 1 {
		t.Errorf("%d requests counted, want 1", n)
	}
	if !strings.Contains(logs.String(), "without charging its budget") {
		t.Errorf("no warning in the log:\n%s", logs.String())
	}
}

// TestMeteredChargesOnce: use cases that call ChargeBudget twice, or a
// handler that charges before the use case does, count one request.
func TestMeteredChargesOnce(t *testing.T) {
	h, svc, u, _ := budgetHandler(t)
	serve(h, u, t.Context(), func(w http.ResponseWriter, r *http.Request, u app.User) {
		for range 3 {
			if err := app.ChargeBudget(r.Context()); err != nil {
				t.Fatal(err)
			}
		}
		w.WriteHeader(http.StatusOK)
	})
	if n := spent(t, svc, u); n != 1 {
		t.Errorf("%d requests counted, want 1", n)
	}
}
