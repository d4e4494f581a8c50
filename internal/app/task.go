package app

import (
	"context"
	"errors"
	"fmt"
)

// TaskKind names a kind of background work.
type TaskKind string

// The kinds of background work.
const (
	TaskClone  TaskKind = "clone"      // build a pending voice model
	TaskSpeech TaskKind = "synthesize" // run a long-form synthesis job
)

// Task is one piece of background work, as the Service hands it to a
// Queue and later receives it back in RunTask: which row to work on and
// for whom. The row holds everything else, so a task is small and stays
// valid however often it is retried.
type Task struct {
	Kind   TaskKind `json:"kind"`
	UserID string   `json:"user_id"`
	// ID is the model's id (TaskClone) or the job's (TaskSpeech).
	ID string `json:"id"`
	// Chars is the length of a TaskSpeech job's text in characters, so a
	// queue can give long texts more time without reading the row.
	Chars int `json:"chars,omitempty"`
}

// Tx is an open store transaction, passed from a Store to a Queue through
// a TxFunc. Its dynamic type belongs to the store (*sql.Tx for SQLite,
// pgx.Tx for PostgreSQL); app never looks inside it, and a Queue accepts
// the transactions of the database it was built on.
type Tx any

// TxFunc runs inside a store transaction just before it commits; an error
// rolls the whole transaction back. The Service uses it to enqueue a task
// in the transaction that records the task's subject, so the task exists
// exactly when its row does.
type TxFunc func(ctx context.Context, tx Tx) error

// Queue hands tasks to the worker processes. internal/jobs implements it
// on River; whichever process runs a task calls Service.RunTask.
type Queue interface {
	// EnqueueTx adds t inside tx, a transaction of the Service's Store: the
	// task is committed or rolled back with it.
	EnqueueTx(ctx context.Context, tx Tx, t Task) error
	// ForgetUserTx deletes, inside tx, every task of the user in every
	// state (queued, running, finished), so that no row of the queue
	// names an account deleted in tx. A running task's worker finds its
	// subject gone and ends with nothing to do.
	ForgetUserTx(ctx context.Context, tx Tx, userID string) error
}

// enqueue returns the TxFunc that adds t to the queue.
func (s *Service) enqueue(t Task) TxFunc {
	return func(ctx context.Context, tx Tx) error { return s.queue.EnqueueTx(ctx, tx, t) }
}

// RunTask does t, as a worker does when the queue hands it over. It may
// run more than once for one task (a retry, or a worker that died after
// finishing), and at the same time on two workers: it records the outcome
// only when its subject is still unfinished, so a task completes once.
//
// It returns nil when the task is done or has nothing left to do: its
// subject was deleted, cancelled or finished by another run, or it failed
// for a reason the user can act on, which is recorded on the model or job.
// Any other error (the database or blob store failing, ctx ending) means
// the task should be tried again.
func (s *Service) RunTask(ctx context.Context, t Task) error {
	switch t.Kind {
	case TaskClone:
		return s.buildModel(ctx, t.UserID, t.ID)
	case TaskSpeech:
		return s.runJob(ctx, t.UserID, t.ID)
	}
	return fmt.Errorf("app: unknown task kind %q", t.Kind)
}

// GiveUpTask records that t will not be tried again after cause, its last
// error: a pending model becomes failed and an unfinished job failed, with
// a reason the user can act on. A subject that is gone or already
// finished is left alone.
func (s *Service) GiveUpTask(ctx context.Context, t Task, cause error) error {
	why := "a problem on the server"
	if errors.Is(cause, context.DeadlineExceeded) {
		why = "it took too long"
	}
	var err error
	switch t.Kind {
	case TaskClone:
		err = s.finishModel(ctx, t.UserID, t.ID, ModelResult{Status: ModelFailed,
			Failure: "The voice could not be built because " + why + ". Please try again; if it keeps failing, use fewer or shorter samples."})
	case TaskSpeech:
		err = s.finishJob(ctx, t.UserID, t.ID, JobResult{Status: JobFailed,
			Error: "The text could not be spoken because " + why + ". Please try again; if it keeps failing, split the text."}, nil)
	default:
		return fmt.Errorf("app: unknown task kind %q", t.Kind)
	}
	return superseded(err)
}
