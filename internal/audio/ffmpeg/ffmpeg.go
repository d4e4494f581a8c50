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

// Runner starts one run of a program. args are the arguments after the
// program name; stdin is fed to the process. The returned stream is its
// stdout; Close waits for the process (killing it if the stream was not read
// to the end) and returns the run's failure as an *Error. Cancelling ctx
// kills the process.
type Runner interface {
	Start(ctx context.Context, stdin []byte, args ...string) (io.ReadCloser, error)
}

// StreamRunner starts a program that reads its input while it runs, for
// encoding audio as it is produced: stdin is copied to the process until
// it returns io.EOF (or another error, which fails the run), and stdout
// is returned as Runner.Start's is. There is no time limit beyond ctx, as
// a stream lasts as long as its producer; cancelling ctx kills the
// process. Exec and Command implement it.
type StreamRunner interface {
	StartStream(ctx context.Context, stdin io.Reader, args ...string) (io.ReadCloser, error)
}

// Output runs r and returns its stdout, at most maxOut bytes; more fails
// with audio.ErrTooLarge and stops the process.
func Output(ctx context.Context, r Runner, stdin []byte, maxOut int64, args ...string) ([]byte, error) {
	rc, err := r.Start(ctx, stdin, args...)
	if err != nil {
		return nil, err
	}
	out, rerr := io.ReadAll(io.LimitReader(rc, maxOut+1))
	cerr := rc.Close()
	switch {
	case int64(len(out)) > maxOut:
		return nil, fmt.Errorf("output over %d bytes: %w", maxOut, audio.ErrTooLarge)
	case cerr != nil:
		return nil, cerr
	case rerr != nil:
		return nil, rerr
	}
	return out, nil
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

var (
	_ Runner       = (*Exec)(nil)
	_ StreamRunner = (*Exec)(nil)
)

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

// Start implements Runner.
func (x *Exec) Start(ctx context.Context, stdin []byte, args ...string) (io.ReadCloser, error) {
	path := x.Path
	if path == "" {
		path = "ffmpeg"
	}
	// -nostdin stops ffmpeg reading keystrokes from stdin; "-i pipe:0"
	// still reads the input from it.
	full := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error"}, args...)
	return readCloser(start(ctx, path, x.Timeout, bytes.NewReader(stdin), full, args))
}

// StartStream implements StreamRunner.
func (x *Exec) StartStream(ctx context.Context, stdin io.Reader, args ...string) (io.ReadCloser, error) {
	return readCloser(x.startStream(ctx, stdin, args))
}

// readCloser keeps a failed start's nil *stream out of the interface, where
// it would not compare equal to nil.
func readCloser(s *stream, err error) (io.ReadCloser, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (x *Exec) startStream(ctx context.Context, stdin io.Reader, args []string) (*stream, error) {
	path := x.Path
	if path == "" {
		path = "ffmpeg"
	}
	full := append([]string{"-hide_banner", "-nostdin", "-loglevel", "error"}, args...)
	return start(ctx, path, -1, stdin, full, args)
}

// Command runs another program with the same bounds as Exec: used for the
// lame MP3 encoder, which starts in a few milliseconds where ffmpeg needs
// tens of them.
type Command struct {
	Path    string // the program; required
	Timeout time.Duration
}

var (
	_ Runner       = (*Command)(nil)
	_ StreamRunner = (*Command)(nil)
)

// Start implements Runner.
func (x *Command) Start(ctx context.Context, stdin []byte, args ...string) (io.ReadCloser, error) {
	return readCloser(start(ctx, x.Path, x.Timeout, bytes.NewReader(stdin), args, args))
}

// StartStream implements StreamRunner.
func (x *Command) StartStream(ctx context.Context, stdin io.Reader, args ...string) (io.ReadCloser, error) {
	return readCloser(start(ctx, x.Path, -1, stdin, args, args))
}

// start runs the program; a negative timeout leaves the run bounded by ctx
// alone.
func start(ctx context.Context, path string, timeout time.Duration, stdin io.Reader, full, args []string) (*stream, error) {
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, timeout)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	cmd := exec.CommandContext(ctx, path, full...)
	cmd.Stdin = stdin
	tail := &tailBuffer{max: stderrTail}
	cmd.Stderr = tail
	cmd.WaitDelay = 2 * time.Second
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		cancel()
		return nil, &Error{Program: filepath.Base(path), Args: args, ExitCode: -1, Err: err}
	}
	return &stream{out: out, cmd: cmd, ctx: ctx, cancel: cancel, tail: tail, prog: filepath.Base(path), args: args}, nil
}

// stream is a running process's stdout.
type stream struct {
	out    io.ReadCloser
	cmd    *exec.Cmd
	ctx    context.Context
	cancel context.CancelFunc
	tail   *tailBuffer
	prog   string
	args   []string
	eof    bool
}

func (s *stream) Read(p []byte) (int, error) {
	n, err := s.out.Read(p)
	if err == io.EOF {
		s.eof = true
	}
	return n, err
}

// Close waits for the process. A reader that stopped early has what it
// wanted (or gave up): the process is killed and its fate not reported.
func (s *stream) Close() error {
	defer s.cancel()
	if !s.eof {
		s.cancel()
		s.cmd.Wait()
		return nil
	}
	err := s.cmd.Wait()
	if err == nil {
		return nil
	}
	code := -1
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	}
	if s.ctx.Err() != nil {
		err = fmt.Errorf("%w (%v)", s.ctx.Err(), err)
	}
	return &Error{Program: s.prog, Args: s.args, ExitCode: code, Stderr: s.tail.String(), Err: err}
}

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
