// Package audio holds the engine's core sample type and the errors shared by
// its decoders, encoders and DSP. It knows nothing of HTTP, SQL or JSON APIs.
package audio

import (
	"errors"
	"time"
)

// Format names an audio container or encoding, as sniffed from bytes or
// chosen for output.
type Format string

// Formats voxclone reads or writes. Not every format is both.
const (
	FormatUnknown Format = ""
	FormatWAV     Format = "wav"  // RIFF/WAVE, integer or float PCM
	FormatMP3     Format = "mp3"  // MPEG-1/2 layer III
	FormatFLAC    Format = "flac" // native FLAC
	FormatOGG     Format = "ogg"  // Ogg Vorbis
	FormatOpus    Format = "opus" // Ogg Opus
	FormatWebM    Format = "webm" // Matroska/WebM (browser recordings)
	FormatM4A     Format = "m4a"  // MP4/M4A (AAC)
	FormatAAC     Format = "aac"  // raw AAC in ADTS frames (some phone recorders)
	FormatPCM     Format = "pcm"  // raw s16le, output only
	FormatULaw    Format = "ulaw" // μ-law 8 kHz WAV, output only
)

// Sentinel errors returned by decoders and encoders. Callers test them with
// errors.Is; the wrapping error carries the detail.
var (
	ErrUnsupportedFormat = errors.New("audio: unsupported format")
	ErrCorrupt           = errors.New("audio: corrupt or truncated data")
	ErrTooLarge          = errors.New("audio: input too large")
	ErrEmpty             = errors.New("audio: no audio samples")
)

// PCM is decoded audio: interleaved float32 samples nominally in [-1, 1].
// Channels is 1 or more; len(Samples) is a multiple of Channels.
type PCM struct {
	Rate     int // samples per second per channel
	Channels int
	Samples  []float32
}

// Frames returns the number of sample frames (samples per channel).
func (p *PCM) Frames() int {
	if p == nil || p.Channels <= 0 {
		return 0
	}
	return len(p.Samples) / p.Channels
}

// Seconds returns the duration in seconds.
func (p *PCM) Seconds() float64 {
	if p == nil || p.Rate <= 0 {
		return 0
	}
	return float64(p.Frames()) / float64(p.Rate)
}

// Duration returns the duration as a time.Duration.
func (p *PCM) Duration() time.Duration {
	return time.Duration(p.Seconds() * float64(time.Second))
}

// Mono returns the channel average as a new mono PCM (or p itself when it is
// already mono). Preprocessing has a smarter downmix for phase-inverted
// channels; this is the plain one.
func (p *PCM) Mono() *PCM {
	if p.Channels == 1 {
		return p
	}
	n := p.Frames()
	out := make([]float32, n)
	inv := 1 / float32(p.Channels)
	for i := 0; i < n; i++ {
		var s float32
		for c := 0; c < p.Channels; c++ {
			s += p.Samples[i*p.Channels+c]
		}
		out[i] = s * inv
	}
	return &PCM{Rate: p.Rate, Channels: 1, Samples: out}
}
