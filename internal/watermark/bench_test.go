package watermark

import (
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

// noiseSpeech is 10 s of noise at rate, enough to time the DSP.
func noiseSpeech(rate int) *audio.PCM {
	r := rand.New(rand.NewPCG(3, 4))
	p := &audio.PCM{Rate: rate, Channels: 1, Samples: make([]float32, 10*rate)}
	for i := range p.Samples {
		p.Samples[i] = float32(r.NormFloat64() * 0.1)
	}
	return p
}

// BenchmarkEmbed10s marks 10 s at the engine's output rate in sentence-sized
// pieces, as a stream does.
func BenchmarkEmbed10s(b *testing.B) {
	p := noiseSpeech(voice.OutputRate)
	for b.Loop() {
		e := NewEmbedder(testKey, 1, voice.OutputRate)
		for i := 0; i < len(p.Samples); i += 40000 {
			e.Write(p.Samples[i:min(i+40000, len(p.Samples))])
		}
		e.Flush()
	}
}

// BenchmarkDetect10s looks for the mark in 10 s at the engine's output rate.
func BenchmarkDetect10s(b *testing.B) {
	p := Embed(testKey, 1, noiseSpeech(voice.OutputRate))
	for b.Loop() {
		Detect(testKey, p)
	}
}
