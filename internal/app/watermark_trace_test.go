package app_test

import (
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/postgres/pgtest"
	"github.com/voxclone/voxclone/internal/sqlite/sqlitetest"
)

// TestFailedSynthesisDropsWatermark: a synthesis that fails after its
// payload was recorded (whole, streamed, or as a job) leaves no row in
// synthesis_watermarks; one that succeeds leaves its one row.
func TestFailedSynthesisDropsWatermark(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := t.Context()
		var fail atomic.Bool
		f := newTaskFixture(t, b, fakeEngine{chunk: func(_ context.Context, i int) error {
			if fail.Load() && i == 1 {
				return errors.New("engine broke mid-text")
			}
			return nil
		}})
		m := f.ready(t)
		in := app.SynthesizeInput{ModelID: m.ID, Text: "One two three. Four five six.", Format: "wav"}
		marks := func() int {
			rows := sqlitetest.Rows
			if b.name == "postgres" {
				rows = pgtest.Rows
			}
			return len(rows(t, f.store)["synthesis_watermarks"])
		}

		fail.Store(true)
		if _, _, err := f.svc.Synthesize(ctx, f.alice.ID, in); err == nil {
			t.Fatal("Synthesize succeeded with a broken engine")
		}
		sp, _, err := f.svc.StartSpeech(ctx, f.alice.ID, in)
		must(t, err)
		if _, err := sp.Stream(ctx, io.Discard, nil); err == nil {
			t.Fatal("Stream succeeded with a broken engine")
		}
		_, task := f.job(t, in)
		if err := f.svc.RunTask(ctx, task); err == nil {
			t.Fatal("the job's run succeeded with a broken engine")
		}
		if n := marks(); n != 0 {
			t.Errorf("%d watermark rows after three failed syntheses, want 0", n)
		}

		fail.Store(false)
		if _, _, err := f.svc.Synthesize(ctx, f.alice.ID, in); err != nil {
			t.Fatal(err)
		}
		if n := marks(); n != 1 {
			t.Errorf("%d watermark rows after one synthesis, want 1", n)
		}
	})
}
