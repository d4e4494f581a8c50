package codec

import (
	"context"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
)

// speech10s is 10 s of speech at 24 kHz mono, what synthesis returns.
func speech10s(b *testing.B) *audio.PCM {
	p := speech(b, "slt", 10, 24000)
	p.Samples = p.Samples[:10*24000]
	return p
}

// BenchmarkEncode10s encodes 10 s of speech to each output format. MP3 and
// Opus include starting ffmpeg; BenchmarkFFmpegStart shows what that alone
// costs.
func BenchmarkEncode10s(b *testing.B) {
	p := speech10s(b)
	for _, f := range OutputFormats() {
		b.Run(string(f), func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				if err := Encode(context.Background(), io.Discard, p, f, EncodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkFFmpegStart runs ffmpeg on a 10 ms input: the fixed cost of a
// process start, codec setup and teardown.
func BenchmarkFFmpegStart(b *testing.B) {
	p := &audio.PCM{Rate: 24000, Channels: 1, Samples: make([]float32, 240)}
	for _, f := range []audio.Format{audio.FormatMP3, audio.FormatOpus} {
		b.Run(string(f), func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				if err := Encode(context.Background(), io.Discard, p, f, EncodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

func BenchmarkDecode10s(b *testing.B) {
	p := speech10s(b)
	for _, f := range []audio.Format{audio.FormatWAV, audio.FormatFLAC, audio.FormatMP3, audio.FormatOpus} {
		data := encode(b, p, f, EncodeOptions{})
		b.Run(string(f), func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				if _, _, err := Decode(context.Background(), data); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// cpuClock measures CPU time of this process and of the encoder children it
// waited for: on a shared machine wall time also counts time spent waiting
// for a core.
type cpuClock struct{ self, children time.Duration }

func cpuOf(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock {
	return cpuClock{cpuOf(syscall.RUSAGE_SELF), cpuOf(syscall.RUSAGE_CHILDREN)}
}

func (c cpuClock) report(b *testing.B) {
	n := float64(b.N)
	b.ReportMetric(float64((cpuOf(syscall.RUSAGE_SELF)-c.self).Microseconds())/1000/n, "go-cpu-ms/op")
	b.ReportMetric(float64((cpuOf(syscall.RUSAGE_CHILDREN)-c.children).Microseconds())/1000/n, "child-cpu-ms/op")
}
