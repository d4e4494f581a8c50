package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// ready returns a built model of alice's.
func (f *taskFixture) ready(t *testing.T) app.Model {
	t.Helper()
	m, task := f.pending(t)
	must(t, f.svc.RunTask(t.Context(), task))
	got, err := f.svc.GetModel(t.Context(), f.alice.ID, m.ID)
	must(t, err)
	return got
}

// job starts a job of alice's and returns it with its task.
func (f *taskFixture) job(t *testing.T, in app.SynthesizeInput) (app.Job, app.Task) {
	t.Helper()
	j, st, err := f.svc.StartSpeechJob(t.Context(), f.alice.ID, in)
	must(t, err)
	if st.Limit == 0 {
		t.Errorf("StartSpeechJob took no budget: %+v", st)
	}
	tasks := f.queue.Take()
	want := app.Task{Kind: app.TaskSpeech, UserID: f.alice.ID, ID: j.ID, Chars: j.Characters}
	if j.Status != app.JobQueued || len(tasks) != 1 || tasks[0] != want {
		t.Fatalf("StartSpeechJob = %+v, queued %+v; want queued, task %+v", j, tasks, want)
	}
	return j, tasks[0]
}

func TestSpeechJob(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		f := newTaskFixture(t, b, fakeEngine{})
		m := f.ready(t)
		text := "  " + strings.Repeat("A long text, spoken later. ", 10) + " "
		j, task := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: text, Format: "MP3", Pitch: 2})
		trimmed := strings.TrimSpace(text)
		if j.Characters != len(trimmed) || j.Preview != trimmed[:app.JobPreviewRunes] || j.Format != "mp3" ||
			j.Speed != 1 || j.Pitch != 2 || j.Kind != app.JobSynthesize || j.Progress != 0 {
			t.Errorf("queued job = %+v", j)
		}
		if got, err := f.svc.GetJob(ctx, f.alice.ID, j.ID); err != nil || got.Status != app.JobQueued || got.Preview != j.Preview {
			t.Errorf("GetJob = %+v, %v", got, err)
		}

		must(t, f.svc.RunTask(ctx, task))
		done, err := f.svc.GetJob(ctx, f.alice.ID, j.ID)
		must(t, err)
		if done.Status != app.JobDone || done.Progress != 1 || done.HistoryID == "" || done.StartedAt == nil || done.FinishedAt == nil {
			t.Fatalf("after the run: %+v", done)
		}
		syn, rc, err := f.svc.OpenHistoryAudio(ctx, f.alice.ID, done.HistoryID)
		must(t, err)
		rc.Close()
		if syn.Text != trimmed || syn.Format != "mp3" || syn.Pitch != 2 || syn.ModelID != m.ID {
			t.Errorf("history entry = %+v", syn)
		}
		// Running it again (a duplicate delivery) adds nothing.
		must(t, f.svc.RunTask(ctx, task))
		if page, _ := f.svc.ListHistory(ctx, f.alice.ID, 0, ""); len(page.Items) != 1 {
			t.Errorf("history after two runs of one job: %d entries, want 1", len(page.Items))
		}
		f.onlyBlob(t, syn.AudioKey)
		_, err = f.svc.CancelJob(ctx, f.alice.ID, j.ID)
		wantCode(t, err, app.EConflict)

		testJobInputs(t, f, m)
		testJobPages(t, f, m, j)
	})
}

// testJobInputs checks that bad requests are refused before anything is
// queued, and that jobs are private.
func testJobInputs(t *testing.T, f *taskFixture, m app.Model) {
	ctx := t.Context()
	for _, in := range []app.SynthesizeInput{
		{ModelID: m.ID, Text: "   "},
		{ModelID: m.ID, Text: "Hi.", Format: "xyz"},
		{ModelID: m.ID, Text: "Hi.", Speed: 3},
	} {
		_, _, err := f.svc.StartSpeechJob(ctx, f.alice.ID, in)
		wantCode(t, err, app.EInvalid)
	}
	_, _, err := f.svc.StartSpeechJob(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: strings.Repeat("a", app.MaxJobTextRunes+1)})
	wantCode(t, err, app.ETooLarge)
	_, _, err = f.svc.StartSpeechJob(ctx, f.bob.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Hi."})
	wantCode(t, err, app.ENotFound)
	pending, _ := f.pending(t)
	_, _, err = f.svc.StartSpeechJob(ctx, f.alice.ID, app.SynthesizeInput{ModelID: pending.ID, Text: "Hi."})
	wantCode(t, err, app.EUnprocessable)
	if tasks := f.queue.Take(); len(tasks) != 0 {
		t.Errorf("refused requests queued %+v", tasks)
	}
	f.clock.Advance(time.Second)
	j, _ := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Mine."})
	_, err = f.svc.GetJob(ctx, f.bob.ID, j.ID)
	wantCode(t, err, app.ENotFound)
	_, err = f.svc.GetJob(ctx, f.alice.ID, "ab\x00cd")
	wantCode(t, err, app.ENotFound)
	_, err = f.svc.CancelJob(ctx, f.bob.ID, j.ID)
	wantCode(t, err, app.ENotFound)
	if page, _ := f.svc.ListJobs(ctx, f.bob.ID, 0, ""); len(page.Items) != 0 {
		t.Errorf("bob lists %d jobs", len(page.Items))
	}
}

// testJobPages checks paging through alice's jobs, newest first.
func testJobPages(t *testing.T, f *taskFixture, m app.Model, oldest app.Job) {
	ctx := t.Context()
	var all []app.Job
	for p, cursor := 0, ""; p == 0 || cursor != ""; p++ {
		page, err := f.svc.ListJobs(ctx, f.alice.ID, 1, cursor)
		must(t, err)
		all, cursor = append(all, page.Items...), page.NextCursor
	}
	if len(all) != 2 || all[1].ID != oldest.ID || all[1].Status != app.JobDone {
		t.Errorf("jobs page by page = %+v, want 2, the done one last", all)
	}
	_, err := f.svc.ListJobs(ctx, f.alice.ID, 0, "bad cursor")
	wantCode(t, err, app.EInvalid)
}

func TestSpeechJobCancel(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		started := make(chan struct{}, 1)
		f := newTaskFixture(t, b, fakeEngine{speak: func(ctx context.Context, text string) error {
			if text != "Forever." {
				return nil
			}
			started <- struct{}{}
			<-ctx.Done() // only a cancellation ends it
			return ctx.Err()
		}})
		m := f.ready(t)

		// Cancelled while queued: the worker finds nothing to do.
		j, task := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Never."})
		got, err := f.svc.CancelJob(ctx, f.alice.ID, j.ID)
		must(t, err)
		if got.Status != app.JobCancelled || got.FinishedAt == nil {
			t.Errorf("CancelJob = %+v", got)
		}
		must(t, f.svc.RunTask(ctx, task))
		if again, err := f.svc.CancelJob(ctx, f.alice.ID, j.ID); err != nil || again.Status != app.JobCancelled {
			t.Errorf("cancelling twice = %+v, %v; want the cancelled job", again, err)
		}

		// Cancelled while running: the worker stops within a heartbeat.
		j, task = f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Forever."})
		ran := make(chan error, 1)
		go func() { ran <- f.svc.RunTask(ctx, task) }()
		<-started
		if got, _ := f.svc.GetJob(ctx, f.alice.ID, j.ID); got.Status != app.JobRunning {
			t.Fatalf("job = %+v, want running", got)
		}
		_, err = f.svc.CancelJob(ctx, f.alice.ID, j.ID)
		must(t, err)
		select {
		case err := <-ran:
			must(t, err)
		case <-time.After(5 * time.Second):
			t.Fatal("the running job did not stop after it was cancelled")
		}
		if got, _ := f.svc.GetJob(ctx, f.alice.ID, j.ID); got.Status != app.JobCancelled || got.HistoryID != "" {
			t.Errorf("job = %+v, want cancelled without history", got)
		}
		if page, _ := f.svc.ListHistory(ctx, f.alice.ID, 0, ""); len(page.Items) != 0 || f.blobCount(t, "audio") != 0 {
			t.Errorf("cancelled jobs left %d history entries, %d audio blobs", len(page.Items), f.blobCount(t, "audio"))
		}
	})
}

func TestSpeechJobFailures(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		outage := errors.New("engine crashed")
		f := newTaskFixture(t, b, fakeEngine{speak: func(_ context.Context, text string) error {
			if text == "Nothing." {
				return voice.ErrEmptyText
			}
			return outage
		}})
		m := f.ready(t)
		check := func(j app.Job, status, wantErr string) {
			t.Helper()
			got, err := f.svc.GetJob(ctx, f.alice.ID, j.ID)
			must(t, err)
			if got.Status != status || !strings.Contains(got.Error, wantErr) {
				t.Errorf("job = %+v, want %s with %q", got, status, wantErr)
			}
		}
		// The user's text: failed for good, with the reason.
		j, task := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Nothing."})
		must(t, f.svc.RunTask(ctx, task))
		check(j, app.JobFailed, "nothing to speak")

		// An outage: an error, so the queue retries; then it gives up.
		j, task = f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Hello."})
		if err := f.svc.RunTask(ctx, task); !errors.Is(err, outage) {
			t.Fatalf("RunTask = %v, want %v", err, outage)
		}
		check(j, app.JobRunning, "")
		must(t, f.svc.GiveUpTask(ctx, task, outage))
		check(j, app.JobFailed, "because a problem on the server")
		must(t, f.svc.GiveUpTask(ctx, task, outage)) // twice is harmless

		// Deleting the model deletes its jobs; their tasks find nothing.
		j, task = f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Hello."})
		must(t, f.svc.DeleteModel(ctx, f.alice.ID, m.ID))
		must(t, f.svc.RunTask(ctx, task))
		_, err := f.svc.GetJob(ctx, f.alice.ID, j.ID)
		wantCode(t, err, app.ENotFound)
	})
}

// TestSpeechJobProgress: a running job records how much of its text has
// been spoken, sentence by sentence.
func TestSpeechJobProgress(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		release := make(chan struct{})
		f := newTaskFixture(t, b, fakeEngine{chunk: func(ctx context.Context, i int) error {
			if i == 2 { // after two of the four sentences
				select {
				case <-release:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		}})
		m := f.ready(t)
		j, task := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "One two three. Four five six. Seven eight. Nine ten."})
		ran := make(chan error, 1)
		go func() { ran <- f.svc.RunTask(ctx, task) }()
		// A heartbeat may record the first sentence alone (15/52) before
		// the second is done; the pause holds 30/52 until a later one.
		var got app.Job
		for deadline := time.Now().Add(10 * time.Second); got.Progress < 0.5 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			got, _ = f.svc.GetJob(ctx, f.alice.ID, j.ID)
		}
		close(release)
		must(t, <-ran)
		// Two sentences of 52 characters: 30 (with the space after them).
		if got.Status != app.JobRunning || got.Progress < 0.5 || got.Progress > 0.6 {
			t.Errorf("job while paused = %+v, want running at 30/52", got)
		}
		if done, _ := f.svc.GetJob(ctx, f.alice.ID, j.ID); done.Status != app.JobDone || done.Progress != 1 {
			t.Errorf("job at the end = %+v, want done at 1", done)
		}
	})
}

// TestDeleteAccountQueuedTasks: tasks still queued when their account is
// deleted (a clone, a long-form synthesis) end without error and without
// leaving a file or a row behind, as docs/trust.md says.
func TestDeleteAccountQueuedTasks(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		f := newTaskFixture(t, b, fakeEngine{})
		ready := f.ready(t)
		_, clone := f.pending(t)
		_, speech := f.job(t, app.SynthesizeInput{ModelID: ready.ID, Text: "Spoken after the account is gone."})
		_, builtin := f.job(t, app.SynthesizeInput{Voice: "slt", Text: "Also spoken after."})
		if f.blobCount(t, "profiles") != 1 {
			t.Fatalf("%d profiles before the deletion, want the ready model's", f.blobCount(t, "profiles"))
		}
		_, err := f.svc.DeleteAccount(ctx, f.alice.ID, "correct horse battery")
		must(t, err)
		for _, task := range []app.Task{clone, speech, builtin} {
			if err := f.svc.RunTask(ctx, task); err != nil {
				t.Errorf("%s task of the deleted account: %v, want nil (nothing to do)", task.Kind, err)
			}
		}
		for _, kind := range []string{"samples", "profiles", "audio"} {
			if n := f.blobCount(t, kind); n != 0 {
				t.Errorf("%d %s files after the deleted account's tasks ran, want none", n, kind)
			}
		}
		page, err := f.svc.ListHistory(ctx, f.alice.ID, 0, "")
		must(t, err)
		if len(page.Items) != 0 {
			t.Errorf("the deleted account has %d history entries", len(page.Items))
		}
	})
}

// TestSpeechJobAudit: the audit log connects a job to the synthesis it
// recorded, the id detect names: the synthesis event accepting the job
// names the job (with the request), and job.done names the synthesis and
// the job. A second run of the job records nothing more.
func TestSpeechJobAudit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		f := newTaskFixture(t, b, fakeEngine{})
		m := f.ready(t)
		j, task := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Spoken later, in the background.", Format: "wav"})
		must(t, f.svc.RunTask(ctx, task))
		must(t, f.svc.RunTask(ctx, task))
		done, err := f.svc.GetJob(ctx, f.alice.ID, j.ID)
		must(t, err)
		page, err := f.svc.ListAudit(ctx, f.alice.ID, 50, "")
		must(t, err)
		var accepted, finished []app.AuditEvent
		for _, ev := range page.Items {
			switch ev.Kind {
			case app.AuditSynthesis:
				accepted = append(accepted, ev)
			case app.AuditJobDone:
				finished = append(finished, ev)
			}
		}
		if len(accepted) != 1 || accepted[0].Subject != j.ID || !strings.HasPrefix(accepted[0].Detail, "job ") {
			t.Errorf("synthesis events %+v, want one naming job %s", accepted, j.ID)
		}
		if len(finished) != 1 || finished[0].Subject != done.HistoryID || finished[0].Detail != "job="+j.ID {
			t.Errorf("job.done events %+v, want one naming synthesis %s and job=%s", finished, done.HistoryID, j.ID)
		}
	})
}

// lateCommit answers FinishJob as a database driver does whose commit has
// succeeded but whose reply it reads only after ctx has ended: with ctx's
// error. It waits up to a moment for that to happen.
type lateCommit struct{ app.Store }

func (l lateCommit) FinishJob(ctx context.Context, userID, id string, res app.JobResult, syn *app.Synthesis) error {
	if err := l.Store.FinishJob(ctx, userID, id, res, syn); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(300 * time.Millisecond):
		return nil
	}
}

// TestJobEndNotCutByHeartbeat: a job's heartbeat that finds the job just
// finished must not cancel the recording of its end. It did: the beat
// cancelled the context the end was being committed on, so a committed
// job could read as failed ("context canceled", seen on PostgreSQL), its
// synthesis then lost its watermark row and its job.done event, and the
// task was retried.
func TestJobEndNotCutByHeartbeat(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		late := backend{name: b.name, open: func(t *testing.T) app.Store { return lateCommit{b.open(t)} }}
		f := newTaskFixture(t, late, fakeEngine{})
		m := f.ready(t)
		j, task := f.job(t, app.SynthesizeInput{ModelID: m.ID, Text: "Finished just in time.", Format: "wav"})
		must(t, f.svc.RunTask(t.Context(), task))
		done, err := f.svc.GetJob(t.Context(), f.alice.ID, j.ID)
		must(t, err)
		if done.Status != app.JobDone {
			t.Fatalf("job %+v, want done", done)
		}
		if _, err := f.store.FindSynthesis(t.Context(), f.alice.ID, done.HistoryID); err != nil {
			t.Errorf("the job's synthesis: %v", err)
		}
		marks, err := f.store.RecentWatermarks(t.Context(), 10)
		must(t, err)
		marked := false
		for _, mk := range marks {
			marked = marked || mk.SynthesisID == done.HistoryID
		}
		if !marked {
			t.Errorf("the job's synthesis %s has no watermark row (marks %+v)", done.HistoryID, marks)
		}
		page, err := f.svc.ListAudit(t.Context(), f.alice.ID, 50, "")
		must(t, err)
		found := false
		for _, ev := range page.Items {
			found = found || (ev.Kind == app.AuditJobDone && ev.Subject == done.HistoryID)
		}
		if !found {
			t.Errorf("no job.done event for synthesis %s", done.HistoryID)
		}
	})
}
