package wav

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// Encoding is a sample encoding the encoder writes.
type Encoding int

// Encodings the encoder writes.
const (
	PCM16   Encoding = iota // 16-bit signed integer PCM, rounded, clipped to full scale
	Float32                 // 32-bit IEEE float, samples unchanged
	MuLaw                   // 8-bit G.711 μ-law (telephony; usually at 8 kHz)
)

func (e Encoding) layout() (tag uint16, bytesPerSample int) {
	switch e {
	case Float32:
		return tagFloat, 4
	case MuLaw:
		return tagMuLaw, 1
	}
	return tagPCM, 2
}

// Encoder writes a WAV stream sample block by sample block.
type Encoder struct {
	w       io.Writer
	enc     Encoding
	buf     []byte
	ch      int
	written int64 // data bytes
	// unsized streams have no length in the header, so a reader takes
	// every byte to the end as audio: a pad byte would be one more sample.
	unsized bool
}

// NewEncoder writes the header for frames sample frames of channels
// channels at rate Hz. Pass frames < 0 when the length is unknown: the sizes
// are then written as 0xFFFFFFFF, which readers (this one, ffmpeg, sox)
// take as "until end of stream".
func NewEncoder(w io.Writer, rate, channels int, enc Encoding, frames int) (*Encoder, error) {
	if rate < 1 || rate > maxRate || channels < 1 || channels > maxChannels {
		return nil, fmt.Errorf("wav: cannot encode %d channels at %d Hz", channels, rate)
	}
	tag, bps := enc.layout()
	dataBytes := uint32(0xFFFFFFFF)
	if frames >= 0 {
		n := int64(frames) * int64(channels*bps)
		if n > math.MaxUint32-64 {
			return nil, fmt.Errorf("wav: %d frames exceed the 4 GB WAV limit: %w", frames, audio.ErrTooLarge)
		}
		dataBytes = uint32(n)
	}
	h := header(tag, rate, channels, bps, dataBytes, frames)
	if _, err := w.Write(h); err != nil {
		return nil, fmt.Errorf("wav: writing header: %w", err)
	}
	return &Encoder{w: w, enc: enc, ch: channels, unsized: frames < 0}, nil
}

// header builds RIFF, fmt and (for non-PCM encodings, which the spec asks
// to carry one) fact chunks, followed by the data chunk header.
func header(tag uint16, rate, channels, bps int, dataBytes uint32, frames int) []byte {
	le := binary.LittleEndian
	fmtSize, fact := 16, tag != tagPCM
	if fact {
		fmtSize = 18 // cbSize present, zero
	}
	size := 12 + 8 + fmtSize + 8
	if fact {
		size += 12
	}
	b := make([]byte, 0, size)
	riffSize := uint32(0xFFFFFFFF)
	if dataBytes != 0xFFFFFFFF {
		riffSize = uint32(size-8) + dataBytes + dataBytes&1
	}
	b = append(b, "RIFF"...)
	b = le.AppendUint32(b, riffSize)
	b = append(b, "WAVEfmt "...)
	b = le.AppendUint32(b, uint32(fmtSize))
	b = le.AppendUint16(b, tag)
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	b = le.AppendUint32(b, uint32(rate*channels*bps))
	b = le.AppendUint16(b, uint16(channels*bps))
	b = le.AppendUint16(b, uint16(8*bps))
	if fact {
		b = le.AppendUint16(b, 0)
		b = append(b, "fact"...)
		b = le.AppendUint32(b, 4)
		b = le.AppendUint32(b, uint32(max(frames, 0)))
	}
	b = append(b, "data"...)
	return le.AppendUint32(b, dataBytes)
}

// Write encodes interleaved samples; len(samples) must be a multiple of the
// channel count.
func (e *Encoder) Write(samples []float32) error {
	if len(samples)%e.ch != 0 {
		panic("wav: Write with a partial frame")
	}
	_, bps := e.enc.layout()
	const block = 8192
	for len(samples) > 0 {
		n := min(len(samples), block)
		if cap(e.buf) < n*bps {
			e.buf = make([]byte, block*bps)
		}
		b := e.buf[:n*bps]
		e.enc.put(b, samples[:n])
		if _, err := e.w.Write(b); err != nil {
			return fmt.Errorf("wav: writing samples: %w", err)
		}
		e.written += int64(len(b))
		samples = samples[n:]
	}
	return nil
}

// Close pads the data chunk to an even length, as RIFF requires, unless
// the header left the length unknown. It does not close the underlying
// writer.
func (e *Encoder) Close() error {
	if e.written%2 == 1 && !e.unsized {
		if _, err := e.w.Write([]byte{0}); err != nil {
			return fmt.Errorf("wav: padding: %w", err)
		}
	}
	return nil
}

func (e Encoding) put(b []byte, s []float32) {
	switch e {
	case Float32:
		for i, v := range s {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
	case MuLaw:
		for i, v := range s {
			b[i] = linearToMuLaw(toS16(v))
		}
	default:
		for i, v := range s {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(toS16(v)))
		}
	}
}

// toS16 rounds to 16 bits and clips; NaN becomes 0.
func toS16(v float32) int32 {
	f := float64(v) * (1 << 15)
	switch {
	case f >= 32767:
		return 32767
	case f <= -32768:
		return -32768
	case f != f:
		return 0
	}
	return int32(math.Round(f))
}

// Encode writes p as a complete WAV file.
func Encode(w io.Writer, p *audio.PCM, enc Encoding) error {
	if p == nil || p.Channels < 1 || len(p.Samples)%p.Channels != 0 {
		return fmt.Errorf("wav: malformed PCM")
	}
	e, err := NewEncoder(w, p.Rate, p.Channels, enc, p.Frames())
	if err != nil {
		return err
	}
	if err := e.Write(p.Samples); err != nil {
		return err
	}
	return e.Close()
}

// NewBodyEncoder returns an encoder that writes samples with no header: raw
// s16le for PCM16, raw μ-law bytes for MuLaw.
func NewBodyEncoder(w io.Writer, channels int, enc Encoding) *Encoder {
	return &Encoder{w: w, enc: enc, ch: max(1, channels), unsized: true}
}

// Quantize16 converts a float sample to 16-bit PCM the way the encoder
// does: rounded, clipped to full scale, NaN as 0.
func Quantize16(v float32) int16 { return int16(toS16(v)) }
