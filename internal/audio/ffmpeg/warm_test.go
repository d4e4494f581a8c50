package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"testing"
	"time"
)

// passThrough makes ffmpeg copy raw samples from stdin to stdout as they
// come, the shape of the encoders' arguments without an encoder.
var passThrough = []string{"-probesize", "32", "-analyzeduration", "0", "-f", "s16le", "-ar", "8000", "-ac", "1",
	"-blocksize", "256", "-i", "pipe:0", "-f", "s16le", "-flush_packets", "1", "pipe:1"}

func newWarm(t *testing.T) *Warm {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg is not installed (make deps installs it)")
	}
	w := &Warm{Exec: &Exec{}}
	t.Cleanup(w.Close)
	return w
}

// waitSpare waits until a spare for args is running.
func waitSpare(t *testing.T, w *Warm, args []string) *spare {
	t.Helper()
	key := keyOf(args)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		w.mu.Lock()
		sp := w.spares[key]
		w.mu.Unlock()
		if sp != nil {
			return sp
		}
	}
	t.Fatal("no spare started within 10 s")
	return nil
}

func echo(t *testing.T, w *Warm, ctx context.Context, data []byte) ([]byte, error) {
	t.Helper()
	rc, err := w.StartStream(ctx, bytes.NewReader(data), passThrough...)
	if err != nil {
		t.Fatal(err)
	}
	out, rerr := io.ReadAll(rc)
	if cerr := rc.Close(); cerr != nil {
		return out, cerr
	}
	return out, rerr
}

// TestWarmStreamsThroughSpare: the second stream of a kind runs on the
// spare the first one left, and gives the same bytes a fresh process does.
func TestWarmStreamsThroughSpare(t *testing.T) {
	w := newWarm(t)
	data := bytes.Repeat([]byte{1, 2, 3, 4}, 4000)
	cold, err := echo(t, w, context.Background(), data)
	if err != nil || !bytes.Equal(cold, data) {
		t.Fatalf("cold stream: %d bytes, %v; want the %d bytes fed", len(cold), err, len(data))
	}
	sp := waitSpare(t, w, passThrough)
	warm, err := echo(t, w, context.Background(), data)
	if err != nil || !bytes.Equal(warm, data) {
		t.Fatalf("warm stream: %d bytes, %v; want the %d bytes fed", len(warm), err, len(data))
	}
	if next := waitSpare(t, w, passThrough); next == sp {
		t.Error("the spare taken is still offered; want a fresh one started in its place")
	}
}

// TestWarmRefillAfterFirstOutput: taking a spare starts its replacement
// only once the stream's first output is read, so loading ffmpeg does not
// compete with producing the first audio.
func TestWarmRefillAfterFirstOutput(t *testing.T) {
	w := newWarm(t)
	w.refill(keyOf(passThrough), passThrough)
	waitSpare(t, w, passThrough)
	in, feed := io.Pipe()
	rc, err := w.StartStream(context.Background(), in, passThrough...)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	time.Sleep(time.Second) // far longer than ffmpeg takes to start here
	w.mu.Lock()
	early := w.spares[keyOf(passThrough)]
	w.mu.Unlock()
	if early != nil {
		t.Fatal("a replacement spare started before the stream's first output")
	}
	go feed.Write(make([]byte, 4096))
	if _, err := rc.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	waitSpare(t, w, passThrough)
	feed.Close()
}

// TestWarmCancel: cancelling the request stops a spare it took, as it
// stops a process started for it.
func TestWarmCancel(t *testing.T) {
	w := newWarm(t)
	w.refill(keyOf(passThrough), passThrough)
	waitSpare(t, w, passThrough)
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	defer pw.Close()
	rc, err := w.StartStream(ctx, pr, passThrough...)
	if err != nil {
		t.Fatal(err)
	}
	// A second of audio, as a stream's first piece: ffmpeg reads ahead
	// before its first packet.
	go pw.Write(make([]byte, 16000))
	if _, err := io.ReadFull(rc, make([]byte, 512)); err != nil {
		t.Fatalf("first bytes: %v", err)
	}
	cancel()
	done := make(chan error, 1)
	go func() { _, err := io.ReadAll(rc); done <- err }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream went on after its context was cancelled")
	}
	if err := rc.Close(); err == nil {
		t.Error("Close = nil for a cancelled stream")
	}
}

// TestWarmInputError fails a spare's run with the producer's error, as
// Exec's own runs fail.
func TestWarmInputError(t *testing.T) {
	w := newWarm(t)
	w.refill(keyOf(passThrough), passThrough)
	waitSpare(t, w, passThrough)
	pr, pw := io.Pipe()
	rc, err := w.StartStream(context.Background(), pr, passThrough...)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("producer failed")
	pw.CloseWithError(boom)
	_, _ = io.ReadAll(rc)
	if err := rc.Close(); err == nil {
		t.Error("Close = nil after the producer failed")
	}
}

// TestWarmIdleAndMax: spares stop after Idle, and only the Max most
// recent argument lists keep one.
func TestWarmIdleAndMax(t *testing.T) {
	w := newWarm(t)
	w.Max = 1
	other := append([]string{"-nostats"}, passThrough...)
	w.refill(keyOf(passThrough), passThrough)
	first := waitSpare(t, w, passThrough)
	w.refill(keyOf(other), other)
	waitSpare(t, w, other)
	w.mu.Lock()
	n, kept := len(w.spares), w.spares[keyOf(passThrough)]
	w.mu.Unlock()
	if n != 1 || kept != nil {
		t.Errorf("%d spares, first kept: %v; want only the latest with Max 1", n, kept != nil)
	}
	select {
	case <-first.dead:
	default:
		t.Error("the evicted spare's process was not stopped")
	}

	w.Idle = 50 * time.Millisecond
	w.refill(keyOf(passThrough), passThrough)
	sp := waitSpare(t, w, passThrough)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		w.mu.Lock()
		gone := w.spares[keyOf(passThrough)] == nil
		w.mu.Unlock()
		if gone {
			select {
			case <-sp.dead:
			case <-time.After(5 * time.Second):
				t.Error("an idle spare left the pool but its process runs on")
			}
			return
		}
	}
	t.Error("an idle spare was kept past Idle")
}
