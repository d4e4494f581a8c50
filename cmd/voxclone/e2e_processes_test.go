package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/blob/s3blob/s3blobtest"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// The budget of each user for each action in TestSeveralProcesses: every
// user clones budget voices and starts budget synthesis jobs, so four
// users make 4 × 2 × budget = 40 jobs.
const (
	budget      = 5
	extraTries  = 2 // over the budget, sent in the same burst: refused
	procUsers   = 4
	procTimeout = "20s" // VOXCLONE_JOB_TIMEOUT: a killed worker's task runs again ≈ 25–55 s after it started
)

// TestSeveralProcesses runs the real binary as two API processes
// (VOXCLONE_WORKERS=0) and two worker processes on one PostgreSQL schema
// and one S3 bucket, served over HTTP by this test process. Four users send a burst of clone and long-form
// synthesis requests through both API processes, over their rate budget;
// a worker is killed with SIGKILL while it speaks a job and a fresh one
// started. Every job must end done exactly once (one history entry per
// job, none lost, no model left pending), and each user must get exactly
// the budget across the two API processes. Then the blob sweeper runs
// (`voxclone sweep`): it must delete the blobs no row refers to, once
// older than its grace period, and none that a row refers to.
func TestSeveralProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs six processes of the binary")
	}
	bin := buildBinary(t)
	dsn := pgtest.Schema(t)
	dir := dataDir(t)
	bucket := s3blobtest.Start(t).NewBucket(t)
	env := append(s3blobtest.Env(bucket), "VOXCLONE_DATABASE_URL="+dsn, fmt.Sprintf("VOXCLONE_RATE_LIMIT=%d/h", budget),
		"VOXCLONE_JOB_TIMEOUT="+procTimeout)
	if out, err := runBinary(t, bin, append(env, "VOXCLONE_DATA_DIR="+dir), "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	apis := []*server{
		startServer(t, bin, dir, append(env, "VOXCLONE_WORKERS=0")...),
		startServer(t, bin, dir, append(env, "VOXCLONE_WORKERS=0")...),
	}
	// One task of each kind per worker process keeps each task well within
	// its time limit on a busy machine.
	worker := func() *server { return startProcess(t, bin, "worker", dir, append(env, "VOXCLONE_WORKERS=1")...) }
	workers := []*server{worker(), worker()}

	start := time.Now()
	users := make([]*procUser, procUsers)
	for i := range users {
		users[i] = newProcUser(t, apis, i)
	}
	// Each user's first voice is built before the burst, so that synthesis
	// jobs have a ready model to speak with.
	forEach(users, func(u *procUser) { u.first() })
	t.Logf("%v: %d users with a sample and a ready voice", time.Since(start).Round(time.Millisecond), len(users))

	killed := make(chan taskLine, 1)
	go func() { killed <- killMidJob(t, workers) }()
	forEach(users, func(u *procUser) { u.burst() })
	t.Logf("%v: burst sent", time.Since(start).Round(time.Millisecond))
	victim := <-killed
	t.Logf("%v: killed a worker in job %s; starting another", time.Since(start).Round(time.Millisecond), victim.ID)
	workers = append(workers, worker())

	forEach(users, func(u *procUser) { u.waitAll() })
	t.Logf("%v: every voice and job finished", time.Since(start).Round(time.Millisecond))
	for _, u := range users {
		u.check()
	}
	checkRerun(t, workers, victim)
	logQueueWaits(t, workers)
	checkDatabase(t, dsn)
	checkSweep(t, bin, append(env, "VOXCLONE_DATA_DIR="+dir), dsn, bucket, apis[0])
}

// procUser is one user of TestSeveralProcesses, with a client on each API
// process.
type procUser struct {
	t       *testing.T
	clients []*client // one per API process, same token
	sample  string
	model   string            // the first voice, which the jobs speak with
	models  map[string]bool   // every voice made
	jobs    map[string]string // job id → its text
	refused map[string]int    // action → requests refused with 429
}

// procVoices are flite's built-in voices: each user reads with another.
var procVoices = []string{"slt", "rms", "awb", "kal16"}

func newProcUser(t *testing.T, apis []*server, i int) *procUser {
	c, _ := registerUser(t, apis[i%len(apis)].URL, fmt.Sprintf("user%d@example.com", i))
	u := &procUser{t: t, models: map[string]bool{}, jobs: map[string]string{}, refused: map[string]int{}}
	for _, s := range apis {
		u.clients = append(u.clients, &client{t: t, url: s.URL, token: c.token})
	}
	form, ct := uploadForm(fliteSpeech(t, procVoices[i%len(procVoices)]), "read.wav", nil)
	var smp app.Sample
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &smp)
	u.sample = smp.ID
	return u
}

// fliteSpeech is about 20 s of flite's voice reading, enough for a sample:
// made here, so the test needs no recordings.
func fliteSpeech(t *testing.T, voice string) []byte {
	t.Helper()
	res, err := flite.Synthesize(context.Background(), voice, procParagraph, flite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := codec.Encode(context.Background(), &buf, res.Audio, audio.FormatWAV, codec.EncodeOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const procParagraph = "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. " +
	"The rainbow is a division of white light into many beautiful colors. These take the shape of a long " +
	"round arch, with its path high above, and its two ends apparently beyond the horizon. There is, " +
	"according to legend, a boiling pot of gold at one end. People look, but no one ever finds it. " +
	"When a man looks for something beyond his reach, his friends say he is looking for the pot of gold."

// first clones the user's first voice and waits until it is ready.
func (u *procUser) first() {
	m := u.clients[0].clone(map[string]any{"sample_ids": []string{u.sample}})
	if m.Status != app.ModelReady {
		u.t.Fatalf("first voice = %+v", m)
	}
	u.model, u.models[m.ID] = m.ID, true
}

// burst sends the rest of the budget and extraTries more of each action,
// all at once, alternating between the API processes.
func (u *procUser) burst() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range (budget - 1) + extraTries + budget + extraTries {
		c := u.clients[i%len(u.clients)]
		clone := i < budget-1+extraTries
		text := fmt.Sprintf("Job %d of this user. %s", i, procSentences)
		wg.Go(func() {
			path, body := "/api/voice/jobs/synthesize", map[string]any{"model_id": u.model, "text": text, "format": "mp3"}
			if clone {
				path, body = "/api/voice/clone", map[string]any{"sample_ids": []string{u.sample}}
			}
			status, _, data := c.do("POST", path, body)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case status == http.StatusTooManyRequests:
				u.refused[path]++
			case status == http.StatusAccepted && clone:
				var m app.Model
				mustJSON(u.t, data, &m)
				u.models[m.ID] = true
			case status == http.StatusAccepted:
				var a struct{ Job app.Job }
				mustJSON(u.t, data, &a)
				u.jobs[a.Job.ID] = text
			default:
				u.t.Errorf("POST %s: status %d: %s", path, status, data)
			}
		})
	}
	wg.Wait()
}

// procSentences make a job last a few seconds, long enough to be killed
// in the middle.
const procSentences = "The rainbow is a division of white light into many beautiful colors. " +
	"These take the shape of a long round arch. People look, but no one ever finds the gold. " +
	"Throughout the centuries people have explained the rainbow in various ways."

// waitAll waits until every voice and job of the user has finished.
func (u *procUser) waitAll() {
	deadline := time.Now().Add(4 * time.Minute)
	for {
		pending := 0
		var models struct{ Items []app.Model }
		u.clients[1].json("GET", "/api/voice/models", nil, 200, &models)
		for _, m := range models.Items {
			if m.Status == app.ModelPending {
				pending++
			}
		}
		var jobs app.JobPage
		u.clients[0].json("GET", "/api/voice/jobs?limit=100", nil, 200, &jobs)
		for _, j := range jobs.Items {
			if !j.Finished() {
				pending++
			}
		}
		if pending == 0 {
			return
		}
		if time.Now().After(deadline) {
			u.t.Fatalf("%d voices and jobs still unfinished after 4 minutes", pending)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// check compares what the user sent with what the service kept.
func (u *procUser) check() {
	t := u.t
	if len(u.models) != budget || len(u.jobs) != budget ||
		u.refused["/api/voice/clone"] != extraTries || u.refused["/api/voice/jobs/synthesize"] != extraTries {
		t.Errorf("accepted %d clones and %d jobs, refused %v; want exactly %d of each accepted across both processes and %d refused",
			len(u.models), len(u.jobs), u.refused, budget, extraTries)
	}
	var models struct{ Items []app.Model }
	u.clients[0].json("GET", "/api/voice/models", nil, 200, &models)
	for _, m := range models.Items {
		if !u.models[m.ID] || m.Status != app.ModelReady || m.ProfileBytes == 0 {
			t.Errorf("voice %+v: want one of the user's, ready", m)
		}
	}
	var jobs app.JobPage
	u.clients[1].json("GET", "/api/voice/jobs?limit=100", nil, 200, &jobs)
	var hist app.HistoryPage
	u.clients[0].json("GET", "/api/voice/history?limit=100", nil, 200, &hist)
	entries := map[string]app.Synthesis{}
	for _, h := range hist.Items {
		entries[h.ID] = h
	}
	if len(models.Items) != budget || len(jobs.Items) != budget || len(hist.Items) != budget {
		t.Errorf("the service keeps %d voices, %d jobs, %d history entries; want %d of each",
			len(models.Items), len(jobs.Items), len(hist.Items), budget)
	}
	for _, j := range jobs.Items {
		h, ok := entries[j.HistoryID]
		if j.Status != app.JobDone || !ok || h.Text != u.jobs[j.ID] || h.SizeBytes == 0 {
			t.Errorf("job %+v: want done, with its own history entry (%+v)", j, h)
		}
		delete(entries, j.HistoryID)
	}
	for _, h := range entries {
		t.Errorf("history entry %s belongs to no job: a job completed twice", h.ID)
	}
}

// killMidJob waits for a worker to start speaking a job and kills it with
// SIGKILL at once, and returns that task.
func killMidJob(t *testing.T, workers []*server) taskLine {
	deadline := time.After(3 * time.Minute)
	merged := make(chan struct {
		w    *server
		line taskLine
	}, 100)
	stop := make(chan struct{})
	defer close(stop)
	for _, w := range workers {
		go func() {
			for {
				select {
				case l := <-w.tasks:
					merged <- struct {
						w    *server
						line taskLine
					}{w, l}
				case <-stop:
					return
				}
			}
		}()
	}
	for {
		select {
		case e := <-merged:
			if e.line.Msg != "task started" || e.line.Task != string(app.TaskSpeech) {
				continue
			}
			if err := e.w.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Errorf("kill: %v", err)
			}
			<-e.w.exited
			return e.line
		case <-deadline:
			t.Errorf("no worker started a synthesis job within 3 minutes")
			return taskLine{}
		}
	}
}

// checkRerun checks that the killed worker had not finished the task it
// was killed in, and that another worker ran it again to the end.
func checkRerun(t *testing.T, workers []*server, victim taskLine) {
	if victim.ID == "" {
		return
	}
	var endedFirst, rerun bool
	for _, w := range workers {
		for _, line := range strings.Split(w.logs.String(), "\n") {
			if !strings.Contains(line, `"id":"`+victim.ID+`"`) {
				continue
			}
			if strings.Contains(line, `"task ended"`) && strings.Contains(line, `"attempt":1,`) {
				endedFirst = true
			}
			if strings.Contains(line, `"task ended"`) && strings.Contains(line, `"outcome":"done"`) &&
				!strings.Contains(line, `"attempt":1,`) {
				rerun = true
			}
		}
	}
	if endedFirst || !rerun {
		t.Errorf("task %s: first run ended before the kill: %v; run again to the end elsewhere: %v", victim.ID, endedFirst, rerun)
	}
}

// checkDatabase looks past the API: one history row per done job, and
// every task of the queue completed. A task whose worker died after its
// subject was finished still runs again (and finds nothing to do) once
// rescued, so the queue gets time to drain.
func checkDatabase(t *testing.T, dsn string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var unfinished []string
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(500 * time.Millisecond) {
		rows, err := conn.Query(ctx, `SELECT kind || ' ' || state || ' attempt ' || attempt FROM river_job
			WHERE kind IN ('voxclone_clone', 'voxclone_speech') AND state <> 'completed'`)
		if err != nil {
			t.Fatal(err)
		}
		if unfinished, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			t.Fatal(err)
		}
		if len(unfinished) == 0 || time.Now().After(deadline) {
			break
		}
	}
	var jobs, history, distinct, pending int
	err = conn.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM voice_jobs WHERE status = 'done'),
		(SELECT count(*) FROM voice_synthesis_history),
		(SELECT count(DISTINCT history_id) FROM voice_jobs),
		(SELECT count(*) FROM voice_models WHERE status <> 'ready')`).Scan(&jobs, &history, &distinct, &pending)
	if err != nil {
		t.Fatal(err)
	}
	want := procUsers * budget
	if jobs != want || history != want || distinct != want || len(unfinished) != 0 || pending != 0 {
		t.Errorf("database: %d done jobs, %d history rows, %d distinct history ids, unfinished tasks %v, %d models not ready; want %d, %d, %d, none, 0",
			jobs, history, distinct, unfinished, pending, want, want, want)
	}
}

// checkSweep plants a blob no row refers to beside what the processes
// stored, then runs `voxclone sweep` twice: with the default grace period
// of an hour it deletes nothing (every blob is young); with one second,
// it deletes every unreferenced blob, the planted one and any that a
// killed worker left, and keeps every blob a row refers to. Health on an
// API process then reports the sweep.
func checkSweep(t *testing.T, bin string, env []string, dsn string, bucket blob.S3Location, api *server) {
	blobs := s3blobtest.Open(t, bucket)
	planted := "audio/" + app.NewID() + ".mp3"
	if _, err := blobs.Put(t.Context(), planted, strings.NewReader("no row names this")); err != nil {
		t.Fatal(err)
	}
	refs := blobRefs(t, dsn)
	before := listBlobs(t, blobs)
	young := sweepOnce(t, bin, env)
	time.Sleep(2 * time.Second) // S3 keeps modification times to the second
	old := sweepOnce(t, bin, env, "-grace", "1s")
	after := listBlobs(t, blobs)
	t.Logf("sweep: %d blobs for %d rows; with 1h grace %+v; with 1s grace %+v", len(before), len(refs), young, old)
	if young.Deleted != 0 || young.Missing != 0 || young.Blobs != len(before) {
		t.Errorf("sweep with an hour's grace = %+v; want %d blobs, none deleted, none missing", young, len(before))
	}
	if old.Missing != 0 || old.Deleted != len(before)-len(refs) || old.Deleted < 1 {
		t.Errorf("sweep with 1s grace = %+v; want the %d unreferenced of %d blobs deleted, none missing",
			old, len(before)-len(refs), len(before))
	}
	for k := range after {
		if !refs[k] {
			t.Errorf("blob %s is left, and no row refers to it", k)
		}
	}
	for k := range refs {
		if !after[k] {
			t.Errorf("blob %s, which a row refers to, is gone", k)
		}
	}
	var h app.Health
	(&client{t: t, url: api.URL}).json("GET", "/api/voice/health", nil, 200, &h)
	if h.Blobs == nil || h.Blobs.Deleted != old.Deleted || h.Blobs.Missing != 0 || h.Blobs.MissingKeys != nil {
		t.Errorf("health reports the sweep %+v; want the last one, %+v, without keys", h.Blobs, old)
	}
}

// sweepOnce runs `voxclone sweep` and returns what it printed.
func sweepOnce(t *testing.T, bin string, env []string, args ...string) app.BlobSweep {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sweep"}, args...)...)
	cmd.Env = append(serverEnv(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("voxclone sweep %v: %v\n%s", args, err, stderr.String())
	}
	var res app.BlobSweep
	mustJSON(t, out, &res)
	return res
}

// blobRefs returns the keys of the stored audio, profiles and samples
// that rows refer to.
func blobRefs(t *testing.T, dsn string) map[string]bool {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT audio_key FROM voice_synthesis_history
		UNION ALL SELECT profile_key FROM voice_models WHERE profile_key <> '' UNION ALL SELECT blob_key FROM voice_samples`)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]bool{}
	for _, k := range keys {
		refs[k] = true
	}
	return refs
}

// listBlobs returns the keys in the bucket.
func listBlobs(t *testing.T, blobs app.Blobs) map[string]bool {
	keys := map[string]bool{}
	if err := blobs.List(t.Context(), func(bi app.BlobInfo) error { keys[bi.Key] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return keys
}

// forEach runs fn for every user at once and waits.
func forEach(users []*procUser, fn func(u *procUser)) {
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Go(func() { fn(u) })
	}
	wg.Wait()
}

func mustJSON(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Errorf("%s: %v", data, err)
	}
}

// workerHandsBack runs an API-only server and a worker on one SQLite file.
// SIGTERM reaches the worker while it speaks a job: with a grace period of
// 1 s, it must hand the job back and exit cleanly, and the next worker must
// run it to the end, on the same attempt.
func workerHandsBack(t *testing.T, bin string) {
	dir := dataDir(t)
	api := startServer(t, bin, dir, "VOXCLONE_WORKERS=0")
	env := []string{"VOXCLONE_WORKERS=1", "VOXCLONE_SHUTDOWN_GRACE=1s"}
	w := startProcess(t, bin, "worker", dir, env...)
	c, _ := registerUser(t, api.URL, "patient@example.com")
	form, ct := uploadForm(fliteSpeech(t, "slt"), "read.wav", nil)
	var smp app.Sample
	c.jsonCT("POST", "/api/voice/upload", form, ct, 201, &smp)
	m := c.clone(map[string]any{"sample_ids": []string{smp.ID}})
	var a struct{ Job app.Job }
	c.json("POST", "/api/voice/jobs/synthesize", map[string]any{"model_id": m.ID,
		"text": strings.Repeat(procSentences+" ", 12)}, 202, &a)
	waitTask(t, w, "task started", a.Job.ID)
	if err := w.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-w.exited:
		if err != nil {
			t.Fatalf("worker exit after SIGTERM: %v\n%s", err, w.logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("worker still running 20 s after SIGTERM with a 1 s grace period\n%s", w.logs.String())
	}
	if ended := waitTask(t, w, "task ended", a.Job.ID); ended.Outcome != "handed_back" {
		t.Fatalf("the interrupted job ended %q, want handed_back", ended.Outcome)
	}
	next := startProcess(t, bin, "worker", dir, env...)
	if again := waitTask(t, next, "task ended", a.Job.ID); again.Outcome != "done" || again.Attempt != 1 {
		t.Errorf("the next worker ended the job %+v, want done on attempt 1", again)
	}
	c.json("GET", "/api/voice/jobs/"+a.Job.ID, nil, 200, &a)
	if a.Job.Status != app.JobDone || a.Job.HistoryID == "" {
		t.Errorf("job = %+v, want done", a.Job)
	}
}

// waitTask waits for a task line with msg about job id from w.
func waitTask(t *testing.T, w *server, msg, id string) taskLine {
	t.Helper()
	deadline := time.After(3 * time.Minute)
	for {
		select {
		case l := <-w.tasks:
			if l.Msg == msg && l.ID == id {
				return l
			}
		case <-deadline:
			t.Fatalf("no %q line for %s within 3 minutes\n%s", msg, id, w.logs.String())
		}
	}
}

// logQueueWaits logs how long the tasks of the burst waited in the queue
// for a free worker (docs/performance.md).
func logQueueWaits(t *testing.T, workers []*server) {
	var waits []time.Duration
	for _, w := range workers {
		for _, line := range strings.Split(w.logs.String(), "\n") {
			var l taskLine
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "task started" && l.Attempt == 1 {
				waits = append(waits, l.Waited)
			}
		}
	}
	if len(waits) == 0 {
		return
	}
	slices.Sort(waits)
	t.Logf("queue wait of %d first attempts: p50 %v, p99 %v, max %v", len(waits),
		waits[len(waits)/2].Round(time.Millisecond), waits[len(waits)*99/100].Round(time.Millisecond),
		waits[len(waits)-1].Round(time.Millisecond))
}
