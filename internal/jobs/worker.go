package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/voxclone/voxclone/internal/app"
)

// River queues: clones, which people wait for, never queue behind long
// syntheses.
const (
	queueClone       = "clone"
	queueSpeech      = "speech"
	queueMaintenance = "maintenance"
)

// cloneArgs and speechArgs are the River job arguments of the two task
// kinds: the task itself, as JSON. Their Kind strings are stored in the
// database and must not change.
type (
	cloneArgs  struct{ app.Task }
	speechArgs struct{ app.Task }
)

func (cloneArgs) Kind() string  { return "voxclone_clone" }
func (speechArgs) Kind() string { return "voxclone_speech" }

func (cloneArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueClone, MaxAttempts: MaxAttempts}
}

func (speechArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueSpeech, MaxAttempts: MaxAttempts}
}

func (a cloneArgs) task() app.Task  { return a.Task }
func (a speechArgs) task() app.Task { return a.Task }

// taskArgs is what the task workers accept.
type taskArgs interface {
	river.JobArgs
	task() app.Task
}

// taskWorker runs the tasks of one kind.
type taskWorker[A taskArgs] struct {
	river.WorkerDefaults[A]
	c *core
}

// Timeout gives a synthesis one Timeout per SpeechChars characters.
func (w *taskWorker[A]) Timeout(job *river.Job[A]) time.Duration {
	return w.c.timeout(job.Args.task())
}

func (w *taskWorker[A]) Work(ctx context.Context, job *river.Job[A]) error {
	return w.c.work(ctx, job.Args.task(), job.JobRow)
}

// timeout is how long t may run.
func (c *core) timeout(t app.Task) time.Duration {
	if t.Kind != app.TaskSpeech {
		return c.cfg.Timeout
	}
	n := (max(t.Chars, 1) + SpeechChars - 1) / SpeechChars
	return time.Duration(n) * c.cfg.Timeout
}

// work runs t. A failure on the last attempt gives the task up, so its
// model or job does not stay pending; one interrupted by Stop is handed
// back.
func (c *core) work(ctx context.Context, t app.Task, row *rivertype.JobRow) error {
	start := time.Now()
	ev := Event{Kind: t.Kind, Attempt: row.Attempt, Outcome: Done}
	if row.AttemptedAt != nil {
		ev.Wait = max(row.AttemptedAt.Sub(row.ScheduledAt), 0)
	}
	log := c.log.With(slog.String("task", string(t.Kind)), slog.String("id", t.ID), slog.Int("attempt", row.Attempt))
	log.Info("task started", slog.Duration("waited", ev.Wait))
	r := *c.runner.Load()
	err := r.RunTask(ctx, t)
	switch {
	case err == nil:
	case ctx.Err() != nil && c.stopping.Load():
		ev.Outcome, err = HandedBack, river.JobSnooze(0)
	case row.Attempt >= row.MaxAttempts:
		ev.Outcome = GaveUp
		gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		if gerr := r.GiveUpTask(gctx, t, err); gerr != nil {
			log.Error("give up task", slog.Any("err", gerr))
		}
		cancel()
	default:
		ev.Outcome = Retry
	}
	ev.Run = time.Since(start)
	log.Info("task ended", slog.String("outcome", string(ev.Outcome)), slog.Duration("took", ev.Run), slog.Any("err", err))
	if c.cfg.Observe != nil {
		c.cfg.Observe(ev)
	}
	return err
}
