package flite

import (
	"context"
	"errors"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const hello = "Hello world, this is a test."

func TestSynthesizeEveryVoice(t *testing.T) {
	for _, v := range Voices() {
		t.Run(v, func(t *testing.T) {
			r, err := Synthesize(context.Background(), v, hello, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Audio.Rate != 16000 || r.Audio.Channels != 1 {
				t.Fatalf("got %d Hz %d ch, want 16000 Hz mono", r.Audio.Rate, r.Audio.Channels)
			}
			dur := r.Audio.Seconds()
			if dur < 1 || dur > 4 {
				t.Fatalf("duration %.2fs, want 1–4 s", dur)
			}
			if rms(r.Audio.Samples) < 0.01 {
				t.Fatalf("audio is near silent")
			}
			checkPhones(t, r, dur)
		})
	}
}

func checkPhones(t *testing.T, r *Result, dur float64) {
	t.Helper()
	var names []string
	prev := 0.0
	for _, p := range r.Phones {
		if p.End < prev {
			t.Fatalf("phone %q ends at %.3f before previous %.3f", p.Name, p.End, prev)
		}
		prev = p.End
		names = append(names, p.Name)
	}
	got := strings.Join(names, " ")
	if !strings.Contains(got, "hh") || !strings.Contains(got, "w er l d") {
		t.Errorf("phones %q lack hello/world", got)
	}
	if names[0] != "pau" || names[len(names)-1] != "pau" {
		t.Errorf("phones %q should start and end with pau", got)
	}
	if prev > dur || prev < dur-0.15 {
		t.Errorf("last phone ends %.3f s, audio lasts %.3f s", prev, dur)
	}
}

func TestDurationStretch(t *testing.T) {
	ctx := context.Background()
	a, err := Synthesize(ctx, "slt", hello, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Synthesize(ctx, "slt", hello, Options{DurationStretch: 2})
	if err != nil {
		t.Fatal(err)
	}
	if ratio := b.Audio.Seconds() / a.Audio.Seconds(); ratio < 1.7 || ratio > 2.3 {
		t.Fatalf("stretch 2 changed duration by %.2f×, want ≈2", ratio)
	}
}

func TestF0Target(t *testing.T) {
	ctx := context.Background()
	for _, v := range []string{"slt", "awb", "kal16", "rms"} {
		lo, err := Synthesize(ctx, v, hello, Options{F0Mean: 100, F0Stddev: 10})
		if err != nil {
			t.Fatal(err)
		}
		hi, err := Synthesize(ctx, v, hello, Options{F0Mean: 220, F0Stddev: 10})
		if err != nil {
			t.Fatal(err)
		}
		fl, fh := medianF0(lo.Audio.Samples, 16000), medianF0(hi.Audio.Samples, 16000)
		if !F0Controllable(v) {
			if math.Abs(fh/fl-1) > 0.05 {
				t.Errorf("%s: said to ignore F0 targets, but median F0 went %.0f → %.0f Hz", v, fl, fh)
			}
			continue
		}
		if fh/fl < 1.6 {
			t.Errorf("%s: median F0 %.0f Hz at target 100, %.0f Hz at 220: want ratio ≈2.2", v, fl, fh)
		}
		// The setting must not stick to the voice.
		d1, _ := Synthesize(ctx, v, hello, Options{})
		def, err := Synthesize(ctx, v, hello, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !equal(d1.Audio.Samples, def.Audio.Samples) {
			t.Errorf("%s: default synthesis not repeatable", v)
		}
		if equal(def.Audio.Samples, hi.Audio.Samples) {
			t.Errorf("%s: F0 target stuck on the voice", v)
		}
	}
}

// TestConcurrent synthesizes from many goroutines across voices; every
// result must match the serial one exactly (run it with -race).
func TestConcurrent(t *testing.T) {
	ctx := context.Background()
	texts := []string{hello, "The quick brown fox jumps over the lazy dog.", "Numbers like 42 and 1999."}
	type job struct{ v, text string }
	want := map[job][]float32{}
	for _, v := range []string{"slt", "rms", "kal16"} {
		for _, tx := range texts {
			r, err := Synthesize(ctx, v, tx, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want[job{v, tx}] = r.Audio.Samples
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				j := job{[]string{"slt", "rms", "kal16"}[(g+i)%3], texts[(g*7+i)%3]}
				r, err := Synthesize(ctx, j.v, j.text, Options{})
				if err != nil {
					errs <- err
					return
				}
				if !equal(r.Audio.Samples, want[j]) {
					errs <- errors.New(j.v + ": concurrent result differs from serial")
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestMemoryBounded synthesizes repeatedly: utterances must be freed, so
// resident memory stays flat after the first calls.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	ctx := context.Background()
	run := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := Synthesize(ctx, "rms", hello, Options{DurationStretch: 0.8}); err != nil {
				t.Fatal(err)
			}
		}
	}
	run(20)
	before := rssMB(t)
	run(200)
	after := rssMB(t)
	if after-before > 15 {
		t.Fatalf("RSS grew %.1f MB over 200 syntheses (%.1f → %.1f)", after-before, before, after)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := Synthesize(ctx, "nope", "hi", Options{}); !errors.Is(err, ErrUnknownVoice) {
		t.Errorf("unknown voice: got %v", err)
	}
	if _, err := Synthesize(ctx, "slt", strings.Repeat("a ", MaxTextBytes), Options{}); !errors.Is(err, ErrTextTooLong) {
		t.Errorf("long text: got %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	sem <- struct{}{} // hold flite so the call has to wait
	_, err := Synthesize(cctx, "slt", "hi", Options{})
	<-sem
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	for _, odd := range []string{"", "...", "\x00", "héllo wörld ✓"} {
		if _, err := Synthesize(ctx, "slt", odd, Options{}); err != nil {
			t.Errorf("%q: %v", odd, err)
		}
	}
}

func BenchmarkSynthesize(b *testing.B) {
	ctx := context.Background()
	text := "The quick brown fox jumps over the lazy dog near the river bank."
	var secs float64
	for i := 0; i < b.N; i++ {
		r, err := Synthesize(ctx, "slt", text, Options{})
		if err != nil {
			b.Fatal(err)
		}
		secs += r.Audio.Seconds()
	}
	b.ReportMetric(b.Elapsed().Seconds()/secs, "RTF")
}

func rms(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return math.Sqrt(s / float64(len(x)))
}

func equal(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// medianF0 is a crude autocorrelation pitch estimate over loud 40 ms frames,
// enough to tell 100 Hz from 220 Hz.
func medianF0(x []float32, rate int) float64 {
	n, lo, hi := rate/25, rate/400, rate/60
	var f0s []float64
	thr := rms(x)
	for s := 0; s+n+hi < len(x); s += n / 2 {
		if rms(x[s:s+n]) < thr {
			continue
		}
		best, bestLag := 0.0, 0
		for lag := lo; lag <= hi; lag++ {
			var c, e float64
			for i := 0; i < n; i++ {
				c += float64(x[s+i]) * float64(x[s+i+lag])
				e += float64(x[s+i+lag]) * float64(x[s+i+lag])
			}
			if c/math.Sqrt(e+1e-9) > best {
				best, bestLag = c/math.Sqrt(e+1e-9), lag
			}
		}
		if bestLag > 0 {
			f0s = append(f0s, float64(rate)/float64(bestLag))
		}
	}
	sort.Float64s(f0s)
	if len(f0s) == 0 {
		return 0
	}
	return f0s[len(f0s)/2]
}

func rssMB(t *testing.T) float64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc")
	}
	f := strings.Fields(string(b))
	pages, _ := strconv.Atoi(f[1])
	return float64(pages*os.Getpagesize()) / 1e6
}

// TestTokens: each whitespace token of the text comes back in order with
// the span of its words, spans in order and inside the audio, and the
// stretch stretches them.
func TestTokens(t *testing.T) {
	const text = "Hello there, ninety-nine red balloons went up."
	want := strings.Fields(text)
	for _, v := range []string{"slt", "rms"} {
		var prevDur float64
		for _, stretch := range []float64{1, 1.5} {
			r, err := Synthesize(context.Background(), v, text, Options{DurationStretch: stretch})
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Tokens) != len(want) {
				t.Fatalf("%s: %d tokens %+v, want %d", v, len(r.Tokens), r.Tokens, len(want))
			}
			last := 0.0
			for i, tk := range r.Tokens {
				if !strings.HasPrefix(want[i], tk.Name) || tk.Words < 1 {
					t.Errorf("%s token %d = %+v, want %q read as words", v, i, tk, want[i])
				}
				if tk.Start < last-1e-6 || tk.End <= tk.Start || tk.End > r.Audio.Seconds() {
					t.Errorf("%s token %q spans %.3f–%.3f after %.3f in %.3f s of audio", v, tk.Name, tk.Start, tk.End, last, r.Audio.Seconds())
				}
				last = tk.End
			}
			if w := r.Tokens[2]; w.Words != 2 {
				t.Errorf("%s: %q read as %d words, want 2", v, w.Name, w.Words)
			}
			dur := r.Tokens[len(want)-1].End - r.Tokens[0].Start
			if prevDur > 0 && dur < 1.3*prevDur {
				t.Errorf("%s: words last %.2f s at stretch 1.5, %.2f s at 1", v, dur, prevDur)
			}
			prevDur = dur
		}
	}
}
