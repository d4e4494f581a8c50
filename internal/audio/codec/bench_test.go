package codec

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
	"github.com/voxclone/voxclone/internal/syncbuf"
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

// BenchmarkStreamFirstByte is the wall time from starting a stream to its
// first encoded byte, for 0.3 s of audio written at once (the engine's
// first chunk), with a process started per stream ("cold") and with
// Default's spare encoders ("warm").
func BenchmarkStreamFirstByte(b *testing.B) {
	piece := voicedPiece(24000, 0.3, 140)
	cold := &Codec{FFmpeg: &ffmpeg.Exec{}}
	for _, f := range []audio.Format{audio.FormatOpus, audio.FormatAAC} {
		for _, c := range []struct {
			name  string
			codec *Codec
		}{{"cold", cold}, {"warm", Default}} {
			b.Run(string(f)+"/"+c.name, func(b *testing.B) {
				var total time.Duration
				for b.Loop() {
					total += firstByte(b, c.codec, f, piece)
					// Let the spare for the next round start, as it
					// does between a server's requests.
					time.Sleep(300 * time.Millisecond)
				}
				b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-byte")
			})
		}
	}
}

func firstByte(b *testing.B, c *Codec, f audio.Format, piece *audio.PCM) time.Duration {
	var out syncbuf.Buffer
	start := time.Now()
	e, err := c.NewStreamEncoder(context.Background(), &out, f, piece.Rate, 1, EncodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	if err := e.Write(piece); err != nil {
		b.Fatal(err)
	}
	for out.Len() == 0 {
		if time.Since(start) > 10*time.Second {
			b.Fatal("no byte in 10 s")
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start)
}

// outputRates are the conversions of the engine's 24 kHz a compatible
// client asks for most: pcm_16000, pcm_22050, pcm_44100 and ulaw_8000.
var outputRates = []struct {
	f    audio.Format
	rate int
}{{audio.FormatPCM, 16000}, {audio.FormatPCM, 22050}, {audio.FormatPCM, 44100}, {audio.FormatULaw, 8000}}

// BenchmarkEncodeRates10s encodes 10 s of speech at 24 kHz to raw PCM and
// μ-law at other rates: the resampling is nearly all of it.
func BenchmarkEncodeRates10s(b *testing.B) {
	p := speech10s(b)
	for _, o := range outputRates {
		b.Run(fmt.Sprintf("%s_%d", o.f, o.rate), func(b *testing.B) {
			cpu := startCPU()
			for b.Loop() {
				if err := Encode(context.Background(), io.Discard, p, o.f, EncodeOptions{SampleRate: o.rate}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkStreamRates10s streams the same 10 s in pieces of 1.5 s, as the
// engine's sentences arrive, and reports besides the whole stream's CPU
// the wall time of the first piece's Write (what it adds to the first
// byte).
func BenchmarkStreamRates10s(b *testing.B) {
	p := speech10s(b)
	var pieces []*audio.PCM
	for i := 0; i < p.Frames(); i += 36000 {
		pieces = append(pieces, &audio.PCM{Rate: p.Rate, Channels: 1, Samples: p.Samples[i:min(i+36000, p.Frames())]})
	}
	for _, o := range outputRates {
		b.Run(fmt.Sprintf("%s_%d", o.f, o.rate), func(b *testing.B) {
			var first time.Duration
			cpu := startCPU()
			for b.Loop() {
				e, err := Default.NewStreamEncoder(context.Background(), io.Discard, o.f, p.Rate, 1, EncodeOptions{SampleRate: o.rate})
				if err != nil {
					b.Fatal(err)
				}
				for i, piece := range pieces {
					start := time.Now()
					if err := e.Write(piece); err != nil {
						b.Fatal(err)
					}
					if i == 0 {
						first += time.Since(start)
					}
				}
				if err := e.Close(); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(first.Microseconds())/1000/float64(b.N), "first-piece-ms")
		})
	}
}
