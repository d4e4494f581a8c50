package apptest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// errThen is what the TxFunc of the rollback checks returns.
var errThen = errors.New("apptest: enqueue failed")

// thenFunc returns a TxFunc that records its transaction in *got and
// returns err.
func thenFunc(got *app.Tx, err error) app.TxFunc {
	return func(_ context.Context, tx app.Tx) error {
		*got = tx
		return err
	}
}

// testModelPending checks CreateModel's TxFunc and FinishModel.
func testModelPending(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	a1 := newSample(t, s, alice, 0)
	m := app.Model{ID: app.NewID(), UserID: alice.ID, Name: "v", Status: app.ModelPending, Engine: "e",
		SampleIDs: []string{a1.ID}, CreatedAt: T0, UpdatedAt: T0}

	// An error from the TxFunc rolls the model back, links included.
	var tx app.Tx
	if err := s.CreateModel(ctx, m, thenFunc(&tx, errThen)); !errors.Is(err, errThen) {
		t.Fatalf("CreateModel with a failing TxFunc = %v, want %v", err, errThen)
	}
	if tx == nil {
		t.Error("the TxFunc got no transaction")
	}
	_, err := s.FindModel(ctx, alice.ID, m.ID)
	wantCode(t, err, app.ENotFound)

	must(t, s.CreateModel(ctx, m, thenFunc(&tx, nil)))
	got, err := s.FindModel(ctx, alice.ID, m.ID)
	must(t, err)
	if got.Status != app.ModelPending {
		t.Fatalf("model = %+v, want pending", got)
	}
	at := T0.Add(time.Minute)
	res := app.ModelResult{Status: app.ModelReady, ProfileKey: "profiles/" + app.NewID() + ".vxp", ProfileBytes: 99, At: at}
	wantCode(t, s.FinishModel(ctx, bob.ID, m.ID, res), app.ENotFound)
	must(t, s.FinishModel(ctx, alice.ID, m.ID, res))
	want := m
	want.Status, want.ProfileKey, want.ProfileBytes, want.UpdatedAt = res.Status, res.ProfileKey, res.ProfileBytes, at
	if got, _ := s.FindModel(ctx, alice.ID, m.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("after FinishModel:\n%+v, want\n%+v", got, want)
	}
	// A finished model is not pending any more: a second outcome is refused.
	failed := app.ModelResult{Status: app.ModelFailed, Failure: "late", At: at.Add(time.Second)}
	wantCode(t, s.FinishModel(ctx, alice.ID, m.ID, failed), app.ENotFound)
	wantCode(t, s.FinishModel(ctx, alice.ID, app.NewID(), failed), app.ENotFound)
	if got, _ := s.FindModel(ctx, alice.ID, m.ID); got.Status != app.ModelReady {
		t.Errorf("a second outcome changed the model: %+v", got)
	}
}

// newJob creates a queued job of u's on model m with text, created at T0
// plus offset seconds.
func newJob(t *testing.T, s app.Store, u app.User, m app.Model, offset int, text string) app.Job {
	t.Helper()
	at := T0.Add(time.Duration(offset) * time.Second)
	j := app.Job{ID: app.NewID(), UserID: u.ID, Kind: app.JobSynthesize, Status: app.JobQueued,
		ModelID: m.ID, Text: text, Characters: len([]rune(text)), Format: "mp3", Speed: 1.25, Pitch: -1,
		Similarity: ptr(0.5), SampleRate: 22050, CreatedAt: at, UpdatedAt: at}
	must(t, s.CreateJob(t.Context(), j, nil))
	j.Preview, j.Text = string([]rune(text)[:min(len([]rune(text)), app.JobPreviewRunes)]), ""
	return j
}

// testJobs checks the job rows: creation with its TxFunc, reads, paging
// and the life of one job.
func testJobs(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice, bob := newUser(t, s), newUser(t, s)
	m := newModel(t, s, alice, 0, newSample(t, s, alice, 0))
	text := strings.Repeat("Ça va? Très bien 🙂. ", 20) // multi-byte: Preview counts characters

	var tx app.Tx
	j := app.Job{ID: app.NewID(), UserID: alice.ID, Kind: app.JobSynthesize, Status: app.JobQueued,
		ModelID: m.ID, Text: "x", Characters: 1, Format: "wav", Speed: 1, CreatedAt: T0, UpdatedAt: T0}
	if err := s.CreateJob(ctx, j, thenFunc(&tx, errThen)); !errors.Is(err, errThen) || tx == nil {
		t.Fatalf("CreateJob with a failing TxFunc = %v (tx %v), want %v", err, tx, errThen)
	}
	got, err := s.FindJob(ctx, alice.ID, j.ID)
	wantCode(t, err, app.ENotFound)
	j.UserID = bob.ID // a job on another user's model
	wantCode(t, s.CreateJob(ctx, j, nil), app.ENotFound)

	// A job in a built-in voice names no model, and its history entry names
	// the voice.
	bj := app.Job{ID: app.NewID(), UserID: bob.ID, Kind: app.JobSynthesize, Status: app.JobQueued,
		Voice: "slt", Text: "Built in.", Characters: 9, Format: "wav", Speed: 1, CreatedAt: T0, UpdatedAt: T0}
	must(t, s.CreateJob(ctx, bj, nil))
	got, err = s.FindJob(ctx, bob.ID, bj.ID)
	if err != nil || got.Voice != "slt" || got.ModelID != "" || got.Preview != "Built in." {
		t.Errorf("job in a built-in voice = %+v, %v", got, err)
	}
	bsyn := app.Synthesis{ID: app.NewID(), UserID: bob.ID, Voice: "slt", Text: "Built in.", Format: "wav",
		Speed: 1, SampleRate: 24000, CreatedAt: T0}
	bsyn.AudioKey = "audio/" + bsyn.ID + ".wav"
	must(t, s.FinishJob(ctx, bob.ID, bj.ID, app.JobResult{Status: app.JobDone, HistoryID: bsyn.ID, At: T0}, &bsyn))
	if h, err := s.FindSynthesis(ctx, bob.ID, bsyn.ID); err != nil || h.Voice != "slt" || h.ModelID != "" {
		t.Errorf("its history entry = %+v, %v", h, err)
	}

	j1 := newJob(t, s, alice, m, 1, text)
	j2 := newJob(t, s, alice, m, 2, "Short.")
	j3 := newJob(t, s, alice, m, 2, "Same time.")
	got, err = s.FindJob(ctx, alice.ID, j1.ID)
	must(t, err)
	if !reflect.DeepEqual(got, j1) || len([]rune(got.Preview)) != app.JobPreviewRunes {
		t.Errorf("FindJob =\n%+v, want\n%+v", got, j1)
	}
	_, err = s.FindJob(ctx, bob.ID, j1.ID)
	wantCode(t, err, app.ENotFound)

	newer := j3
	if j2.ID > j3.ID {
		newer = j2
	}
	page, err := s.ListJobs(ctx, alice.ID, 1, nil)
	must(t, err)
	if len(page) != 1 || page[0].ID != newer.ID {
		t.Fatalf("ListJobs page 1 = %+v, want the newest (%s)", page, newer.ID)
	}
	rest, err := s.ListJobs(ctx, alice.ID, 10, &app.HistoryCursor{CreatedAt: page[0].CreatedAt, ID: page[0].ID})
	must(t, err)
	if len(rest) != 2 || rest[1].ID != j1.ID || !reflect.DeepEqual(rest[1], j1) {
		t.Errorf("ListJobs after the cursor = %+v, want the other two, j1 last", rest)
	}
	if list, err := s.ListJobs(ctx, bob.ID, 10, nil); err != nil || len(list) != 1 || list[0].ID != bj.ID {
		t.Errorf("ListJobs(bob) = %#v, %v; want only bob's job", list, err)
	}
	if list, err := s.ListJobs(ctx, newUser(t, s).ID, 10, nil); err != nil || list == nil || len(list) != 0 {
		t.Errorf("ListJobs(a user without jobs) = %#v, %v; want empty, non-nil", list, err)
	}
	testJobLife(t, s, alice, bob, j1, text)
}

// testJobLife runs j (whose text is text) through start, progress and
// completion.
func testJobLife(t *testing.T, s app.Store, alice, bob app.User, j app.Job, text string) {
	ctx := t.Context()
	at := T0.Add(time.Minute)
	_, err := s.StartJob(ctx, bob.ID, j.ID, at)
	wantCode(t, err, app.ENotFound)
	run, err := s.StartJob(ctx, alice.ID, j.ID, at)
	must(t, err)
	if run.Status != app.JobRunning || run.Text != text || run.StartedAt == nil || !run.StartedAt.Equal(at) {
		t.Fatalf("StartJob = %+v, want running with its whole text, started at %v", run, at)
	}
	wantCode(t, s.SetJobProgress(ctx, bob.ID, j.ID, 0.5, at), app.ENotFound)
	must(t, s.SetJobProgress(ctx, alice.ID, j.ID, 0.25, at.Add(time.Second)))
	if got, _ := s.FindJob(ctx, alice.ID, j.ID); got.Progress != 0.25 || !got.UpdatedAt.Equal(at.Add(time.Second)) {
		t.Errorf("after SetJobProgress: %+v", got)
	}
	// A retried job starts again from nothing.
	again, err := s.StartJob(ctx, alice.ID, j.ID, at.Add(2*time.Second))
	must(t, err)
	if again.Progress != 0 || !again.StartedAt.Equal(at.Add(2*time.Second)) {
		t.Errorf("StartJob again = %+v, want progress 0 from the new start", again)
	}

	// A failed history insert leaves the job running: both or neither.
	syn := app.Synthesis{ID: app.NewID(), UserID: alice.ID, ModelID: app.NewID(), Text: text, Format: "mp3",
		Speed: 1.25, SampleRate: 22050, AudioKey: "audio/" + app.NewID() + ".mp3", CreatedAt: at}
	done := app.JobResult{Status: app.JobDone, HistoryID: syn.ID, At: at.Add(3 * time.Second)}
	wantCode(t, s.FinishJob(ctx, alice.ID, j.ID, done, &syn), app.ENotFound) // no such model
	if got, _ := s.FindJob(ctx, alice.ID, j.ID); got.Status != app.JobRunning {
		t.Fatalf("after a failed finish the job is %s, want running", got.Status)
	}
	syn.ModelID = j.ModelID
	wantCode(t, s.FinishJob(ctx, bob.ID, j.ID, done, &syn), app.ENotFound)
	must(t, s.FinishJob(ctx, alice.ID, j.ID, done, &syn))
	got, err := s.FindJob(ctx, alice.ID, j.ID)
	must(t, err)
	if got.Status != app.JobDone || got.Progress != 1 || got.HistoryID != syn.ID || got.FinishedAt == nil ||
		!got.FinishedAt.Equal(done.At) {
		t.Errorf("finished job = %+v, want done, progress 1, history %s", got, syn.ID)
	}
	if h, err := s.FindSynthesis(ctx, alice.ID, syn.ID); err != nil || h.Text != text {
		t.Errorf("history entry of the job: %+v, %v", h, err)
	}

	// Ended means ended: no second outcome, no progress, no restart.
	syn2 := syn
	syn2.ID, syn2.AudioKey = app.NewID(), "audio/"+app.NewID()+".mp3"
	wantCode(t, s.FinishJob(ctx, alice.ID, j.ID, app.JobResult{Status: app.JobDone, HistoryID: syn2.ID, At: at}, &syn2), app.EConflict)
	wantCode(t, s.FinishJob(ctx, alice.ID, j.ID, app.JobResult{Status: app.JobCancelled, At: at}, nil), app.EConflict)
	_, err = s.FindSynthesis(ctx, alice.ID, syn2.ID)
	wantCode(t, err, app.ENotFound)
	wantCode(t, s.SetJobProgress(ctx, alice.ID, j.ID, 0.5, at), app.ENotFound)
	if again, err := s.StartJob(ctx, alice.ID, j.ID, at); err != nil || again.Status != app.JobDone {
		t.Errorf("StartJob on a done job = %+v, %v; want it unchanged", again, err)
	}
	wantCode(t, s.FinishJob(ctx, alice.ID, app.NewID(), done, nil), app.ENotFound)
}

// testJobCancelAndDelete checks cancelling a queued job, a failure with
// its reason, and that deleting a model deletes its jobs.
func testJobCancelAndDelete(t *testing.T, s app.Store) {
	ctx := t.Context()
	alice := newUser(t, s)
	m := newModel(t, s, alice, 0, newSample(t, s, alice, 0))
	j1, j2 := newJob(t, s, alice, m, 1, "One."), newJob(t, s, alice, m, 2, "Two.")
	at := T0.Add(time.Hour)
	must(t, s.FinishJob(ctx, alice.ID, j1.ID, app.JobResult{Status: app.JobCancelled, At: at}, nil))
	must(t, s.FinishJob(ctx, alice.ID, j2.ID, app.JobResult{Status: app.JobFailed, Error: "no words", At: at}, nil))
	if got, _ := s.FindJob(ctx, alice.ID, j1.ID); got.Status != app.JobCancelled || got.Progress != 0 || got.FinishedAt == nil {
		t.Errorf("cancelled job = %+v", got)
	}
	if got, _ := s.FindJob(ctx, alice.ID, j2.ID); got.Status != app.JobFailed || got.Error != "no words" {
		t.Errorf("failed job = %+v", got)
	}
	if _, _, err := s.DeleteModel(ctx, alice.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.FindJob(ctx, alice.ID, j1.ID)
	wantCode(t, err, app.ENotFound)
}

// finishOnce has n goroutines over the stores finish job j of u's at once,
// each with its own history entry: exactly one must win, and leave the
// only entry.
func finishOnce(t *testing.T, stores []app.Store, u app.User, j app.Job, n int) {
	ctx := t.Context()
	errs := make([]error, n)
	syns := make([]app.Synthesis, n)
	var wg sync.WaitGroup
	for i := range n {
		syns[i] = app.Synthesis{ID: app.NewID(), UserID: u.ID, ModelID: j.ModelID, Text: "t", Format: "wav",
			Speed: 1, SampleRate: 16000, CreatedAt: T0}
		syns[i].AudioKey = "audio/" + syns[i].ID + ".wav"
		wg.Go(func() {
			errs[i] = stores[i%len(stores)].FinishJob(ctx, u.ID, j.ID,
				app.JobResult{Status: app.JobDone, HistoryID: syns[i].ID, At: T0}, &syns[i])
		})
	}
	wg.Wait()
	won := -1
	for i, err := range errs {
		switch app.ErrorCode(err) {
		case "":
			if won >= 0 {
				t.Fatalf("FinishJob succeeded twice (%d and %d)", won, i)
			}
			won = i
		case app.EConflict:
		default:
			t.Fatalf("FinishJob %d: %v", i, err)
		}
	}
	if won < 0 {
		t.Fatal("no FinishJob succeeded")
	}
	hist, err := stores[0].ListHistory(ctx, u.ID, 100, nil)
	must(t, err)
	if len(hist) != 1 || hist[0].ID != syns[won].ID {
		t.Errorf("history after %d concurrent finishes = %+v, want only entry %s", n, hist, syns[won].ID)
	}
}
