// Package apptest holds conformance suites that every implementation of the
// app package's storage interfaces must pass: StoreSuite and
// SharedStoreSuite for app.Store (run by internal/sqlite and
// internal/postgres), BlobSuite for app.Blobs (run by internal/blob). One
// suite for every adapter keeps the adapters interchangeable.
package apptest

import (
	"errors"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// T0 is the fixed time fixtures start at; stores must round-trip it.
var T0 = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)

// wantCode fails the test unless err carries the app error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
	var e *app.Error
	if code != "" && !errors.As(err, &e) {
		t.Fatalf("error %v is not an *app.Error", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newUser creates a user with a unique email.
func newUser(t *testing.T, s app.Store) app.User {
	t.Helper()
	u := app.User{ID: app.NewID(), CreatedAt: T0}
	u.Email = u.ID[:12] + "@example.com"
	must(t, s.CreateUser(t.Context(), u, "hash-"+u.ID))
	return u
}

// newSample creates a sample of u's, created at T0 plus offset seconds.
func newSample(t *testing.T, s app.Store, u app.User, offset int) app.Sample {
	t.Helper()
	id := app.NewID()
	smp := app.Sample{
		ID: id, UserID: u.ID, Name: "sample " + id[:6], Transcript: "hello there",
		Format: "wav", SampleRate: 16000, Channels: 1, DurationSeconds: 12.5, SizeBytes: 400044,
		Quality: app.Quality{SpeechSeconds: 11.25, SNRDB: 31.5, ClippingRatio: 0.001,
			LoudnessLUFS: -20.5, TruePeakDBTP: -1.5, Score: 87, Warnings: []string{"a", "b"}},
		BlobKey:   "samples/" + id + ".wav",
		CreatedAt: T0.Add(time.Duration(offset) * time.Second),
	}
	must(t, s.CreateSample(t.Context(), smp))
	return smp
}

// newModel creates a ready model of u's from the samples.
func newModel(t *testing.T, s app.Store, u app.User, offset int, samples ...app.Sample) app.Model {
	t.Helper()
	id := app.NewID()
	at := T0.Add(time.Duration(offset) * time.Second)
	m := app.Model{ID: id, UserID: u.ID, Name: "voice " + id[:6], Description: "d",
		Status: app.ModelReady, Engine: "test/1", ProfileKey: "profiles/" + id + ".vxp",
		ProfileBytes: 1234, CreatedAt: at, UpdatedAt: at, SampleIDs: []string{}}
	for _, smp := range samples {
		m.SampleIDs = append(m.SampleIDs, smp.ID)
	}
	must(t, s.CreateModel(t.Context(), m, nil))
	return m
}

// newSynthesis creates a history entry of u's for model m.
func newSynthesis(t *testing.T, s app.Store, u app.User, m app.Model, at time.Time) app.Synthesis {
	t.Helper()
	return createSynthesis(t, s, u, m, at, ptr(0.35))
}

// createSynthesis creates a history entry with the given similarity (nil
// for unknown).
func createSynthesis(t *testing.T, s app.Store, u app.User, m app.Model, at time.Time, similarity *float64) app.Synthesis {
	t.Helper()
	id := app.NewID()
	syn := app.Synthesis{ID: id, UserID: u.ID, ModelID: m.ID, Text: "Hello, world.", Format: "wav",
		Speed: 1.25, Pitch: -2, Similarity: similarity, SampleRate: 24000, DurationSeconds: 1.5,
		SizeBytes: 72044, AudioKey: "audio/" + id + ".wav", CreatedAt: at}
	must(t, s.CreateSynthesis(t.Context(), syn))
	return syn
}

func ptr[T any](v T) *T { return &v }
