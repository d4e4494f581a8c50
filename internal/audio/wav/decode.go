// Package wav reads and writes RIFF/WAVE audio over io.Reader and io.Writer.
//
// The decoder accepts 8/16/24/32-bit integer PCM, 32/64-bit float, μ-law and
// A-law, plain or WAVE_FORMAT_EXTENSIBLE, at any rate and channel count. It
// trusts the stream, not the header: sizes a header claims are never
// allocated up front, and a data chunk whose size is missing (0 or
// 0xFFFFFFFF, as streaming writers leave it) or larger than the stream is
// read to the end. The encoder writes 16-bit PCM, 32-bit float or μ-law.
package wav

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// WAVE format tags (mmreg.h).
const (
	tagPCM        = 0x0001
	tagFloat      = 0x0003
	tagALaw       = 0x0006
	tagMuLaw      = 0x0007
	tagExtensible = 0xFFFE
)

// Limits on what a header may claim; beyond them the file is not audio we
// can use, and accepting it would only invite huge or absurd allocations.
const (
	maxChannels = 16
	maxRate     = 768000
	maxFmtChunk = 1 << 10
)

// Header describes the sample layout found in a file's fmt chunk.
type Header struct {
	Rate          int
	Channels      int
	BitsPerSample int    // container bits per sample: 8, 16, 24, 32 or 64
	Tag           uint16 // format tag, with WAVE_FORMAT_EXTENSIBLE resolved to its subformat
	// DataBytes is the data chunk size the header declares, or -1 when it is
	// unknown (streaming writers) and the data runs to the end of the stream.
	DataBytes int64
}

// Decoder reads samples from a WAV stream. Create it with NewDecoder, which
// consumes the header; Read then yields interleaved float32 samples.
type Decoder struct {
	r         io.Reader
	h         Header
	remaining int64 // data bytes left, or -1 when reading to EOF
	bps       int   // bytes per sample
	buf       []byte
	convert   func(dst []float32, src []byte)
}

// NewDecoder parses the RIFF header and the chunks up to the data chunk.
// Errors wrap audio.ErrUnsupportedFormat (not WAV, or an encoding it does not
// know) or audio.ErrCorrupt (a malformed header).
func NewDecoder(r io.Reader) (*Decoder, error) {
	var riff [12]byte
	if _, err := io.ReadFull(r, riff[:]); err != nil {
		return nil, fmt.Errorf("wav: reading RIFF header: %w", audio.ErrCorrupt)
	}
	if string(riff[0:4]) != "RIFF" || string(riff[8:12]) != "WAVE" {
		return nil, fmt.Errorf("wav: no RIFF/WAVE signature: %w", audio.ErrUnsupportedFormat)
	}
	d := &Decoder{r: r}
	haveFmt := false
	for {
		var ch [8]byte
		if _, err := io.ReadFull(r, ch[:]); err != nil {
			return nil, fmt.Errorf("wav: no data chunk: %w", audio.ErrCorrupt)
		}
		id, size := string(ch[0:4]), int64(binary.LittleEndian.Uint32(ch[4:8]))
		switch id {
		case "fmt ":
			if err := d.readFmt(size); err != nil {
				return nil, err
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return nil, fmt.Errorf("wav: data chunk before fmt chunk: %w", audio.ErrCorrupt)
			}
			d.h.DataBytes, d.remaining = size, size
			if size == 0 || size == 0xFFFFFFFF {
				d.h.DataBytes, d.remaining = -1, -1
			}
			return d, nil
		default:
			// Skip without allocating: a chunk claiming 4 GB costs only the
			// bytes actually present.
			if _, err := io.CopyN(io.Discard, r, size+size&1); err != nil {
				return nil, fmt.Errorf("wav: skipping %q chunk: %w", id, audio.ErrCorrupt)
			}
		}
	}
}

func (d *Decoder) readFmt(size int64) error {
	if size < 16 || size > maxFmtChunk {
		return fmt.Errorf("wav: fmt chunk of %d bytes: %w", size, audio.ErrCorrupt)
	}
	b := make([]byte, size+size&1)
	if _, err := io.ReadFull(d.r, b); err != nil {
		return fmt.Errorf("wav: reading fmt chunk: %w", audio.ErrCorrupt)
	}
	tag := binary.LittleEndian.Uint16(b[0:2])
	channels := int(binary.LittleEndian.Uint16(b[2:4]))
	rate := int(binary.LittleEndian.Uint32(b[4:8]))
	blockAlign := int(binary.LittleEndian.Uint16(b[12:14]))
	bits := int(binary.LittleEndian.Uint16(b[14:16]))
	if tag == tagExtensible {
		// cbSize(2) validBits(2) channelMask(4) then the subformat GUID, whose
		// first two bytes are the real format tag.
		if size < 40 {
			return fmt.Errorf("wav: short WAVE_FORMAT_EXTENSIBLE: %w", audio.ErrCorrupt)
		}
		tag = binary.LittleEndian.Uint16(b[24:26])
	}
	if channels < 1 || channels > maxChannels || rate < 1 || rate > maxRate {
		return fmt.Errorf("wav: %d channels at %d Hz: %w", channels, rate, audio.ErrCorrupt)
	}
	if blockAlign == 0 || blockAlign%channels != 0 {
		return fmt.Errorf("wav: block align %d for %d channels: %w", blockAlign, channels, audio.ErrCorrupt)
	}
	// The container size comes from the block alignment, which is what the
	// bytes are laid out by; bits per sample may be the valid bits only.
	bps := blockAlign / channels
	conv, err := converter(tag, bps, bits)
	if err != nil {
		return err
	}
	d.h = Header{Rate: rate, Channels: channels, BitsPerSample: bps * 8, Tag: tag}
	d.bps, d.convert = bps, conv
	return nil
}

func converter(tag uint16, bps, bits int) (func([]float32, []byte), error) {
	switch {
	case tag == tagPCM && bps == 1:
		return fromU8, nil
	case tag == tagPCM && bps == 2:
		return fromS16, nil
	case tag == tagPCM && bps == 3:
		return fromS24, nil
	case tag == tagPCM && bps == 4:
		return fromS32, nil
	case tag == tagFloat && bps == 4:
		return fromF32, nil
	case tag == tagFloat && bps == 8:
		return fromF64, nil
	case tag == tagMuLaw && bps == 1:
		return fromMuLaw, nil
	case tag == tagALaw && bps == 1:
		return fromALaw, nil
	}
	return nil, fmt.Errorf("wav: format tag %#x with %d-bit samples (supported: PCM 8/16/24/32-bit, float 32/64-bit, μ-law, A-law): %w",
		tag, bits, audio.ErrUnsupportedFormat)
}

// Header returns the layout parsed from the fmt chunk.
func (d *Decoder) Header() Header { return d.h }

// Read decodes up to len(dst) samples (rounded down to whole frames) into
// dst, interleaved. It returns io.EOF once the data is exhausted; a trailing
// partial frame is dropped.
func (d *Decoder) Read(dst []float32) (int, error) {
	frame := d.bps * d.h.Channels
	n := len(dst) / d.h.Channels * frame
	if d.remaining >= 0 && int64(n) > d.remaining {
		n = int(d.remaining) / frame * frame
	}
	if n == 0 {
		return 0, io.EOF
	}
	if cap(d.buf) < n {
		d.buf = make([]byte, n)
	}
	got, err := io.ReadFull(d.r, d.buf[:n])
	got = got / frame * frame
	if d.remaining >= 0 {
		d.remaining -= int64(got)
	}
	d.convert(dst[:got/d.bps], d.buf[:got])
	if err != nil {
		// A short data chunk is common in recordings cut off mid-write; the
		// samples present are still good.
		d.remaining = 0
		if got == 0 {
			return 0, io.EOF
		}
	}
	return got / d.bps, nil
}

// Decode reads a whole WAV stream. maxSamples > 0 bounds the number of
// samples (all channels) it will hold; a longer stream fails with
// audio.ErrTooLarge. Memory grows with the samples actually read, never with
// what the header claims.
func Decode(r io.Reader, maxSamples int) (*audio.PCM, error) {
	d, err := NewDecoder(r)
	if err != nil {
		return nil, err
	}
	initial := 1 << 16
	if d.h.DataBytes > 0 && d.h.DataBytes/int64(d.bps) < int64(initial) {
		initial = int(d.h.DataBytes / int64(d.bps))
	}
	return d.readAll(make([]float32, 0, initial), maxSamples)
}

// DecodeBytes decodes a WAV file held in memory. It sizes its output from
// the bytes present, so it allocates once, at most 4 bytes of float32 per
// input sample byte for 8-bit audio and 2 for 16-bit.
func DecodeBytes(b []byte, maxSamples int) (*audio.PCM, error) {
	r := &countingReader{b: b}
	d, err := NewDecoder(r)
	if err != nil {
		return nil, err
	}
	avail := int64(len(b) - r.off)
	if d.h.DataBytes >= 0 && d.h.DataBytes < avail {
		avail = d.h.DataBytes
	}
	n := int(avail) / d.bps / d.h.Channels * d.h.Channels
	if maxSamples > 0 && n > maxSamples {
		return nil, fmt.Errorf("wav: %d samples exceed the limit of %d: %w", n, maxSamples, audio.ErrTooLarge)
	}
	return d.readAll(make([]float32, 0, n), maxSamples)
}

func (d *Decoder) readAll(out []float32, maxSamples int) (*audio.PCM, error) {
	chunk := 8192 * d.h.Channels
	for {
		if cap(out)-len(out) < d.h.Channels && d.remaining == 0 {
			break
		}
		if cap(out)-len(out) < d.h.Channels {
			// Full: grow (append doubles). Callers that know the size, like
			// DecodeBytes, preallocate exactly and never get here.
			if maxSamples > 0 && len(out) >= maxSamples {
				return nil, fmt.Errorf("wav: more than %d samples: %w", maxSamples, audio.ErrTooLarge)
			}
			// Grow by doubling, but never past the limit.
			c := max(2*cap(out), chunk)
			if maxSamples > 0 {
				c = min(c, maxSamples+d.h.Channels)
			}
			grown := make([]float32, len(out), c)
			copy(grown, out)
			out = grown
		}
		room := min(chunk, cap(out)-len(out))
		n, err := d.Read(out[len(out) : len(out)+room])
		out = out[:len(out)+n]
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("wav: %w", err)
		}
	}
	if maxSamples > 0 && len(out) > maxSamples {
		return nil, fmt.Errorf("wav: more than %d samples: %w", maxSamples, audio.ErrTooLarge)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("wav: %w", audio.ErrEmpty)
	}
	return &audio.PCM{Rate: d.h.Rate, Channels: d.h.Channels, Samples: out}, nil
}

// countingReader is a bytes.Reader that tells how far the header went.
type countingReader struct {
	b   []byte
	off int
}

func (r *countingReader) Read(p []byte) (int, error) {
	if r.off >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.off:])
	r.off += n
	return n, nil
}

func fromU8(dst []float32, src []byte) {
	for i := range dst {
		dst[i] = (float32(src[i]) - 128) / 128
	}
}

func fromS16(dst []float32, src []byte) {
	src = src[:2*len(dst)]
	for i := range dst {
		dst[i] = float32(int16(binary.LittleEndian.Uint16(src[2*i:]))) / (1 << 15)
	}
}

func fromS24(dst []float32, src []byte) {
	src = src[:3*len(dst)]
	for i := range dst {
		v := int32(uint32(src[3*i])<<8|uint32(src[3*i+1])<<16|uint32(src[3*i+2])<<24) >> 8
		dst[i] = float32(v) / (1 << 23)
	}
}

func fromS32(dst []float32, src []byte) {
	src = src[:4*len(dst)]
	for i := range dst {
		dst[i] = float32(int32(binary.LittleEndian.Uint32(src[4*i:]))) / (1 << 31)
	}
}

func fromF32(dst []float32, src []byte) {
	src = src[:4*len(dst)]
	for i := range dst {
		dst[i] = finite(float64(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))))
	}
}

func fromF64(dst []float32, src []byte) {
	src = src[:8*len(dst)]
	for i := range dst {
		dst[i] = finite(math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:])))
	}
}

// finite maps NaN and infinities to silence and clamps absurd values, so a
// hostile float file cannot poison every filter downstream.
func finite(v float64) float32 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return float32(math.Max(-64, math.Min(64, v)))
}
