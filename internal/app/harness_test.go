package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

func newClock() *apptest.Clock { return apptest.NewClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)) }

// backend opens stores on one database: each call to open returns a new
// Store on the same data, as a restarted or second process would.
type backend struct {
	name string
	open func(t *testing.T) app.Store
}

// forEachBackend runs fn as parallel subtests, once on a fresh SQLite
// database and once on a fresh PostgreSQL schema (skipped when no server
// answers, unless VOXCLONE_TEST_POSTGRES=required).
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "voxclone.db")
		fn(t, backend{name: "sqlite", open: func(t *testing.T) app.Store {
			db := sqlitetest.Open(t, path)
			return db
		}})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		dsn := pgtest.Schema(t)
		fn(t, backend{name: "postgres", open: func(t *testing.T) app.Store { return pgtest.OpenDSN(t, dsn) }})
	})
}

// fixture is a Service with its dependencies.
type fixture struct {
	svc   *app.Service
	store app.Store
	blobs *blob.Local
	// blobDir is where blobs keeps its files.
	blobDir string
	clock   *apptest.Clock
	queue   *apptest.Queue
	cfg     app.Config
}

var testSecret = []byte("0123456789abcdef0123456789abcdef-test")

// newFixture builds a Service over store with a pinned clock.
func newFixture(t *testing.T, store app.Store, engine app.Engine) *fixture {
	t.Helper()
	dir := t.TempDir()
	blobs, err := blob.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	f := &fixture{store: store, blobs: blobs, blobDir: dir, clock: newClock(), queue: &apptest.Queue{}}
	f.cfg = app.Config{JWTSecret: testSecret, Now: f.clock.Now, PasswordCost: bcrypt.MinCost,
		JobHeartbeat: 20 * time.Millisecond}
	f.svc = f.service(t, engine)
	return f
}

// service returns a new Service on the fixture's dependencies.
func (f *fixture) service(t *testing.T, engine app.Engine) *app.Service {
	t.Helper()
	svc, err := app.NewService(f.cfg, app.Deps{Store: f.store, Blobs: f.blobs, Engine: engine, Queue: f.queue})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// register makes a user and returns it with its token.
func (f *fixture) register(t *testing.T, email string) (app.User, string) {
	t.Helper()
	u, tok, err := f.svc.Register(t.Context(), email, "correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	return u, tok
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func contextCanceled(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

// build runs the queued tasks, as a worker would, and returns the model
// with id, which they built.
func (f *fixture) build(t *testing.T, id string) app.Model {
	t.Helper()
	tasks := f.queue.RunAll(t, f.svc)
	if len(tasks) == 0 {
		t.Fatal("no task was queued")
	}
	for _, task := range tasks {
		if task.ID == id {
			m, err := f.svc.GetModel(t.Context(), task.UserID, id)
			must(t, err)
			return m
		}
	}
	t.Fatalf("no task for model %s among %+v", id, tasks)
	return app.Model{}
}
