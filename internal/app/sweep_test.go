package app_test

import (
	"bytes"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/app/apptest"
	"github.com/voxclone/voxclone/internal/blob"
	"github.com/voxclone/voxclone/internal/blob/s3blob/s3blobtest"
)

// TestSweepBlobs runs the sweeper on both stores, with blobs in a
// directory and in an S3 bucket: young orphans stay, old ones go,
// referenced blobs stay whatever their age, and rows whose blob is gone
// are counted, in the result and in the store for health.
func TestSweepBlobs(t *testing.T) {
	srv := s3blobtest.Start(t)
	stores := map[string]func(t *testing.T) app.Blobs{
		"local": func(t *testing.T) app.Blobs {
			l, err := blob.NewLocal(t.TempDir())
			must(t, err)
			return l
		},
		"s3": func(t *testing.T) app.Blobs { return s3blobtest.Open(t, srv.NewBucket(t)) },
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, b backend) { testSweep(t, b.open(t), open(t)) })
		})
	}
}

func testSweep(t *testing.T, store app.Store, blobs app.Blobs) {
	ctx := t.Context()
	clock := apptest.NewClock(time.Now())
	svc, err := app.NewService(app.Config{JWTSecret: testSecret, Now: clock.Now, PasswordCost: bcrypt.MinCost},
		app.Deps{Store: store, Blobs: blobs, Engine: noEngine{}, Queue: &apptest.Queue{}})
	must(t, err)
	put := func(key string) {
		t.Helper()
		_, err := blobs.Put(ctx, key, bytes.NewReader([]byte("bytes of "+key)))
		must(t, err)
	}
	u := app.User{ID: app.NewID(), Email: "sweep@example.com", CreatedAt: clock.Now()}
	must(t, store.CreateUser(ctx, u, "hash"))
	smp := app.Sample{ID: app.NewID(), UserID: u.ID, Name: "s", Format: "wav",
		CreatedAt: clock.Now()}
	smp.BlobKey = "samples/" + smp.ID + ".wav"
	must(t, store.CreateSample(ctx, smp))
	m := app.Model{ID: app.NewID(), UserID: u.ID, Name: "m", Status: app.ModelReady, Engine: "test/1",
		CreatedAt: clock.Now(), UpdatedAt: clock.Now(), SampleIDs: []string{smp.ID}}
	m.ProfileKey = "profiles/" + m.ID + ".vxp"
	must(t, store.CreateModel(ctx, m, nil))
	kept, lost := newEntry(u, m, clock.Now()), newEntry(u, m, clock.Now())
	must(t, store.CreateSynthesis(ctx, kept))
	must(t, store.CreateSynthesis(ctx, lost))
	orphans := []string{apptest.BlobKey("audio", "mp3"), apptest.BlobKey("profiles", "vxp"), apptest.BlobKey("samples", "wav")}
	for _, k := range append([]string{smp.BlobKey, m.ProfileKey, kept.AudioKey}, orphans...) {
		put(k)
	}

	// Everything is young: nothing goes, the lost entry is counted.
	res, err := svc.SweepBlobs(ctx, app.DefaultBlobGrace)
	must(t, err)
	if res.Blobs != 6 || res.Deleted != 0 || res.Missing != 1 || len(res.MissingKeys) != 1 || res.MissingKeys[0] != lost.AudioKey {
		t.Errorf("first sweep = %+v; want 6 blobs, none deleted, %s missing", res, lost.AudioKey)
	}
	clock.Advance(2 * time.Hour)
	res, err = svc.SweepBlobs(ctx, app.DefaultBlobGrace)
	must(t, err)
	if res.Blobs != 6 || res.Deleted != 3 || res.Missing != 1 {
		t.Errorf("sweep two hours on = %+v; want 6 blobs, the 3 orphans deleted, 1 missing", res)
	}
	for _, k := range orphans {
		if _, err := blobs.Open(ctx, k); app.ErrorCode(err) != app.ENotFound {
			t.Errorf("orphan %s still stored (%v)", k, err)
		}
	}
	for _, k := range []string{smp.BlobKey, m.ProfileKey, kept.AudioKey} {
		rc, err := blobs.Open(ctx, k)
		if err != nil {
			t.Errorf("referenced blob %s deleted: %v", k, err)
			continue
		}
		rc.Close()
	}
	h := svc.Health(ctx)
	if h.Blobs == nil || h.Blobs.Missing != 1 || h.Blobs.Deleted != 3 || !h.Blobs.At.Equal(app.Timestamp(clock.Now())) {
		t.Errorf("health reports the sweep %+v; want the last one: 3 deleted, 1 missing", h.Blobs)
	}
}

func newEntry(u app.User, m app.Model, at time.Time) app.Synthesis {
	id := app.NewID()
	return app.Synthesis{ID: id, UserID: u.ID, ModelID: m.ID, Text: "Hi.", Format: "mp3", Speed: 1,
		SampleRate: 24000, DurationSeconds: 1, SizeBytes: 10, AudioKey: "audio/" + id + ".mp3", CreatedAt: at}
}
