package jobs_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

// riverTables are River's tables that hold no task's arguments.
var riverTables = []string{"river_migration", "river_leader", "river_queue", "river_client", "river_client_queue", "river_notification"}

// rowsOf reads every row of b's database.
func rowsOf(b backend) apptest.Rows {
	if b.name == "sqlite" {
		return sqlitetest.Rows
	}
	return pgtest.Rows
}

// TestDeleteUserTraces runs the store suite's deletion check with River's
// tables beside the store's: the queued tasks of the deleted account go
// in DeleteUser's transaction, the other account's stay.
func TestDeleteUserTraces(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		store, newQueue := b.open(t)
		apptest.DeleteUserTraces(t, store, rowsOf(b), newQueue(jobs.Config{}), riverTables...)
	})
}

// TestForgetUser: ForgetUserTx deletes the user's tasks whatever their
// state (finished, running, waiting), and only theirs; the worker of the
// running one ends without trouble, and its row does not come back.
func TestForgetUser(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		store, newQueue := b.open(t)
		q := newQueue(fastConfig(1))
		rec := newRecorder()
		block, released := make(chan struct{}), make(chan error, 1)
		// The one worker runs tasks in turn and the first has finished
		// before the second is queued, so the second run is the task to
		// hold. Counting runs, rather than comparing with the task that
		// subject returns, holds it even when the worker picks it up
		// before subject has returned (and shares no variable with it).
		var runs atomic.Int32
		must(t, q.Start(runner{run: func(ctx context.Context, task app.Task) error {
			rec.add(task)
			if runs.Add(1) == 2 {
				<-block
				released <- nil
			}
			return nil
		}}))
		done, err := subject(t, store, q, nil) // runs to completion
		must(t, err)
		rec.wait(t, 10*time.Second)
		waitRow(t, b, store, func(r string) bool { return strings.Contains(r, done.UserID) && strings.Contains(r, "completed") })
		blocked, err := subject(t, store, q, nil)
		must(t, err)
		if got := rec.wait(t, 10*time.Second); got != blocked { // running now, held by block
			t.Fatalf("second run %+v, want %+v", got, blocked)
		}
		bob, err := subject(t, store, q, nil) // waits behind it on the one worker
		must(t, err)
		m := app.Model{ID: app.NewID(), UserID: blocked.UserID, Name: "m", Status: app.ModelPending, Engine: "e",
			SampleIDs: []string{}, CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		must(t, store.CreateModel(ctx, m, func(ctx context.Context, tx app.Tx) error {
			return q.EnqueueTx(ctx, tx, app.Task{Kind: app.TaskClone, UserID: m.UserID, ID: m.ID})
		}))

		for _, u := range []string{done.UserID, blocked.UserID} {
			_, err := store.DeleteUser(ctx, u, func(ctx context.Context, tx app.Tx) error { return q.ForgetUserTx(ctx, tx, u) })
			must(t, err)
		}
		gone := func(when string) {
			t.Helper()
			rows := rowsOf(b)(t, store)["river_job"]
			for _, r := range rows {
				if strings.Contains(r, done.UserID) || strings.Contains(r, blocked.UserID) {
					t.Errorf("%s, river_job keeps a deleted user's task: %q", when, r)
				}
			}
			if !strings.Contains(strings.Join(rows, "\n"), bob.UserID) {
				t.Errorf("%s, the other user's task went too: %q", when, rows)
			}
		}
		gone("after the deletion")
		close(block)
		must(t, <-released)
		if got := rec.wait(t, 10*time.Second); got != bob {
			t.Errorf("after the held task, ran %+v, want the other user's %+v", got, bob)
		}
		waitRow(t, b, store, func(r string) bool { return strings.Contains(r, bob.UserID) && strings.Contains(r, "completed") })
		gone("once the held task returned")
	})
}

// waitRow waits up to 10 s for a river_job row that ok accepts.
func waitRow(t *testing.T, b backend, s app.Store, ok func(string) bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, r := range rowsOf(b)(t, s)["river_job"] {
			if ok(r) {
				return
			}
		}
	}
	t.Fatal("no such river_job row within 10 s")
}
