package ffmpeg

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
)

func TestRunOK(t *testing.T) {
	out, err := (&Exec{}).Run(context.Background(), nil, 1<<20,
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
	_, err := (&Exec{Timeout: 300 * time.Millisecond}).Run(context.Background(), nil, 1<<30,
		"-re", "-f", "lavfi", "-i", "anullsrc", "-f", "null", "-")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop", d)
	}
}

func TestRunErrTooLarge(t *testing.T) {
	_, err := (&Exec{}).Run(context.Background(), nil, 1000,
		"-f", "lavfi", "-i", "sine=duration=10", "-f", "s16le", "pipe:1")
	if !errors.Is(err, audio.ErrTooLarge) {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestRunErrStderrTail(t *testing.T) {
	_, err := (&Exec{}).Run(context.Background(), []byte(strings.Repeat("not audio ", 100)), 1<<20,
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
