package align

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// longReference joins one speaker's transcribed recordings into about
// secs seconds of audio with its transcript, like a cloning upload.
func longReference(b testing.TB, speaker string, secs float64) (*audio.PCM, string) {
	b.Helper()
	pcm := &audio.PCM{Rate: Rate, Channels: 1}
	var text []string
	for _, p := range speechtest.WAVs(b, speaker) {
		tr := speechtest.Transcript(p)
		if tr == "" || pcm.Seconds() >= secs {
			continue
		}
		pcm.Samples = append(pcm.Samples, load16k(b, p).Samples...)
		text = append(text, tr)
	}
	return pcm, strings.Join(text, " ")
}

// reportPerSecond reports the cost per second of audio, the figure the
// cloning budget is written in: wall time, and the process's CPU time,
// which other load on the machine does not inflate.
func reportPerSecond(b *testing.B, start time.Time, cpu0 time.Duration, secs float64) {
	n := float64(b.N) * secs
	b.ReportMetric(1000*time.Since(start).Seconds()/n, "ms/audio-s")
	b.ReportMetric(1000*(cpuTime()-cpu0).Seconds()/n, "cpu-ms/audio-s")
	b.ReportMetric(0, "ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkAlign aligns a one-minute reference and the whole LJ Speech
// set (≈220 s): long references are decoded in chunks, so the cost per
// second should not grow with length.
func BenchmarkAlign(b *testing.B) {
	for _, secs := range []float64{60, 300} {
		pcm, text := longReference(b, "ljspeech_LJ", secs)
		b.Run(fmt.Sprintf("%.0fs", pcm.Seconds()), func(b *testing.B) {
			if _, err := Align(context.Background(), pcm, text); err != nil { // load the decoder
				b.Fatal(err)
			}
			b.ResetTimer()
			start, cpu0 := time.Now(), cpuTime()
			for range b.N {
				if _, err := Align(context.Background(), pcm, text); err != nil {
					b.Fatal(err)
				}
			}
			reportPerSecond(b, start, cpu0, pcm.Seconds())
		})
	}
}

func BenchmarkRecognize(b *testing.B) {
	pcm, _ := longReference(b, "ljspeech_LJ", 60)
	if _, err := Recognize(context.Background(), pcm); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for range b.N {
		if _, err := Recognize(context.Background(), pcm); err != nil {
			b.Fatal(err)
		}
	}
	reportPerSecond(b, start, cpu0, pcm.Seconds())
}
