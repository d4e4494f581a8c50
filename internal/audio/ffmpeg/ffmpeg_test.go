package ffmpeg

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
)

func TestRunOK(t *testing.T) {
	out, err := Output(context.Background(), &Exec{}, nil, 1<<20,
		"-f", "lavfi", "-i", "sine=frequency=440:duration=0.1:sample_rate=8000", "-f", "s16le", "pipe:1")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1600 {
		t.Errorf("%d bytes, want 1600 (0.1 s of 8 kHz s16)", len(out))
	}
}

func TestRunErrTimeout(t *testing.T) {
	start := time.Now()
	_, err := Output(context.Background(), &Exec{Timeout: 300 * time.Millisecond}, nil, 1<<30,
		"-re", "-f", "lavfi", "-i", "anullsrc", "-f", "null", "-")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
}

func TestRunErrTooLarge(t *testing.T) {
	_, err := Output(context.Background(), &Exec{}, nil, 1000,
		"-f", "lavfi", "-i", "sine=duration=10", "-f", "s16le", "pipe:1")
	if !errors.Is(err, audio.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestRunErrStderrTail(t *testing.T) {
	_, err := Output(context.Background(), &Exec{}, []byte(strings.Repeat("not audio ", 100)), 1<<20,
		"-i", "pipe:0", "-f", "wav", "pipe:1")
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if fe.ExitCode <= 0 || !strings.Contains(fe.Stderr, "Invalid data") || len(fe.Stderr) > stderrTail {
		t.Errorf("exit %d, stderr %q", fe.ExitCode, fe.Stderr)
	}
	if !strings.Contains(err.Error(), "Invalid data") {
		t.Errorf("message %q lacks ffmpeg's reason", err)
	}
}

func TestTailBuffer(t *testing.T) {
	b := &tailBuffer{max: 8}
	b.Write([]byte("0123456789"))
	b.Write([]byte("ab"))
	if got := b.String(); got != "456789ab" {
		t.Errorf("tail = %q", got)
	}
}

// TestStartStopsEarly reads only the start of an endless stream: Close must
// stop the process promptly and not report the kill as a failure.
func TestStartStopsEarly(t *testing.T) {
	rc, err := (&Exec{}).Start(context.Background(), nil, "-f", "lavfi", "-i", "anullsrc", "-f", "s16le", "pipe:1")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	if _, err := io.ReadFull(rc, buf); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := rc.Close(); err != nil {
		t.Errorf("Close after an early stop: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
}

func TestCommandErrNotFound(t *testing.T) {
	_, err := (&Command{Path: "/nonexistent/lame"}).Start(context.Background(), nil)
	var fe *Error
	if !errors.As(err, &fe) || fe.Program != "lame" {
		t.Errorf("err = %v, want *Error naming lame", err)
	}
}

// TestStartStreamEchoesAsItGoes feeds cat through a pipe: each write comes
// back before the input ends, and the run ends cleanly when it does.
func TestStartStreamEchoesAsItGoes(t *testing.T) {
	pr, pw := io.Pipe()
	rc, err := (&Command{Path: "/bin/cat"}).StartStream(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"first", "second"} {
		go pw.Write([]byte(msg))
		buf := make([]byte, len(msg))
		if _, err := io.ReadFull(rc, buf); err != nil || string(buf) != msg {
			t.Fatalf("read %q, %v; want %q while the input is still open", buf, err, msg)
		}
	}
	pw.Close()
	if rest, err := io.ReadAll(rc); err != nil || len(rest) != 0 {
		t.Errorf("after the input ended: %q, %v", rest, err)
	}
	if err := rc.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// TestStartStreamErrInput fails the run when the input fails.
func TestStartStreamErrInput(t *testing.T) {
	pr, pw := io.Pipe()
	rc, err := (&Command{Path: "/bin/cat"}).StartStream(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("producer failed")
	pw.CloseWithError(boom)
	_, _ = io.ReadAll(rc)
	if err := rc.Close(); !errors.Is(err, boom) {
		t.Errorf("Close = %v, want the input's error", err)
	}
}
