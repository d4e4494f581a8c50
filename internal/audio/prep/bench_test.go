package prep

import (
	"bytes"
	"context"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// upload builds a 16-bit WAV of speech, seconds long, at rate Hz in
// stereo (the right channel a quieter copy), like a typical upload.
func upload(t testing.TB, seconds float64, rate int) []byte {
	t.Helper()
	src := synthetic(t, "slt", 90, rate)
	n := int(seconds * float64(rate))
	st := &audio.PCM{Rate: rate, Channels: 2, Samples: make([]float32, 2*n)}
	for i := 0; i < n; i++ {
		v := src.Samples[i%len(src.Samples)]
		st.Samples[2*i], st.Samples[2*i+1] = v, 0.7*v
	}
	var b bytes.Buffer
	if err := wav.Encode(&b, st, wav.PCM16); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkUpload60s is the per-upload cost: decode 60 s of 44.1 kHz stereo
// WAV, preprocess it and produce the quality report. Run with -cpu 1.
func BenchmarkUpload60s(b *testing.B) {
	data := upload(b, 60, 44100)
	b.SetBytes(int64(len(data)))
	cpu := startCPU()
	for b.Loop() {
		p, _, err := codec.Decode(context.Background(), data)
		if err != nil {
			b.Fatal(err)
		}
		Prepare(p, DefaultOptions())
	}
	cpu.report(b)
}

// cpuClock measures the process's CPU time, user and system. On a shared
// machine wall time also counts the time other processes hold the core;
// CPU time with GOMAXPROCS=1 is what one core actually spent.
type cpuClock struct{ start time.Duration }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{cpuTime()} }

func (c cpuClock) report(b *testing.B) {
	b.ReportMetric(float64((cpuTime()-c.start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func BenchmarkAnalyze60s(b *testing.B) {
	p, _, _ := codec.Decode(context.Background(), upload(b, 60, 44100))
	for b.Loop() {
		Analyze(p)
	}
}

// TestUploadMemory checks that a 10 MB upload decodes and preprocesses
// within about 50 MB: the sum of every allocation made on the way, which
// bounds the peak from above. The noisy variant also runs noise reduction.
func TestUploadMemory(t *testing.T) {
	clean := upload(t, 10<<20/(4*44100), 44100) // ≈10 MB of 44.1 kHz stereo
	p, _, err := codec.Decode(context.Background(), clean)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := wav.Encode(&b, addNoise(p, 12, 5), wav.PCM16); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"clean": clean, "noisy": b.Bytes()} {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		before := m.TotalAlloc
		p, _, err := codec.Decode(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		out, r := Prepare(p, DefaultOptions())
		runtime.ReadMemStats(&m)
		total := m.TotalAlloc - before
		t.Logf("%s: %.1f MB upload, %.0f s: %.1f MB allocated in all, output %.1f s, SNR %.0f dB, score %d",
			name, float64(len(data))/(1<<20), r.DurationSeconds, float64(total)/(1<<20), out.Seconds(), r.SNRDB, r.Score)
		if total > 50<<20 {
			t.Errorf("%s: allocated %.1f MB to decode and prepare a %.1f MB upload, want ≤ 50 MB", name, float64(total)/(1<<20), float64(len(data))/(1<<20))
		}
	}
}

// BenchmarkStages times each step of the upload path on 60 s of 44.1 kHz
// stereo, to show where BenchmarkUpload60s spends its time.
func BenchmarkStages(b *testing.B) {
	data := upload(b, 60, 44100)
	p, _, _ := codec.Decode(context.Background(), data)
	mono := Downmix(p)
	x := dsp.Resample(mono, 16000)
	f := analyzeFrames(x.Samples, 16000)
	for _, st := range []struct {
		name string
		fn   func()
	}{
		{"decode", func() { codec.Decode(context.Background(), data) }},
		{"loudness", func() { loudness.Integrated(p) }},
		{"truepeak", func() { loudness.TruePeak(p) }},
		{"clipping", func() { ClippingRatio(p) }},
		{"downmix", func() { Downmix(p) }},
		{"resample", func() { dsp.Resample(mono, 16000) }},
		{"highpass", func() { HighPass(slices.Clone(x.Samples), 16000) }},
		{"vad", func() { analyzeFrames(x.Samples, 16000) }},
		{"bandwidth", func() { bandwidth(x.Samples, 16000, f) }},
		{"denoise", func() { Denoise(x.Samples, 16000, f.speech, f.hop) }},
		{"normalize", func() { loudness.Normalize(x, -23, -1) }},
	} {
		b.Run(st.name, func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				st.fn()
			}
			cpu.report(b)
		})
	}
}
