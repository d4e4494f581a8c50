package ffmpeg

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
)

// Warm keeps a spare ffmpeg waiting on its input for each of the last few
// argument lists it streamed with, so the next stream of the same kind
// finds its encoder loaded. ffmpeg spends 50–250 ms loading every codec it
// has before it reads a byte, longer than the engine needs to render a
// stream's first words; a spare turns that into a few milliseconds. Taking
// a spare starts its replacement in the background. Spares that wait
// longer than Idle are stopped, so an idle server holds no processes.
//
// Start (whole-file runs) is passed through to Exec untouched: only streams
// wait on the encoder's start-up.
type Warm struct {
	Exec *Exec
	Idle time.Duration // how long a spare waits; 0 means 2 minutes
	Max  int           // argument lists kept warm; 0 means 4

	mu     sync.Mutex
	spares map[string]*spare
	order  []string // keys, least recently used first
	closed bool
}

var (
	_ Runner       = (*Warm)(nil)
	_ StreamRunner = (*Warm)(nil)
)

// spare is a started process whose input is a pipe nobody writes yet.
type spare struct {
	rc    *stream
	in    *io.PipeReader
	feed  *io.PipeWriter
	timer *time.Timer
	dead  chan struct{} // closed once a killed spare's process is gone
}

// errSpareClosed is what a dead spare's feeder sees.
var errSpareClosed = errors.New("ffmpeg: spare encoder stopped")

// Start implements Runner.
func (w *Warm) Start(ctx context.Context, stdin []byte, args ...string) (io.ReadCloser, error) {
	return w.Exec.Start(ctx, stdin, args...)
}

// StartStream implements StreamRunner: a spare for args when there is one,
// else a process started now; either way a spare for the next stream of
// this kind is started in the background. The replacement for a spare
// taken starts once the stream's first output is read (or the stream is
// closed): loading ffmpeg costs 50–150 ms of CPU, which started now would
// compete with producing the stream's first audio for a core.
func (w *Warm) StartStream(ctx context.Context, stdin io.Reader, args ...string) (io.ReadCloser, error) {
	key := keyOf(args)
	sp := w.take(key)
	if sp == nil {
		go w.refill(key, args)
		return w.Exec.StartStream(ctx, stdin, args...)
	}
	// The spare runs under its own context: the request's ends it from
	// now on, as it would a process started for the request.
	stop := context.AfterFunc(ctx, sp.rc.cancel)
	go func() {
		_, err := io.Copy(sp.feed, stdin)
		sp.feed.CloseWithError(err)
	}()
	ws := &warmStream{stream: sp.rc, in: sp.in, stop: stop}
	ws.refill = func() { ws.once.Do(func() { go w.refill(key, args) }) }
	return ws, nil
}

func keyOf(args []string) string { return strings.Join(args, "\x00") }

// Close stops every spare; later streams start their own process.
func (w *Warm) Close() {
	w.mu.Lock()
	spares := w.spares
	w.spares, w.order, w.closed = nil, nil, true
	w.mu.Unlock()
	for _, sp := range spares {
		sp.kill()
	}
}

func (w *Warm) take(key string) *spare {
	w.mu.Lock()
	defer w.mu.Unlock()
	sp := w.spares[key]
	if sp != nil {
		delete(w.spares, key)
		sp.timer.Stop()
	}
	return sp
}

// refill starts a spare for key unless one is there, keeping at most Max
// argument lists warm (the least recently used is stopped).
func (w *Warm) refill(key string, args []string) {
	w.mu.Lock()
	if w.closed || w.spares[key] != nil {
		w.mu.Unlock()
		return
	}
	w.touch(key)
	w.mu.Unlock()

	in, feed := io.Pipe()
	rc, err := w.Exec.startStream(context.Background(), in, args)
	if err != nil {
		return
	}
	sp := &spare{rc: rc, in: in, feed: feed, dead: make(chan struct{})}
	var evicted []*spare
	w.mu.Lock()
	if w.closed || w.spares[key] != nil {
		w.mu.Unlock()
		sp.kill()
		return
	}
	if w.spares == nil {
		w.spares = map[string]*spare{}
	}
	w.spares[key] = sp
	sp.timer = time.AfterFunc(w.idle(), func() {
		if w.take(key) == sp {
			sp.kill()
		}
	})
	for len(w.order) > w.max() {
		old := w.order[0]
		w.order = w.order[1:]
		if s := w.spares[old]; s != nil {
			delete(w.spares, old)
			s.timer.Stop()
			evicted = append(evicted, s)
		}
	}
	w.mu.Unlock()
	for _, s := range evicted {
		s.kill()
	}
}

// touch moves key to the most recently used end of order.
func (w *Warm) touch(key string) {
	for i, k := range w.order {
		if k == key {
			w.order = append(w.order[:i], w.order[i+1:]...)
			break
		}
	}
	w.order = append(w.order, key)
}

func (w *Warm) idle() time.Duration {
	if w.Idle > 0 {
		return w.Idle
	}
	return 2 * time.Minute
}

func (w *Warm) max() int {
	if w.Max > 0 {
		return w.Max
	}
	return 4
}

func (sp *spare) kill() {
	sp.in.CloseWithError(errSpareClosed)
	sp.rc.cancel()
	sp.rc.cmd.Wait()
	close(sp.dead)
}

// warmStream is a taken spare's output.
type warmStream struct {
	*stream
	in     *io.PipeReader
	stop   func() bool
	once   sync.Once
	refill func() // starts the spare's replacement, once
}

// Read starts the replacement spare with the first output.
func (s *warmStream) Read(p []byte) (int, error) {
	n, err := s.stream.Read(p)
	if n > 0 || err != nil {
		s.refill()
	}
	return n, err
}

// Close waits for the process as stream.Close does. The spare's input
// pipe is closed first: os/exec waits for the goroutine feeding the
// process from it, which a producer that never ends would otherwise hold
// forever. A stream read to its end has had its whole input already.
func (s *warmStream) Close() error {
	s.refill()
	s.in.CloseWithError(errSpareClosed)
	err := s.stream.Close()
	s.stop()
	return err
}
