// Package jobs runs voxclone's background work, building voice models and
// long-form synthesis, on River (github.com/riverqueue/river) in the
// service's own database: PostgreSQL through riverpgxv5, SQLite through
// riversqlite. A Queue implements app.Queue, adding tasks inside the
// store's transactions, and its workers hand each task to
// app.Service.RunTask.
//
// River gives at-least-once execution: a task whose worker dies is run
// again by another once its time limit has passed, and a failing task is
// retried with backoff. RunTask records each outcome only once, so running
// a task twice does no harm. Every process that inserts tasks has a Queue;
// only those with Workers > 0 start it and run tasks.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/voxclone/voxclone/internal/app"
)

// Runner does tasks; *app.Service implements it.
type Runner interface {
	RunTask(ctx context.Context, t app.Task) error
	GiveUpTask(ctx context.Context, t app.Task, cause error) error
}

// Defaults used when Config leaves a field zero.
const (
	// DefaultTimeout bounds a clone, and a long-form synthesis per
	// SpeechChars characters of its text.
	DefaultTimeout = 10 * time.Minute
	// SpeechChars is how many characters of a synthesis job one Timeout
	// covers. Speaking 10,000 characters takes about 30 CPU seconds.
	SpeechChars = 10_000
	// MaxAttempts is how often a task runs before it is given up.
	MaxAttempts = 3
)

// Config holds a Queue's settings.
type Config struct {
	// Workers is how many tasks of each kind (cloning, synthesis) this
	// process runs at once. 0 makes the Queue insert-only: Start is then
	// not needed.
	Workers int
	// Timeout bounds a clone task, and a synthesis task per SpeechChars
	// characters started; a task's context ends when it is over. A task
	// whose worker died is run again this long (plus a margin, see
	// RescueAfter) after it started.
	Timeout time.Duration
	// Periodic is work the queue schedules at fixed intervals, run by one
	// worker somewhere each time.
	Periodic []Periodic
	// Observe, when not nil, hears of every task a worker ends.
	Observe func(Event)
	// Logger receives one line per task started and ended; nil discards.
	Logger *slog.Logger
	// PollInterval is how often idle workers look for tasks that they were
	// not told about; 0 means River's default (1 s).
	PollInterval time.Duration
	// RetryDelay, when set, is the wait before every retry; 0 means
	// River's backoff (attempt⁴ seconds: 1 s, 16 s, …).
	RetryDelay time.Duration
}

func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// RescueAfter is how long after a task started the queue treats its
// worker as dead and runs it again, for tasks bounded by timeout: a
// quarter more, at least 5 s and at most a minute, so that a worker that
// hit the limit has returned by then.
func RescueAfter(timeout time.Duration) time.Duration {
	return timeout + min(max(timeout/4, 5*time.Second), time.Minute)
}

// Event describes a task a worker ended, for metrics.
type Event struct {
	Kind    app.TaskKind
	Outcome Outcome
	Attempt int           // 1 for the first run
	Wait    time.Duration // from becoming available to starting: the queue latency
	Run     time.Duration
}

// Outcome is how a task's run ended.
type Outcome string

// Outcomes of a run.
const (
	Done       Outcome = "done"        // finished (its subject may record a failure the user can act on)
	Retry      Outcome = "retry"       // failed; it will run again
	GaveUp     Outcome = "gave_up"     // failed for the last time; its subject is marked failed
	HandedBack Outcome = "handed_back" // interrupted by shutdown; it runs again at once elsewhere
)

// Queue is the task queue of one process on one database; TTx is the
// store's transaction type. It implements app.Queue.
type Queue[TTx any] struct {
	client  *river.Client[TTx]
	core    *core
	migrate func(ctx context.Context) error
	count   counter
	forget  forgetter[TTx]
}

var _ app.Queue = (*Queue[any])(nil)

// EnqueueTx adds t inside tx, which must be a TTx of the database the
// Queue was built on.
func (q *Queue[TTx]) EnqueueTx(ctx context.Context, tx app.Tx, t app.Task) error {
	ttx, ok := tx.(TTx)
	if !ok {
		return fmt.Errorf("jobs: enqueue: transaction %T is not this queue's %T", tx, *new(TTx))
	}
	var err error
	switch t.Kind {
	case app.TaskClone:
		_, err = q.client.InsertTx(ctx, ttx, cloneArgs{t}, nil)
	case app.TaskSpeech:
		_, err = q.client.InsertTx(ctx, ttx, speechArgs{t}, nil)
	default:
		return fmt.Errorf("jobs: enqueue: unknown task kind %q", t.Kind)
	}
	if err != nil {
		return fmt.Errorf("jobs: enqueue %s: %w", t.Kind, err)
	}
	return nil
}

// Start begins running tasks with r until Stop. Only a Queue with
// Workers > 0 can start.
func (q *Queue[TTx]) Start(r Runner) error {
	if q.core.cfg.Workers <= 0 {
		return errors.New("jobs: start: no workers configured")
	}
	q.core.runner.Store(&r)
	// Not the caller's context: cancelling it would stop River abruptly;
	// Stop decides how running tasks end.
	if err := q.client.Start(context.Background()); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// handBackWait bounds how long Stop waits for cancelled tasks to return
// and be handed back once the grace period is over.
const handBackWait = 10 * time.Second

// Stop stops taking tasks and lets the running ones finish for up to
// grace. Then it cancels those still running, and each is handed back to
// the queue to start again at once on another worker (or this one, after
// a restart), without counting as an attempt. It returns when no task
// runs any more, or with an error after a further 10 s.
func (q *Queue[TTx]) Stop(grace time.Duration) error {
	if q.core.runner.Load() == nil {
		return nil
	}
	q.core.stopping.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := q.client.Stop(ctx); err == nil {
		return nil
	}
	q.core.log.Info("grace period over; handing back running tasks")
	ctx, cancel = context.WithTimeout(context.Background(), handBackWait)
	defer cancel()
	if err := q.client.StopAndCancel(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// core is what the workers share, whatever the transaction type.
type core struct {
	cfg      Config
	log      *slog.Logger
	runner   atomic.Pointer[Runner]
	stopping atomic.Bool
}
