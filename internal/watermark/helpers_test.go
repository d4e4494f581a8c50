package watermark

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

var testKey = func() Key { k, _ := KeyFrom([]byte("a test key that is long enough")); return k }()

// transform is one thing done to marked audio before detection.
type transform struct {
	name string
	do   func(t testing.TB, p *audio.PCM) *audio.PCM
}

// ffmpegCodec encodes with real ffmpeg and decodes back at outRate (0: the
// input's rate).
func ffmpegCodec(t testing.TB, p *audio.PCM, outRate int, enc ...string) *audio.PCM {
	t.Helper()
	if outRate == 0 {
		outRate = p.Rate
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	raw := make([]byte, 4*len(p.Samples))
	for i, v := range p.Samples {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	args := append([]string{"-hide_banner", "-loglevel", "error", "-f", "f32le", "-ar", strconv.Itoa(p.Rate), "-ac", "1", "-i", "pipe:0"}, enc...)
	args = append(args, "pipe:1")
	cmd := exec.CommandContext(ctx, "ffmpeg", args...)
	cmd.Stdin = bytes.NewReader(raw)
	coded, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffmpeg %v: %v", enc, err)
	}
	cmd = exec.CommandContext(ctx, "ffmpeg", "-hide_banner", "-loglevel", "error", "-i", "pipe:0", "-f", "f32le", "-ac", "1", "-ar", strconv.Itoa(outRate), "pipe:1")
	cmd.Stdin = bytes.NewReader(coded)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffmpeg decode %v: %v", enc, err)
	}
	s := make([]float32, len(out)/4)
	for i := range s {
		s[i] = math.Float32frombits(binary.LittleEndian.Uint32(out[4*i:]))
	}
	return &audio.PCM{Rate: outRate, Channels: 1, Samples: s}
}

// codecT encodes and decodes back at the input's rate, whatever the
// engine's output rate is.
func codecT(name string, enc ...string) transform {
	return transform{name, func(t testing.TB, p *audio.PCM) *audio.PCM { return ffmpegCodec(t, p, 0, enc...) }}
}

// pitchT shifts the pitch by factor at the same tempo: played faster
// (asetrate), resampled back to the input's rate, and stretched back.
func pitchT(name string, factor float64) transform {
	return transform{name, func(t testing.TB, p *audio.PCM) *audio.PCM {
		af := fmt.Sprintf("asetrate=%d,aresample=%d,atempo=%.5f", int(math.Round(float64(p.Rate)*factor)), p.Rate, 1/factor)
		return ffmpegCodec(t, p, 0, "-af", af, "-f", "wav")
	}}
}

// gain scales by db; with clip, samples are then clipped to full scale,
// as a 16-bit file would have them.
func gain(db float64, clip bool) transform {
	name := "gain " + strconv.FormatFloat(db, 'f', 0, 64) + " dB"
	if clip {
		name += " clipped"
	}
	return transform{name, func(_ testing.TB, p *audio.PCM) *audio.PCM {
		g := float32(math.Pow(10, db/20))
		out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, len(p.Samples))}
		for i, v := range p.Samples {
			out.Samples[i] = v * g
			if clip {
				out.Samples[i] = max(-1, min(1, out.Samples[i]))
			}
		}
		return out
	}}
}

func resampleT(rate int) transform {
	return transform{"resample " + strconv.Itoa(rate), func(_ testing.TB, p *audio.PCM) *audio.PCM { return dsp.Resample(p, rate) }}
}

// noise adds white noise at snr dB below the signal's power.
func noise(snr float64, seed uint64) transform {
	return transform{"noise " + strconv.FormatFloat(snr, 'f', 0, 64) + " dB SNR", func(_ testing.TB, p *audio.PCM) *audio.PCM {
		var e float64
		for _, v := range p.Samples {
			e += float64(v) * float64(v)
		}
		sd := math.Sqrt(e/float64(len(p.Samples))) * math.Pow(10, -snr/20)
		r := rand.New(rand.NewPCG(seed, 1))
		out := &audio.PCM{Rate: p.Rate, Channels: 1, Samples: make([]float32, len(p.Samples))}
		for i, v := range p.Samples {
			out.Samples[i] = v + float32(r.NormFloat64()*sd)
		}
		return out
	}}
}

var transforms = []transform{
	{"none", func(_ testing.TB, p *audio.PCM) *audio.PCM { return p }},
	codecT("mp3 64k", "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3"),
	codecT("opus 24k", "-c:a", "libopus", "-b:a", "24k", "-f", "ogg"),
	codecT("aac 64k", "-c:a", "aac", "-b:a", "64k", "-f", "adts"),
	codecT("ulaw 8k", "-ar", "8000", "-c:a", "pcm_mulaw", "-f", "wav"),
	resampleT(8000), resampleT(22050), resampleT(44100),
	gain(10, false), gain(-10, false),
	noise(20, 7),
}

// excerpts cuts 3-second windows, starting at odd offsets, every step seconds.
func excerpts(p *audio.PCM, step float64) []*audio.PCM { return cuts(p, 3, step) }

// cuts cuts windows of sec seconds, starting at odd offsets, every step seconds.
func cuts(p *audio.PCM, sec int, step float64) []*audio.PCM {
	var out []*audio.PCM
	n, s := sec*p.Rate, int(step*float64(p.Rate))
	for start := 137; start+n <= len(p.Samples); start += s {
		out = append(out, &audio.PCM{Rate: p.Rate, Channels: 1, Samples: p.Samples[start : start+n]})
	}
	return out
}

// testPayload is the payload of marking m of the corpus's voice i:
// marking 0 is TestRobustness's, the others TestMeasure's.
func testPayload(m, i int) Payload {
	p := Payload(0x9E3779B9 * uint32(i+1))
	if m > 0 {
		p ^= Payload(0x85EBCA6B * uint32(m*16+i+1))
	}
	return p
}
