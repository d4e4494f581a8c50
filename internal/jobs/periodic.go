package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/voxclone/voxclone/internal/app"
)

// Periodic is work the queue schedules every Interval while any worker
// process runs, for one worker to do each time, such as deleting blobs
// that no row references. A failed run is not retried: the next one comes
// soon enough.
type Periodic struct {
	// Name identifies the work; it is stored with each run, so it must not
	// change between versions.
	Name     string
	Interval time.Duration
	Run      func(ctx context.Context) error
}

// periodicArgs is the River job of one run of Periodic work.
type periodicArgs struct {
	Name string `json:"name"`
}

func (periodicArgs) Kind() string { return "voxclone_periodic" }

func (periodicArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueMaintenance, MaxAttempts: 1}
}

// periodicWorker runs Periodic work by name.
type periodicWorker struct {
	river.WorkerDefaults[periodicArgs]
	byName map[string]Periodic
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[periodicArgs]) error {
	p, ok := w.byName[job.Args.Name]
	if !ok {
		// Scheduled by a process of another version; nothing to do here.
		return river.JobCancel(fmt.Errorf("jobs: no periodic work named %q", job.Args.Name))
	}
	return p.Run(ctx)
}

// periodicJobs turns work into River's periodic jobs.
func periodicJobs(work []Periodic) []*river.PeriodicJob {
	out := make([]*river.PeriodicJob, 0, len(work))
	for _, p := range work {
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(p.Interval),
			func() (river.JobArgs, *river.InsertOpts) { return periodicArgs{Name: p.Name}, nil },
			&river.PeriodicJobOpts{ID: p.Name, RunOnStart: true}))
	}
	return out
}

// How often discarded tasks are looked for, and how far back.
const (
	giveUpEvery  = time.Minute
	giveUpWindow = 10 * time.Minute
)

// giveUpDiscarded returns the Periodic work that gives up the tasks River
// discarded itself: those whose worker died on their last attempt, which
// no worker could give up. Their models and jobs would otherwise stay
// pending. GiveUpTask leaves finished subjects alone, so looking at a
// task twice is harmless.
func giveUpDiscarded[TTx any](q *Queue[TTx]) Periodic {
	return Periodic{Name: "give_up_discarded", Interval: giveUpEvery, Run: func(ctx context.Context) error {
		params := river.NewJobListParams().Kinds(cloneArgs{}.Kind(), speechArgs{}.Kind()).
			States(rivertype.JobStateDiscarded).OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).First(100)
		res, err := q.client.JobList(ctx, params)
		if err != nil {
			return fmt.Errorf("jobs: list discarded tasks: %w", err)
		}
		r := *q.core.runner.Load()
		var errs []error
		for _, row := range res.Jobs {
			if row.FinalizedAt == nil || time.Since(*row.FinalizedAt) > giveUpWindow {
				break
			}
			var t app.Task
			if err := json.Unmarshal(row.EncodedArgs, &t); err != nil {
				errs = append(errs, fmt.Errorf("jobs: task %d: %w", row.ID, err))
				continue
			}
			errs = append(errs, r.GiveUpTask(ctx, t, errors.New("its worker stopped on every attempt")))
		}
		return errors.Join(errs...)
	}}
}
