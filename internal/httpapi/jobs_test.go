package httpapi_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

type jobAnswer struct {
	Job app.Job `json:"job"`
}

// waitJob polls a job until it has ended.
func (e *env) waitJob(token, id string) app.Job {
	e.t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var a jobAnswer
		e.expect(e.do("GET", "/api/voice/jobs/"+id, token, nil), 200, &a)
		if a.Job.Finished() {
			return a.Job
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("job %s still %s after 90 s", id, a.Job.Status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAPIJobs runs a long-form synthesis job through HTTP: queued, done
// with its history entry, listed, private to its owner.
func TestAPIJobs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{})
		alice, bob := e.register("alice@example.com"), e.register("bob@example.com")
		_, m := e.sampleAndModel(alice)
		text := "The first sentence of a longer text. And here is the second one."
		resp := e.do("POST", "/api/voice/jobs/synthesize", alice, map[string]any{"model_id": m.ID, "text": text, "format": "flac"})
		var started jobAnswer
		e.expect(resp, 202, &started)
		j := started.Job
		if j.Status != app.JobQueued && j.Status != app.JobRunning || j.Characters != len(text) || j.Format != "flac" ||
			resp.Header.Get("Location") != "/api/voice/jobs/"+j.ID || resp.Header.Get("RateLimit-Remaining") == "" {
			t.Fatalf("started job = %+v, Location %q", j, resp.Header.Get("Location"))
		}
		done := e.waitJob(alice, j.ID)
		if done.Status != app.JobDone || done.Progress != 1 || done.HistoryID == "" || done.Error != "" {
			t.Fatalf("finished job = %+v", done)
		}
		audio := e.do("GET", "/api/voice/history/"+done.HistoryID+"/audio", alice, nil)
		data, _ := io.ReadAll(audio.Body)
		if pcm, _, err := codec.Decode(t.Context(), data); audio.StatusCode != 200 || err != nil || pcm.Seconds() < 2 {
			t.Errorf("the job's audio: status %d, %v", audio.StatusCode, err)
		}
		e.expectError(e.do("DELETE", "/api/voice/jobs/"+j.ID, alice, nil), 409, "conflict")

		// A built-in voice speaks without a model.
		e.clock.Advance(time.Second)
		e.expect(e.do("POST", "/api/voice/jobs/synthesize", alice, map[string]any{"voice": "awb", "text": "Built in."}), 202, &started)
		builtin := e.waitJob(alice, started.Job.ID)
		var entry app.HistoryPage
		e.expect(e.do("GET", "/api/voice/history?limit=1", alice, nil), 200, &entry)
		if builtin.Status != app.JobDone || builtin.Voice != "awb" || len(entry.Items) != 1 ||
			entry.Items[0].ID != builtin.HistoryID || entry.Items[0].Voice != "awb" {
			t.Errorf("built-in voice job %+v, newest history entry %+v", builtin, entry.Items)
		}

		var page app.JobPage
		e.expect(e.do("GET", "/api/voice/jobs?limit=1", alice, nil), 200, &page)
		if len(page.Items) != 1 || page.Items[0].ID != builtin.ID || page.NextCursor == "" {
			t.Errorf("jobs page 1 = %+v", page)
		}
		var page2 app.JobPage
		e.expect(e.do("GET", "/api/voice/jobs?limit=1&cursor="+page.NextCursor, alice, nil), 200, &page2)
		if len(page2.Items) != 1 || page2.Items[0].ID != j.ID || page2.NextCursor != "" {
			t.Errorf("jobs page 2 = %+v", page2)
		}
		e.expectError(e.do("GET", "/api/voice/jobs/"+j.ID, bob, nil), 404, "not_found")
		e.expectError(e.do("DELETE", "/api/voice/jobs/"+j.ID, bob, nil), 404, "not_found")
		e.expectError(e.do("POST", "/api/voice/jobs/synthesize", bob, map[string]any{"model_id": m.ID, "text": "Hi."}), 404, "not_found")
		var bobs app.JobPage
		e.expect(e.do("GET", "/api/voice/jobs", bob, nil), 200, &bobs)
		if len(bobs.Items) != 0 {
			t.Errorf("bob lists alice's jobs: %+v", bobs)
		}

		e.expectError(e.do("POST", "/api/voice/jobs/synthesize", alice, map[string]any{"model_id": m.ID,
			"text": strings.Repeat("a", app.MaxJobTextRunes+1)}), 413, "too_large")
		e.expectError(e.do("POST", "/api/voice/jobs/synthesize", alice, map[string]any{"model_id": m.ID, "text": "x", "txt": "y"}), 400, "invalid")
		e.expectError(e.do("GET", "/api/voice/jobs?limit=ten", alice, nil), 400, "invalid")
		e.expectError(e.do("GET", "/api/voice/jobs?cursor=nope", alice, nil), 400, "invalid")
	})
}

// TestAPIJobCancel cancels a job no worker has taken yet, in a built-in
// voice.
func TestAPIJobCancel(t *testing.T) {
	forEachBackend(t, func(t *testing.T, store app.Store) {
		e := newEnv(t, store, options{idle: true})
		token := e.register("cancel@example.com")
		var s app.Sample
		e.expect(e.upload(token, speechWAV(t), "v.wav", nil), 201, &s)
		var m app.Model
		e.expect(e.do("POST", "/api/voice/clone", token, map[string]any{"sample_ids": []string{s.ID}}), 202, &m)
		// Nothing works on the queue, so the model stays pending and cannot
		// speak yet.
		e.expectError(e.do("POST", "/api/voice/jobs/synthesize", token, map[string]any{"model_id": m.ID, "text": "Hi."}), 422, "unprocessable")
		e.expect(e.do("GET", "/api/voice/models/"+m.ID, token, nil), 200, &m)
		if m.Status != app.ModelPending {
			t.Fatalf("model = %+v, want pending", m)
		}
		// A built-in voice needs no model.
		var a jobAnswer
		e.expect(e.do("POST", "/api/voice/jobs/synthesize", token, map[string]any{"voice": "slt", "text": "Hi."}), 202, &a)
		if a.Job.Status != app.JobQueued || a.Job.Voice != "slt" || a.Job.ModelID != "" {
			t.Fatalf("job = %+v, want queued in slt", a.Job)
		}
		var c jobAnswer
		e.expect(e.do("DELETE", "/api/voice/jobs/"+a.Job.ID, token, nil), 200, &c)
		if c.Job.Status != app.JobCancelled || c.Job.FinishedAt == nil {
			t.Errorf("cancelled job = %+v", c.Job)
		}
		e.expect(e.do("DELETE", "/api/voice/jobs/"+a.Job.ID, token, nil), 200, &c)
	})
}
