package app_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/voice"
)

// TestAdmission holds the only engine slot: requests are EUnavailable
// (ErrBusy, with a retry hint) and charge nothing even without an HTTP
// budget to refund; a background task waits for the slot instead of
// failing, and runs once it is free.
func TestAdmission(t *testing.T) {
	f := newFixture(t, sqliteStore(t), voice.New(voice.Config{}))
	gate := admission.New(admission.Config{Slots: 1, MaxWaiting: -1, MaxWait: 10 * time.Millisecond})
	f.cfg.Admission, f.cfg.RateLimit = gate, app.Rate{Count: 2, Window: time.Hour}
	f.svc = f.service(t, voice.New(voice.Config{}))
	alice, _ := f.register(t, "alice@example.com")
	ctx := t.Context()
	hello := app.SynthesizeInput{Voice: "slt", Text: "Hello there."}

	release, err := gate.Acquire(ctx)
	must(t, err)
	_, _, err = f.svc.StartSpeech(ctx, alice.ID, hello)
	wantCode(t, err, app.EUnavailable)
	var ae *app.Error
	if !errors.Is(err, app.ErrBusy) || !errors.As(err, &ae) || ae.RetryAfter <= 0 {
		t.Fatalf("busy error %v: want ErrBusy with RetryAfter", err)
	}
	_, err = f.svc.UploadSample(ctx, alice.ID, app.UploadInput{Data: bytes.NewReader(speechWAV(t, "slt"))})
	wantCode(t, err, app.EUnavailable)
	release()

	sp, st, err := f.svc.StartSpeech(ctx, alice.ID, hello)
	must(t, err)
	if st.Remaining != 1 {
		t.Errorf("after two busy answers and one synthesis, %d of 2 left; want 1", st.Remaining)
	}
	if gate.InUse() != 1 {
		t.Errorf("a started speech holds %d slots, want 1", gate.InUse())
	}
	_, err = sp.Stream(ctx, io.Discard, nil)
	must(t, err)
	if gate.InUse() != 0 {
		t.Errorf("%d slots held after the stream ended", gate.InUse())
	}

	_, _, err = f.svc.StartSpeechJob(ctx, alice.ID, hello)
	must(t, err)
	tasks := f.queue.Take()
	if len(tasks) != 1 {
		t.Fatalf("queued %d tasks, want 1", len(tasks))
	}
	release, err = gate.Acquire(ctx)
	must(t, err)
	ran := make(chan error, 1)
	go func() { ran <- f.svc.RunTask(ctx, tasks[0]) }()
	deadline := time.Now().Add(10 * time.Second)
	for gate.Waiting() != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the task never queued for the slot")
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-ran:
		t.Fatalf("the task ended (%v) while the slot was held; want it waiting", err)
	case <-time.After(200 * time.Millisecond):
	}
	release()
	select {
	case err := <-ran:
		must(t, err)
	case <-time.After(60 * time.Second):
		t.Fatal("the task did not run once the slot was free")
	}
	if j, err := f.svc.GetJob(ctx, alice.ID, tasks[0].ID); err != nil || j.Status != app.JobDone {
		t.Errorf("job = %+v, %v; want done", j, err)
	}
}
