package app_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

// fakeEngine is an app.Engine of function fields; nil fields give a fixed
// profile, and speech of 0.2 s of silence per sentence.
type fakeEngine struct {
	clone func(ctx context.Context, refs []voice.Reference) ([]byte, error)
	// speak, when set, runs before the speech and may refuse the text.
	speak func(ctx context.Context, text string) error
	// chunk, when set, runs before chunk i is emitted.
	chunk func(ctx context.Context, i int) error
	// speaker, when set, is told each stream's speaker.
	speaker func(voice.Speaker)
}

var _ app.Engine = fakeEngine{}

func (fakeEngine) Name() string { return "fake/1" }

func (e fakeEngine) Clone(ctx context.Context, refs []voice.Reference) ([]byte, error) {
	if e.clone != nil {
		return e.clone(ctx, refs)
	}
	return []byte("profile"), nil
}

// Stream emits a chunk of silence for each sentence (each ". ").
func (e fakeEngine) Stream(ctx context.Context, sp voice.Speaker, s *voice.Script, _ voice.Options, emit func(voice.Chunk) error) error {
	if e.speaker != nil {
		e.speaker(sp)
	}
	if e.speak != nil {
		if err := e.speak(ctx, s.Text()); err != nil {
			return err
		}
	}
	text, start := s.Text(), 0
	for i := 0; start < len(text); i++ {
		end := strings.Index(text[start:], ". ")
		if end < 0 {
			end = len(text)
		} else {
			end += start + 2
		}
		c := voice.Chunk{Index: i, Start: 0.2 * float64(i), TextStart: start, TextEnd: end, Audio: silence()}
		if e.chunk != nil {
			if err := e.chunk(ctx, i); err != nil {
				return err
			}
		}
		if err := emit(c); err != nil {
			return err
		}
		start = end
	}
	return nil
}

func silence() *audio.PCM {
	return &audio.PCM{Rate: voice.OutputRate, Channels: 1, Samples: make([]float32, voice.OutputRate/5)}
}

// taskFixture has alice's sample (stored directly: the fake engine needs no
// speech) and a fixture whose tasks the test runs itself.
type taskFixture struct {
	*fixture
	alice, bob app.User
	sample     app.Sample
}

func newTaskFixture(t *testing.T, b backend, e fakeEngine) *taskFixture {
	t.Helper()
	f := &taskFixture{fixture: newFixture(t, b.open(t), e)}
	f.alice, _ = f.register(t, "alice@example.com")
	f.bob, _ = f.register(t, "bob@example.com")
	id := app.NewID()
	f.sample = app.Sample{ID: id, UserID: f.alice.ID, Name: "s", Format: "wav", SampleRate: 16000, Channels: 1,
		DurationSeconds: 0.2, BlobKey: "samples/" + id + ".wav", CreatedAt: f.clock.Now()}
	_, err := f.blobs.Put(t.Context(), f.sample.BlobKey, bytes.NewReader(encode(t, silence(), audio.FormatWAV)))
	must(t, err)
	must(t, f.store.CreateSample(t.Context(), f.sample))
	return f
}

// pending creates a model from alice's sample and returns it with its task.
func (f *taskFixture) pending(t *testing.T) (app.Model, app.Task) {
	t.Helper()
	m, err := f.svc.CreateModel(t.Context(), f.alice.ID, app.CreateModelInput{SampleIDs: []string{f.sample.ID}})
	must(t, err)
	tasks := f.queue.Take()
	want := app.Task{Kind: app.TaskClone, UserID: f.alice.ID, ID: m.ID}
	if m.Status != app.ModelPending || len(tasks) != 1 || tasks[0] != want {
		t.Fatalf("CreateModel = %+v, queued %+v; want pending, task %+v", m, tasks, want)
	}
	return m, tasks[0]
}

// blobCount counts the blobs of a kind ("profiles", "audio").
func (f *taskFixture) blobCount(t *testing.T, kind string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(f.blobDir, kind), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	})
	must(t, err)
	return n
}

// onlyBlob checks that key is the one blob of its kind.
func (f *taskFixture) onlyBlob(t *testing.T, key string) {
	t.Helper()
	kind, _, _ := strings.Cut(key, "/")
	rc, err := f.blobs.Open(t.Context(), key)
	if err != nil {
		t.Fatalf("blob %s: %v", key, err)
	}
	rc.Close()
	if n := f.blobCount(t, kind); n != 1 {
		t.Errorf("%d blobs of kind %s, want only %s", n, kind, key)
	}
}

func TestCloneTask(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		f := newTaskFixture(t, b, fakeEngine{})
		ctx := t.Context()
		m, task := f.pending(t)
		_, _, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Too soon."})
		wantCode(t, err, app.EUnprocessable)

		f.clock.Advance(time.Second)
		must(t, f.svc.RunTask(ctx, task))
		ready, err := f.svc.GetModel(ctx, f.alice.ID, m.ID)
		must(t, err)
		if ready.Status != app.ModelReady || ready.ProfileBytes != int64(len("profile")) || ready.Engine != "fake/1" ||
			!ready.UpdatedAt.Equal(m.CreatedAt.Add(time.Second)) {
			t.Fatalf("built model = %+v", ready)
		}
		// A second run (a retry after a lost acknowledgement) changes nothing.
		f.clock.Advance(time.Second)
		must(t, f.svc.RunTask(ctx, task))
		again, _ := f.svc.GetModel(ctx, f.alice.ID, m.ID)
		if again.ProfileKey != ready.ProfileKey || !again.UpdatedAt.Equal(ready.UpdatedAt) {
			t.Errorf("a second run changed the model: %+v, was %+v", again, ready)
		}
		f.onlyBlob(t, ready.ProfileKey)
		if _, _, err := f.svc.Synthesize(ctx, f.alice.ID, app.SynthesizeInput{ModelID: m.ID, Text: "Now."}); err != nil {
			t.Errorf("synthesize with the built model: %v", err)
		}
	})
}

// TestCloneTaskTwiceAtOnce: two workers building one model at the same
// time leave one profile, the model's.
func TestCloneTaskTwiceAtOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		var both sync.WaitGroup
		both.Add(2)
		f := newTaskFixture(t, b, fakeEngine{clone: func(context.Context, []voice.Reference) ([]byte, error) {
			both.Done()
			both.Wait() // neither finishes before both have cloned
			return []byte("profile"), nil
		}})
		m, task := f.pending(t)
		var runs sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			runs.Go(func() { errs[i] = f.svc.RunTask(t.Context(), task) })
		}
		runs.Wait()
		must(t, errors.Join(errs...))
		got, _ := f.svc.GetModel(t.Context(), f.alice.ID, m.ID)
		if got.Status != app.ModelReady {
			t.Fatalf("model = %+v, want ready", got)
		}
		f.onlyBlob(t, got.ProfileKey)
	})
}

func TestCloneTaskFailures(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		f := newTaskFixture(t, b, fakeEngine{clone: func(context.Context, []voice.Reference) ([]byte, error) {
			return nil, voice.ErrNoSpeech
		}})
		check := func(m app.Model, wantFailure string) {
			t.Helper()
			got, err := f.svc.GetModel(ctx, f.alice.ID, m.ID)
			must(t, err)
			if got.Status != app.ModelFailed || !strings.Contains(got.Failure, wantFailure) || got.ProfileKey != "" {
				t.Errorf("model = %+v, want failed with %q", got, wantFailure)
			}
		}
		m, task := f.pending(t)
		must(t, f.svc.RunTask(ctx, task))
		check(m, "The voice could not be built: not enough speech in the samples")

		m, task = f.pending(t)
		must(t, f.svc.GiveUpTask(ctx, task, context.DeadlineExceeded))
		check(m, "because it took too long")
		m, task = f.pending(t)
		must(t, f.svc.GiveUpTask(ctx, task, errors.New("database down")))
		check(m, "because a problem on the server")

		// The model's sample was deleted before a worker got to it.
		m, task = f.pending(t)
		must(t, f.svc.DeleteSample(ctx, f.alice.ID, f.sample.ID))
		must(t, f.svc.RunTask(ctx, task))
		check(m, "samples were deleted")

		// A model deleted before a worker got to it is simply gone.
		must(t, f.svc.DeleteModel(ctx, f.alice.ID, m.ID))
		must(t, f.svc.RunTask(ctx, task))
		must(t, f.svc.GiveUpTask(ctx, task, errors.New("late")))
		if n := f.blobCount(t, "profiles"); n != 0 {
			t.Errorf("%d profiles left behind", n)
		}
	})
}
