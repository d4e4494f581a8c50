package jobs_test

// Measurements for docs/performance.md: the queue's own latency, and how
// many real clones and long-form syntheses one worker core gets through.
//
//	go test -run '^$' -bench QueueLatency -benchtime 200x ./internal/jobs
//	go test -run '^$' -bench EngineJobs -cpu 1 -benchtime 5x ./internal/jobs

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/jobs"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
)

// BenchmarkQueueLatency enqueues one task at a time into an idle queue
// with one worker and measures until the worker starts it: from the
// commit in this process's clock (e2e), and as the queue records it
// (Event.Wait, from the task's scheduled time to its attempt).
func BenchmarkQueueLatency(b *testing.B) {
	for _, bk := range []func(testing.TB) backend{sqliteBackend, postgresBackend} {
		be := bk(b)
		b.Run(be.name, func(b *testing.B) {
			store, newQueue := be.open(b)
			waits := make(chan time.Duration, 1)
			started := make(chan time.Time, 1)
			cfg := jobs.Config{Workers: 1, Observe: func(e jobs.Event) { waits <- e.Wait }}
			q := newQueue(cfg)
			must(b, q.Start(runner{run: func(context.Context, app.Task) error { started <- time.Now(); return nil }}))
			time.Sleep(2 * time.Second) // leader election and the first fetches settle
			var e2e, queued []time.Duration
			b.ResetTimer()
			for range b.N {
				if _, err := subject(b, store, q, nil); err != nil {
					b.Fatal(err)
				}
				committed := time.Now()
				e2e = append(e2e, (<-started).Sub(committed))
				queued = append(queued, <-waits)
				time.Sleep(300 * time.Millisecond) // the next one finds the queue idle, past the fetch cooldown
			}
			b.StopTimer()
			reportPercentiles(b, "e2e", e2e)
			reportPercentiles(b, "queue", queued)
		})
	}
}

// reportPercentiles reports the median and 99th percentile in ms.
func reportPercentiles(b *testing.B, name string, d []time.Duration) {
	slices.Sort(d)
	at := func(p float64) float64 {
		return float64(d[min(len(d)-1, int(p*float64(len(d))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.5), name+"-p50-ms")
	b.ReportMetric(at(0.99), name+"-p99-ms")
}

// BenchmarkEngineJobs runs real tasks through the queue on SQLite with one
// worker of each kind: b.N clones from 30 s of speech, then b.N long-form
// syntheses of a 1,000-character text (MP3). It reports CPU seconds per
// task (process rusage: the engine, the encoder, River and SQLite) and so
// tasks per minute per core; run it with -cpu 1.
func BenchmarkEngineJobs(b *testing.B) {
	f := newEngineFixture(b)
	b.ResetTimer()
	cpu0 := cpuSeconds(b)
	for range b.N {
		f.clone(b)
	}
	cpu1 := cpuSeconds(b)
	for range b.N {
		f.speak(b, benchText)
	}
	cpu2 := cpuSeconds(b)
	b.StopTimer()
	clone, speak := (cpu1-cpu0)/float64(b.N), (cpu2-cpu1)/float64(b.N)
	b.ReportMetric(clone, "cpu-s/clone")
	b.ReportMetric(speak, "cpu-s/synthesis")
	b.ReportMetric(60/clone, "clones/min/core")
	b.ReportMetric(60/speak, "syntheses/min/core")
}

// benchText is 1,000 characters of plain prose.
var benchText = func() string {
	s := strings.Repeat("When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. "+
		"The rainbow is a division of white light into many beautiful colors. ", 7)
	return strings.TrimSpace(s[:1000])
}()

// engineFixture is a Service with the real engine on SQLite and its queue.
type engineFixture struct {
	svc    *app.Service
	user   string
	sample string
	model  string
}

func newEngineFixture(b *testing.B) *engineFixture {
	store, newQueue := sqliteBackend(b).open(b)
	q := newQueue(jobs.Config{Workers: 1, PollInterval: 100 * time.Millisecond})
	blobs, err := blob.NewLocal(b.TempDir())
	must(b, err)
	svc, err := app.NewService(app.Config{JWTSecret: []byte(strings.Repeat("k", 32)), PasswordCost: bcrypt.MinCost},
		app.Deps{Store: store, Blobs: blobs, Engine: voice.New(voice.Config{}), Queue: q})
	must(b, err)
	must(b, q.Start(svc))
	ctx := context.Background()
	u, _, err := svc.Register(ctx, "bench@example.com", "correct horse battery")
	must(b, err)
	smp, err := svc.UploadSample(ctx, u.ID, app.UploadInput{Data: bytes.NewReader(speechWAV(b, "librispeech_2033", 30))})
	must(b, err)
	f := &engineFixture{svc: svc, user: u.ID, sample: smp.ID}
	f.model = f.clone(b)
	return f
}

// clone builds a voice through the queue and returns its id.
func (f *engineFixture) clone(b *testing.B) string {
	ctx := context.Background()
	m, err := f.svc.CreateModel(ctx, f.user, app.CreateModelInput{SampleIDs: []string{f.sample}})
	must(b, err)
	for m.Status == app.ModelPending {
		time.Sleep(10 * time.Millisecond)
		m, err = f.svc.GetModel(ctx, f.user, m.ID)
		must(b, err)
	}
	if m.Status != app.ModelReady {
		b.Fatalf("model = %+v", m)
	}
	return m.ID
}

// speak runs a synthesis job through the queue.
func (f *engineFixture) speak(b *testing.B, text string) {
	ctx := context.Background()
	j, _, err := f.svc.StartSpeechJob(ctx, f.user, app.SynthesizeInput{ModelID: f.model, Text: text, Format: "mp3"})
	must(b, err)
	for !j.Finished() {
		time.Sleep(10 * time.Millisecond)
		j, err = f.svc.GetJob(ctx, f.user, j.ID)
		must(b, err)
	}
	if j.Status != app.JobDone {
		b.Fatalf("job = %+v", j)
	}
}

// speechWAV joins a speaker's recordings into at least sec seconds of WAV.
func speechWAV(b *testing.B, speaker string, sec float64) []byte {
	pcm := &audio.PCM{}
	for _, path := range speechtest.WAVs(b, speaker) {
		data, err := os.ReadFile(path)
		must(b, err)
		p, _, err := codec.Decode(context.Background(), data)
		must(b, err)
		pcm.Rate, pcm.Channels = p.Rate, p.Channels
		pcm.Samples = append(pcm.Samples, p.Samples...)
		if pcm.Seconds() >= sec {
			break
		}
	}
	var buf bytes.Buffer
	must(b, codec.Encode(context.Background(), &buf, pcm, audio.FormatWAV, codec.EncodeOptions{}))
	return buf.Bytes()
}

func cpuSeconds(b *testing.B) float64 {
	var ru syscall.Rusage
	must(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
