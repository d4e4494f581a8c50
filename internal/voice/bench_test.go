package voice

import (
	"context"
	"slices"
	"sync"
	"syscall"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// benchSentence has ten words, the size the speed target is stated for.
const benchSentence = "The quick brown fox jumps over the lazy dog near the river."

var (
	benchOnce sync.Once
	benchProf []byte
	benchRefs []Reference
)

// benchFixtures clones a minute of a real speaker once per run.
func benchFixtures(b *testing.B) ([]byte, []Reference) {
	benchOnce.Do(func() {
		benchRefs = firstSeconds(loadRefs(b, "librispeech_2033", 60), 60)
		var err error
		benchProf, err = New(Config{}).Clone(context.Background(), benchRefs)
		if err != nil {
			b.Fatal(err)
		}
	})
	return benchProf, benchRefs
}

// firstSeconds cuts refs to their first secs seconds in total.
func firstSeconds(refs []Reference, secs float64) []Reference {
	total := 0.0
	for i := range refs {
		p := refs[i].Audio
		if keep := secs - total; p.Seconds() > keep {
			refs[i].Audio = &audio.PCM{Rate: p.Rate, Channels: p.Channels, Samples: p.Samples[:int(keep*float64(p.Rate))*p.Channels]}
		}
		total += refs[i].Audio.Seconds()
	}
	return refs
}

// BenchmarkClone builds a profile from 60 s of real speech. Run it on one
// core (-cpu 1): cpu-s/op is the measure, CPU seconds per clone.
func BenchmarkClone(b *testing.B) {
	_, refs := benchFixtures(b)
	benchClone(b, refs)
}

// BenchmarkCloneTranscribed adds forced alignment and the speaking-rate
// fit (flite times the transcripts of 60 s of references).
func BenchmarkCloneTranscribed(b *testing.B) {
	benchClone(b, firstSeconds(loadRefs(b, "vctk_p226", 60), 60))
}

// BenchmarkCloneRoom clones the references of BenchmarkClone played in the
// evaluation's synthetic room (RT60 0.5 s), which Clone dereverberates
// (reverb.go).
func BenchmarkCloneRoom(b *testing.B) {
	_, refs := benchFixtures(b)
	room := dsp.MediumRoom
	wet := make([]Reference, len(refs))
	for i, r := range refs {
		wet[i] = Reference{Audio: room.Apply(r.Audio), Transcript: r.Transcript}
	}
	benchClone(b, wet)
}

// benchClone clones refs once per iteration and reports CPU seconds per
// clone (process user+system time, so it includes the collector wherever
// it ran): the mean as cpu-s/op, and the median and maximum.
//
// Each iteration calls Clone from a different stack depth (clonePads).
// gonum's FFT runs up to 9× slower when its frames sit in a few narrow
// windows of the stack's offset modulo 4 KiB (TestFFTStackOffset), so one
// fixed call site could measure a clone at 1.6 or at 2.5 CPU-s with the
// same code and input, depending only on how the caller's frames happen
// to be sized. That accident, not b.Loop, was the "b.Loop excess" of
// docs/performance.md. Varying the depth measures what a clone costs over
// call sites; the maximum shows when one of them is slow.
//
// One clone runs before the loop, untimed: the first clone in a process
// loads the pocketsphinx decoders, the dictionary and the base voices'
// statistics, which a server pays once, not per clone.
func benchClone(b *testing.B, refs []Reference) {
	e := New(Config{})
	if _, err := e.Clone(context.Background(), refs); err != nil {
		b.Fatal(err)
	}
	var per []float64
	startCPU(b)
	for b.Loop() {
		pad := len(per) * 5 % clonePads
		c0 := cpuSeconds()
		withStackPad(pad, func() {
			if _, err := e.Clone(context.Background(), refs); err != nil {
				b.Fatal(err)
			}
		})
		per = append(per, cpuSeconds()-c0)
	}
	b.ReportMetric(cpuSince(b)/float64(b.N), "cpu-s/op")
	slices.Sort(per)
	b.ReportMetric(per[len(per)/2], "cpu-s-median/op")
	b.ReportMetric(per[len(per)-1], "cpu-s-max/op")
	// The least disturbed clone on a shared machine.
	b.ReportMetric(per[0], "cpu-s-min/op")
}

// clonePads is how many stack depths benchClone calls Clone from: 0 to 15
// extra frames of withStackPad (≈ 270 bytes each), spread over 4 KiB.
const clonePads = 16

var padSink byte

// withStackPad calls f from n frames deeper than its own.
//
//go:noinline
func withStackPad(n int, f func()) {
	var pad [240]byte
	pad[n%len(pad)] = byte(n)
	if n <= 0 {
		f()
	} else {
		withStackPad(n-1, f)
	}
	padSink += pad[(n+1)%len(pad)]
}

func benchBase(b *testing.B) (*flite.Result, []float64, *Profile) {
	prof, _ := benchFixtures(b)
	var p Profile
	if err := p.UnmarshalBinary(prof); err != nil {
		b.Fatal(err)
	}
	r, err := flite.Synthesize(context.Background(), p.Base.Voice, benchSentence, flite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return r, toFloat64(r.Audio.Samples), &p
}

// The stage benchmarks report RTF: seconds of work per second of speech.

func BenchmarkStageFlite(b *testing.B) {
	r, _, p := benchBase(b)
	startCPU(b)
	for b.Loop() {
		if _, err := flite.Synthesize(context.Background(), p.Base.Voice, benchSentence, flite.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportRTF(b, r.Audio.Seconds())
}

func BenchmarkStageAnalysis(b *testing.B) {
	r, x, _ := benchBase(b)
	startCPU(b)
	for b.Loop() {
		if _, err := analyzeBase(x, r.Phones); err != nil {
			b.Fatal(err)
		}
	}
	reportRTF(b, r.Audio.Seconds())
}

func BenchmarkStageConversion(b *testing.B) {
	r, x, p := benchBase(b)
	par, err := analyzeBase(x, r.Phones)
	if err != nil {
		b.Fatal(err)
	}
	env := make([][]float64, len(par.Envelope))
	f0 := make([]float64, len(par.F0))
	labels := frameLabels(r.Phones, synthHop, len(f0))
	startCPU(b)
	for b.Loop() {
		for i, e := range par.Envelope {
			env[i] = append(env[i][:0], e...)
		}
		copy(f0, par.F0)
		c := newConversion(p, 1, 0)
		periodic := periodicFrames(x, f0, analysisRate, synthHop)
		c.mapEnvelopes(env, f0, labels)
		c.mapF0(f0, periodic)
	}
	reportRTF(b, r.Audio.Seconds())
}

func BenchmarkStageSynthesis(b *testing.B) {
	r, x, p := benchBase(b)
	par, err := analyzeBase(x, r.Phones)
	if err != nil {
		b.Fatal(err)
	}
	c := newConversion(p, 1, 0)
	par.Aperiodicity, _ = world.Aperiodicity(x, analysisRate, par.F0, synthHop, par.FFTSize,
		world.AperiodicityOptions{Mode: world.Template, TemplateDB: c.apDB})
	startCPU(b)
	for b.Loop() {
		if _, err := world.Synthesize(par, world.SynthesisOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	reportRTF(b, r.Audio.Seconds())
}

// BenchmarkStageUnvoiced is the base voice's own unvoiced frames put
// back into the vocoder's output (unvoiced.go).
func BenchmarkStageUnvoiced(b *testing.B) {
	r, x, p := benchBase(b)
	par, err := analyzeBase(x, r.Phones)
	if err != nil {
		b.Fatal(err)
	}
	before := unvoicedEnvelopes(par.Envelope, par.F0)
	newConversion(p, 1, 0).mapEnvelopes(par.Envelope, par.F0, frameLabels(r.Phones, synthHop, len(par.F0)))
	x24 := resampleTo(x, analysisRate, OutputRate)
	y := make([]float64, len(x24))
	startCPU(b)
	for b.Loop() {
		keepUnvoiced(y, x24, par.F0, unvoicedEnvelopes(before, par.F0), par.Envelope, OutputRate, int(synthHop*OutputRate/1000))
	}
	reportRTF(b, r.Audio.Seconds())
}

// BenchmarkSynthesize is the whole pipeline from text: a ten-word sentence,
// in a cloned voice, the baseline and a built-in voice.
func BenchmarkSynthesize(b *testing.B) {
	prof, _ := benchFixtures(b)
	for _, mode := range []Mode{ModeConvert, ModeBaseline} {
		b.Run(string(mode), func(b *testing.B) {
			e := New(Config{Mode: mode})
			var secs float64
			startCPU(b)
			for b.Loop() {
				p, err := e.Synthesize(context.Background(), prof, benchSentence, Options{})
				if err != nil {
					b.Fatal(err)
				}
				secs = p.Seconds()
			}
			reportRTF(b, secs)
		})
	}
	// builtin is a built-in voice, streamed as the service speaks it:
	// flite at 16 kHz brought to the engine's rate, no conversion.
	b.Run("builtin", func(b *testing.B) {
		e := New(Config{})
		var secs float64
		startCPU(b)
		for b.Loop() {
			s, err := Prepare(benchSentence)
			if err != nil {
				b.Fatal(err)
			}
			secs = 0
			err = e.Stream(context.Background(), Speaker{Builtin: "slt"}, s, Options{}, func(c Chunk) error {
				secs += c.Audio.Seconds()
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		reportRTF(b, secs)
	})
}

// reportRTF reports wall-clock and CPU real-time factors. The machine is
// shared, so the CPU figure (process user+system time, meaningful with
// GOMAXPROCS=1) is the one that measures the code.
func reportRTF(b *testing.B, speechSeconds float64) {
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/speechSeconds, "RTF")
	b.ReportMetric(cpuSince(b)/float64(b.N)/speechSeconds, "cpuRTF")
}

var cpuStart = map[*testing.B]float64{}

// startCPU marks the CPU time at the start of a benchmark's loop.
func startCPU(b *testing.B) {
	b.Helper()
	cpuStart[b] = cpuSeconds()
}

func cpuSince(b *testing.B) float64 { return cpuSeconds() - cpuStart[b] }

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
