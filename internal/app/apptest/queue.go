package apptest

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
)

// Queue is an app.Queue for tests of the Service: it keeps the tasks it is
// given in memory, and RunAll hands them to the Service as a worker would.
// It ignores the transaction, so it keeps a task even when the
// transaction that queued it rolls back; internal/jobs tests queueing on
// the real queue.
type Queue struct {
	mu    sync.Mutex
	tasks []app.Task
}

var _ app.Queue = (*Queue)(nil)

// EnqueueTx keeps t.
func (q *Queue) EnqueueTx(_ context.Context, _ app.Tx, t app.Task) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = append(q.tasks, t)
	return nil
}

// ForgetUserTx drops the user's tasks.
func (q *Queue) ForgetUserTx(_ context.Context, _ app.Tx, userID string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.tasks = slices.DeleteFunc(q.tasks, func(t app.Task) bool { return t.UserID == userID })
	return nil
}

// Take returns the tasks queued so far and forgets them.
func (q *Queue) Take() []app.Task {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.tasks
	q.tasks = nil
	return out
}

// RunAll runs the queued tasks with r, in order, until none is left, and
// returns them. An error fails the test.
func (q *Queue) RunAll(t *testing.T, r interface {
	RunTask(context.Context, app.Task) error
}) []app.Task {
	t.Helper()
	var done []app.Task
	for tasks := q.Take(); len(tasks) > 0; tasks = q.Take() {
		for _, task := range tasks {
			must(t, r.RunTask(t.Context(), task))
		}
		done = append(done, tasks...)
	}
	return done
}
