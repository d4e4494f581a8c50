package jobs_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

// queue is what the tests use of a *jobs.Queue, whatever its transaction
// type.
type queue interface {
	app.Queue
	Migrate(ctx context.Context) error
	Start(r jobs.Runner) error
	Stop(grace time.Duration) error
}

// backend opens stores and queues on one database, as processes sharing
// it would.
type backend struct {
	name string
	open func(t testing.TB) (app.Store, func(cfg jobs.Config) queue)
}

// forEachBackend runs fn on a fresh SQLite file and a fresh PostgreSQL
// schema (skipped without a server unless VOXCLONE_TEST_POSTGRES=required).
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, sqliteBackend(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		fn(t, postgresBackend(t))
	})
}

// sqliteBackend is a fresh SQLite file.
func sqliteBackend(tb testing.TB) backend {
	path := filepath.Join(tb.TempDir(), "voxclone.db")
	return backend{name: "sqlite", open: func(t testing.TB) (app.Store, func(jobs.Config) queue) {
		db := sqlitetest.Open(t, path)
		return db, func(cfg jobs.Config) queue {
			q, err := jobs.NewSQLite(db.Writer(), cfg)
			must(t, err)
			return startable(t, q)
		}
	}}
}

// postgresBackend is a fresh PostgreSQL schema.
func postgresBackend(tb testing.TB) backend {
	dsn := pgtest.Schema(tb)
	return backend{name: "postgres", open: func(t testing.TB) (app.Store, func(jobs.Config) queue) {
		db := pgtest.OpenDSN(t, dsn)
		return db, func(cfg jobs.Config) queue {
			q, err := jobs.NewPostgres(context.Background(), db.Pool(), cfg)
			must(t, err)
			return startable(t, q)
		}
	}}
}

// startable migrates q and stops it when the test ends.
func startable(t testing.TB, q queue) queue {
	t.Helper()
	must(t, q.Migrate(context.Background()))
	t.Cleanup(func() { q.Stop(time.Second) })
	return q
}

// fastConfig makes queues quick to test: short polls and retries.
func fastConfig(workers int) jobs.Config {
	return jobs.Config{Workers: workers, PollInterval: 100 * time.Millisecond, RetryDelay: 10 * time.Millisecond, Timeout: 5 * time.Second}
}

// runner is a jobs.Runner of function fields.
type runner struct {
	run    func(ctx context.Context, t app.Task) error
	giveUp func(ctx context.Context, t app.Task, cause error) error
}

func (r runner) RunTask(ctx context.Context, t app.Task) error { return r.run(ctx, t) }

func (r runner) GiveUpTask(ctx context.Context, t app.Task, cause error) error {
	if r.giveUp == nil {
		return nil
	}
	return r.giveUp(ctx, t, cause)
}

var _ jobs.Runner = runner{}

// subject inserts a pending model of a new user in the store, enqueueing
// its clone task with q in the same transaction, and returns the task.
// fail makes the transaction fail after the enqueue.
func subject(t testing.TB, s app.Store, q app.Queue, fail error) (app.Task, error) {
	t.Helper()
	now := time.Now().UTC()
	u := app.User{ID: app.NewID(), CreatedAt: now}
	u.Email = u.ID + "@example.com"
	must(t, s.CreateUser(context.Background(), u, "x"))
	m := app.Model{ID: app.NewID(), UserID: u.ID, Name: "m", Status: app.ModelPending, Engine: "e",
		SampleIDs: []string{}, CreatedAt: now, UpdatedAt: now}
	task := app.Task{Kind: app.TaskClone, UserID: u.ID, ID: m.ID}
	err := s.CreateModel(context.Background(), m, func(ctx context.Context, tx app.Tx) error {
		if err := q.EnqueueTx(ctx, tx, task); err != nil {
			return err
		}
		return fail
	})
	return task, err
}

// recorder collects the tasks a runner saw.
type recorder struct {
	mu   sync.Mutex
	runs []app.Task
	seen chan app.Task
}

func newRecorder() *recorder { return &recorder{seen: make(chan app.Task, 100)} }

func (r *recorder) add(t app.Task) {
	r.mu.Lock()
	r.runs = append(r.runs, t)
	r.mu.Unlock()
	r.seen <- t
}

// wait returns the next task seen, failing after d.
func (r *recorder) wait(t *testing.T, d time.Duration) app.Task {
	t.Helper()
	select {
	case task := <-r.seen:
		return task
	case <-time.After(d):
		t.Fatalf("no task ran within %v", d)
	}
	return app.Task{}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEnqueueInTransaction: a task exists exactly when the transaction
// that enqueued it commits.
func TestEnqueueInTransaction(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		store, newQueue := b.open(t)
		q := newQueue(fastConfig(1))
		rolledBack := errors.New("rolled back")
		lost, err := subject(t, store, q, rolledBack)
		if !errors.Is(err, rolledBack) {
			t.Fatalf("failing transaction: %v", err)
		}
		kept, err := subject(t, store, q, nil)
		must(t, err)
		rec := newRecorder()
		must(t, q.Start(runner{run: func(_ context.Context, task app.Task) error { rec.add(task); return nil }}))
		if got := rec.wait(t, 10*time.Second); got != kept {
			t.Fatalf("ran %+v, want the committed task %+v", got, kept)
		}
		select {
		case got := <-rec.seen:
			t.Fatalf("ran %+v too; the rolled-back task was %+v", got, lost)
		case <-time.After(500 * time.Millisecond):
		}
	})
}

// TestRetryThenGiveUp: a failing task runs MaxAttempts times, then is
// given up once, with its last error.
func TestRetryThenGiveUp(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		store, newQueue := b.open(t)
		var events []jobs.Event
		var mu sync.Mutex
		cfg := fastConfig(1)
		cfg.Observe = func(e jobs.Event) { mu.Lock(); events = append(events, e); mu.Unlock() }
		q := newQueue(cfg)
		task, err := subject(t, store, q, nil)
		must(t, err)
		boom := errors.New("boom")
		rec, gaveUp := newRecorder(), make(chan error, 5)
		must(t, q.Start(runner{
			run:    func(_ context.Context, task app.Task) error { rec.add(task); return boom },
			giveUp: func(_ context.Context, got app.Task, cause error) error { gaveUp <- cause; return nil },
		}))
		for range jobs.MaxAttempts {
			if got := rec.wait(t, 10*time.Second); got != task {
				t.Fatalf("ran %+v, want %+v", got, task)
			}
		}
		select {
		case cause := <-gaveUp:
			if !errors.Is(cause, boom) {
				t.Errorf("gave up with %v, want %v", cause, boom)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the task was not given up")
		}
		select {
		case <-rec.seen:
			t.Fatal("the task ran after it was given up")
		case <-time.After(300 * time.Millisecond):
		}
		mu.Lock()
		defer mu.Unlock()
		want := []jobs.Outcome{jobs.Retry, jobs.Retry, jobs.GaveUp}
		for i, e := range events {
			if i >= len(want) || e.Outcome != want[i] || e.Attempt != i+1 || e.Kind != app.TaskClone || e.Wait < 0 {
				t.Errorf("event %d = %+v, want %s on attempt %d", i, e, want[min(i, len(want)-1)], i+1)
			}
		}
	})
}

// TestStop: a task that finishes within the grace period finishes; one
// that does not is cancelled and handed back without using an attempt,
// and the next worker runs it.
func TestStop(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		store, newQueue := b.open(t)
		var mu sync.Mutex
		var outcomes []jobs.Outcome
		cfg := fastConfig(2)
		cfg.Observe = func(e jobs.Event) { mu.Lock(); outcomes = append(outcomes, e.Outcome); mu.Unlock() }
		q := newQueue(cfg)
		quick, err := subject(t, store, q, nil)
		must(t, err)
		slow, err := subject(t, store, q, nil)
		must(t, err)
		started := make(chan app.Task, 2)
		must(t, q.Start(runner{run: func(ctx context.Context, task app.Task) error {
			started <- task
			if task == quick {
				time.Sleep(300 * time.Millisecond)
				return nil
			}
			<-ctx.Done()
			return ctx.Err()
		}}))
		<-started
		<-started
		begin := time.Now()
		must(t, q.Stop(time.Second))
		if took := time.Since(begin); took < time.Second || took > 8*time.Second {
			t.Errorf("Stop took %v, want the 1 s grace period and a little", took)
		}
		mu.Lock()
		if len(outcomes) != 2 || !(outcomes[0] == jobs.Done && outcomes[1] == jobs.HandedBack) {
			t.Errorf("outcomes = %v, want [done handed_back]", outcomes)
		}
		mu.Unlock()

		// The next worker (a restarted process) gets the slow task at once,
		// on the same attempt count.
		var attempts []int
		cfg.Observe = func(e jobs.Event) { mu.Lock(); attempts = append(attempts, e.Attempt); mu.Unlock() }
		rec := newRecorder()
		_, newQueue2 := b.open(t)
		must(t, newQueue2(cfg).Start(runner{run: func(_ context.Context, task app.Task) error { rec.add(task); return nil }}))
		if got := rec.wait(t, 10*time.Second); got != slow {
			t.Fatalf("after restart ran %+v, want the handed-back %+v", got, slow)
		}
		time.Sleep(100 * time.Millisecond) // Observe is called after the run returns
		mu.Lock()
		defer mu.Unlock()
		if len(attempts) != 1 || attempts[0] != 1 {
			t.Errorf("the handed-back task ran as attempts %v, want [1]", attempts)
		}
	})
}

// TestPeriodic: periodic work runs on a worker soon after start.
func TestPeriodic(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		_, newQueue := b.open(t)
		ran := make(chan struct{}, 10)
		cfg := fastConfig(1)
		cfg.Periodic = []jobs.Periodic{{Name: "tick", Interval: time.Hour, Run: func(context.Context) error {
			ran <- struct{}{}
			return nil
		}}}
		q := newQueue(cfg)
		must(t, q.Start(runner{run: func(context.Context, app.Task) error { return nil }}))
		select {
		case <-ran:
		case <-time.After(30 * time.Second):
			t.Fatal("periodic work did not run on start")
		}
	})
}

// TestInsertOnly: a queue without workers enqueues but cannot start.
func TestInsertOnly(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		store, newQueue := b.open(t)
		q := newQueue(jobs.Config{})
		if _, err := subject(t, store, q, nil); err != nil {
			t.Fatal(err)
		}
		if err := q.Start(runner{}); err == nil {
			t.Error("an insert-only queue started")
		}
	})
}
