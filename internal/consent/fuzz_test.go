package consent

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/speaker"
)

// FuzzVerify feeds Verify and MatchSample audio a hostile client could
// send as a consent recording or a sample: any rate, channel count and
// samples (little-endian int16, or raw float32 bits when float is set).
// Verify must refuse with one of its reasons or pass, never fail
// otherwise (the API would answer 500) nor panic; a pass must carry a
// print; MatchSample must pass or say ErrMismatch.
func FuzzVerify(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 2*400)
	for i := range noise {
		noise[i] = byte(rng.Uint32())
	}
	// rate and channels count from 0: 99 is 100 Hz, 0 one channel.
	f.Add(noise, uint32(99), uint8(0), false) // 4 s of noise
	f.Add(noise, uint32(15999), uint8(1), false)
	f.Add(noise, uint32(0), uint8(0), true) // 200 s at 1 Hz
	f.Add(noise, uint32(2), uint8(1), false)
	f.Add([]byte{}, uint32(15999), uint8(0), false)
	f.Add([]byte{0xff, 0xff, 0x7f, 0x7f}, uint32(767999), uint8(15), true)
	ref := referencePrint(f)
	c := Challenge{Statement: Statement, Words: Vocabulary[:6]}
	f.Fuzz(func(t *testing.T, data []byte, rate uint32, channels uint8, float bool) {
		p := fuzzPCM(data, rate, channels, float)
		if s := p.Seconds(); s > maxFuzzSeconds && s <= MaxRecording {
			// Recognising a minute of audio takes seconds: keep the fuzzer
			// moving on short recordings; longer ones are refused at once.
			p.Samples = p.Samples[:maxFuzzSeconds*p.Rate*p.Channels]
		}
		res, err := Verify(t.Context(), c, p)
		switch {
		case err == nil && res.Print == nil:
			t.Fatal("passed without a print")
		case err != nil && !errors.Is(err, ErrNoSpeech) && !errors.Is(err, ErrWrongWords) && !errors.Is(err, ErrTooLong):
			t.Fatalf("%d Hz, %d channels, %d frames: %v", p.Rate, p.Channels, p.Frames(), err)
		}
		if err := MatchSample(ref, 0, p); err != nil && !errors.Is(err, ErrMismatch) {
			t.Fatalf("MatchSample: %v", err)
		}
	})
}

// maxFuzzSeconds bounds the recordings FuzzVerify recognises.
const maxFuzzSeconds = 8

// fuzzPCM makes PCM of the bytes, at a rate and channel count within what
// the decoders return (1 Hz to 768 kHz, 1 to 16 channels).
func fuzzPCM(data []byte, rate uint32, channels uint8, float bool) *audio.PCM {
	p := &audio.PCM{Rate: 1 + int(rate%768000), Channels: 1 + int(channels%16)}
	width := 2
	if float {
		width = 4
	}
	n := len(data) / width / p.Channels * p.Channels
	p.Samples = make([]float32, n)
	for i := range p.Samples {
		if float {
			v := math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				v = 0 // the decoders never return these
			}
			p.Samples[i] = v
		} else {
			p.Samples[i] = float32(int16(binary.LittleEndian.Uint16(data[2*i:]))) / 32768
		}
	}
	return p
}

// referencePrint is the print of a few seconds of a rising tone in noise:
// any valid print will do to compare against.
func referencePrint(f *testing.F) *speaker.Print {
	rng := rand.New(rand.NewPCG(3, 4))
	p := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 16000*4)}
	for i := range p.Samples {
		t := float64(i) / 16000
		p.Samples[i] = float32(0.3*math.Sin(2*math.Pi*(150+40*t)*t) + 0.05*rng.NormFloat64())
	}
	pr, err := speaker.Extract(p)
	if err != nil {
		f.Fatalf("reference print: %v", err)
	}
	return pr
}
