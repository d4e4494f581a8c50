// Package ffmpeg runs the ffmpeg command-line tool, and the lame MP3
// encoder, for what the audio layer does not do in Go: decoding Ogg
// Vorbis/Opus, WebM and M4A; encoding MP3 and Opus. Every run is bounded in
// time and in output, feeds its input on stdin and keeps only the tail of
// stderr for the error. Callers depend on the Runner interface so tests can
// substitute a fake.
package ffmpeg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
)

// Runner runs one ffmpeg invocation. args are the arguments after the
// program name; stdin is fed to the process; the returned bytes are its
// stdout, at most maxOut of them (more fails with audio.ErrTooLarge).
type Runner interface {
	Run(ctx context.Context, stdin []byte, maxOut int64, args ...string) ([]byte, error)
}

// Exec runs the real ffmpeg binary.
type Exec struct {
	// Path is the program; "" means "ffmpeg" from $PATH.
	Path string
	// Timeout bounds one run; 0 means DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout is generous for a 10 MB upload on a busy machine: ffmpeg
// decodes an hour of Opus in a few seconds.
const DefaultTimeout = 60 * time.Second

// stderrTail is how much of ffmpeg's stderr an error keeps: the last lines
// say what went wrong, the banner before them does not.
const stderrTail = 2048

var _ Runner = (*Exec)(nil)

// Error is a failed run.
type Error struct {
	Program  string // "ffmpeg", "lame"
	Args     []string
	ExitCode int    // -1 when killed or not started
	Stderr   string // the tail of stderr
	Err      error
}

func (e *Error) Error() string {
	msg := strings.TrimSpace(e.Stderr)
	if i := strings.LastIndexByte(msg, '\n'); i >= 0 && len(msg)-i > 10 {
		msg = msg[i+1:] // the last line is the one that explains
	}
	prog := e.Program
	if prog == "" {
		prog = "ffmpeg"
	}
	return fmt.Sprintf("%s (exit %d): %v: %s", prog, e.ExitCode, e.Err, msg)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Run implements Runner.
func (x *Exec) Run(ctx context.Context, stdin []byte, maxOut int64, args ...string) ([]byte, error) {
	path := x.Path
	if path == "" {
		path = "ffmpeg"
	}
	// -nostdin stops ffmpeg reading keystrokes from stdin; "-i pipe:0"
	// still reads the input from it.
	full := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error"}, args...)
	return run(ctx, path, x.Timeout, stdin, maxOut, full, args)
}

// Command runs another program with the same bounds as Exec: used for the
// lame MP3 encoder, which starts in a few milliseconds where ffmpeg needs
// tens of them.
type Command struct {
	Path    string // the program; required
	Timeout time.Duration
}

var _ Runner = (*Command)(nil)

// Run implements Runner.
func (x *Command) Run(ctx context.Context, stdin []byte, maxOut int64, args ...string) ([]byte, error) {
	return run(ctx, x.Path, x.Timeout, stdin, maxOut, args, args)
}

func run(ctx context.Context, path string, timeout time.Duration, stdin []byte, maxOut int64, full, args []string) ([]byte, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, full...)
	cmd.Stdin = bytes.NewReader(stdin)
	out := &limitedBuffer{max: maxOut}
	errTail := &tailBuffer{max: stderrTail}
	cmd.Stdout, cmd.Stderr = out, errTail
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if out.over {
		return nil, fmt.Errorf("%s output over %d bytes: %w", filepath.Base(path), maxOut, audio.ErrTooLarge)
	}
	if err != nil {
		code := -1
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, &Error{Program: filepath.Base(path), Args: args, ExitCode: code, Stderr: errTail.String(), Err: err}
	}
	return out.Bytes(), nil
}

// limitedBuffer keeps up to max bytes and then fails the write, which makes
// ffmpeg stop on a broken pipe instead of filling memory. It must not embed
// bytes.Buffer: io.Copy would find Buffer.ReadFrom and bypass the limit.
type limitedBuffer struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if int64(b.buf.Len()+len(p)) > b.max {
		b.over = true
		return 0, io.ErrShortWrite
	}
	return b.buf.Write(p)
}

func (b *limitedBuffer) Bytes() []byte { return b.buf.Bytes() }

// tailBuffer keeps the last max bytes written.
type tailBuffer struct {
	buf []byte
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.buf = append(b.buf, p...)
	if len(b.buf) > b.max {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-b.max:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string { return string(b.buf) }
