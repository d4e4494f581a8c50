//go:build unix

package world

import (
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/speechtest"
)

// benchSpeech returns secs seconds of real 16 kHz speech (utterances of one
// speaker concatenated, then cut).
func benchSpeech(b *testing.B, secs float64) []float64 {
	b.Helper()
	var x []float64
	want := int(secs * 16000)
	for _, p := range speechtest.WAVs(b, "librispeech_1998") {
		y, fs := readWAV(b, p)
		if fs != 16000 {
			b.Fatalf("%s: rate %d", p, fs)
		}
		x = append(x, y...)
		if len(x) >= want {
			return x[:want]
		}
	}
	b.Fatalf("only %d samples of speech", len(x))
	return nil
}

// cpuTime is the CPU time used by the process so far. On a shared machine
// wall time depends on the neighbours; CPU time at GOMAXPROCS=1 is the
// single-core cost (it includes the garbage collector's share).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// stage runs fn b.N times and reports wall and CPU milliseconds per second
// of audio.
func stage(b *testing.B, secs float64, fn func()) {
	c0 := cpuTime()
	for b.Loop() {
		fn()
	}
	n := float64(b.N) * secs
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/n, "ms/s")
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/n, "cpu-ms/s")
}

func benchStages(b *testing.B, secs float64) {
	x := benchSpeech(b, secs)
	p, err := Analyze(x, 16000, AnalyzeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("F0", func(b *testing.B) {
		stage(b, secs, func() { F0(x, 16000, F0Options{}) })
	})
	b.Run("F0Speed1", func(b *testing.B) {
		stage(b, secs, func() { F0(x, 16000, F0Options{Speed: 1}) })
	})
	b.Run("Envelope", func(b *testing.B) {
		stage(b, secs, func() { Envelope(x, 16000, p.F0, 5, EnvelopeOptions{}) })
	})
	b.Run("AperiodicityD4C", func(b *testing.B) {
		stage(b, secs, func() { Aperiodicity(x, 16000, p.F0, 5, p.FFTSize, AperiodicityOptions{}) })
	})
	b.Run("AperiodicityTemplate", func(b *testing.B) {
		stage(b, secs, func() { Aperiodicity(x, 16000, p.F0, 5, p.FFTSize, AperiodicityOptions{Mode: Template}) })
	})
	b.Run("Synthesize", func(b *testing.B) {
		stage(b, secs, func() { Synthesize(p, SynthesisOptions{}) })
	})
}

func BenchmarkStages1s(b *testing.B)  { benchStages(b, 1) }
func BenchmarkStages10s(b *testing.B) { benchStages(b, 10) }

// BenchmarkF0Enrolment is enrolment's pitch tracking: a minute of speech
// in 20 s chunks at 10 ms frames, without and with an F0Cache kept
// across the chunks, at DIO's 8 kHz (Speed 2) and 4 kHz (Speed 4)
// decimated rates.
func BenchmarkF0Enrolment(b *testing.B) {
	const secs, chunk = 60, 20 * 16000
	x := benchSpeech(b, secs)
	for _, c := range []struct {
		name  string
		speed int
		cache bool
	}{{"Speed2", 2, false}, {"Speed2Cache", 2, true}, {"Speed4Cache", 4, true}} {
		b.Run(c.name, func(b *testing.B) {
			stage(b, secs, func() {
				var fc *F0Cache
				if c.cache {
					fc = new(F0Cache)
				}
				for s := 0; s < len(x); s += chunk {
					fc.F0(x[s:min(s+chunk, len(x))], 16000, F0Options{FramePeriod: 10, Speed: c.speed})
				}
			})
		})
	}
}
