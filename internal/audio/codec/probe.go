package codec

import (
	"encoding/binary"
	"fmt"

	"github.com/voxclone/voxclone/internal/audio"
)

// Probe is what a cheap look at an encoded file tells before it is
// decoded: enough to refuse it, or to reserve the memory decoding takes.
type Probe struct {
	Format audio.Format
	// Seconds is the audio's length, 0 when the container does not say
	// without decoding.
	Seconds float64
	// Samples bounds the float32 samples (all channels together) decoding
	// yields: exact for MP3, else a safe upper bound, MaxDecodedSamples at
	// most.
	Samples int64
}

// DecodedBytes is the memory Decode's output takes, at most.
func (p Probe) DecodedBytes() int64 { return 4 * p.Samples }

// ProbeBytes looks at a whole file without decoding its audio. Errors wrap
// audio.ErrUnsupportedFormat (not an audio file Decode reads) or
// audio.ErrCorrupt (MPEG frames whose headers are valid but whose Layer
// III side information is junk, as in a file made of random bytes behind
// frame headers: decoding it would only yield noise, at full memory cost).
// An MP3 scan reads every frame header, about a millisecond per MB.
func ProbeBytes(data []byte) (Probe, error) {
	f := Sniff(data[:min(len(data), 1<<16)])
	p := Probe{Format: f, Samples: min(int64(len(data)), MaxDecodedSamples)}
	switch f {
	case audio.FormatUnknown:
		return p, fmt.Errorf("codec: not a recognised audio file (supported: %s): %w", supported, audio.ErrUnsupportedFormat)
	case audio.FormatMP3:
		return probeMP3(data)
	case audio.FormatWAV:
		// At least one byte per sample (8-bit and μ-law): the size bounds it.
	default:
		// Compressed: a few kB can expand to the limit.
		p.Samples = MaxDecodedSamples
	}
	return p, nil
}

// probeMP3 walks the frames, counting their samples and checking each
// one's side information as a decoder would read it.
func probeMP3(data []byte) (Probe, error) {
	p := Probe{Format: audio.FormatMP3}
	off := firstFrame(data)
	if off < 0 {
		return p, fmt.Errorf("codec: no MPEG audio frame: %w", audio.ErrCorrupt)
	}
	var frames, bad, channels int
	var perChannel int64
	for off+4 <= len(data) {
		n, ok := mp3FrameLen(data[off:])
		if !ok {
			off++ // junk between frames, or a trailing tag: go-mp3 resyncs too
			continue
		}
		h := binary.BigEndian.Uint32(data[off:])
		spf, rate, ch := mp3FrameShape(h)
		frames++
		perChannel += int64(spf)
		p.Seconds += float64(spf) / float64(rate)
		channels = max(channels, ch)
		if !sideInfoValid(data[off:min(off+n, len(data))], h) {
			bad++
		}
		off += n
	}
	if bad >= 3 && bad*10 > frames {
		return p, fmt.Errorf("codec: %d of %d MPEG frames carry no valid layer III data: %w", bad, frames, audio.ErrCorrupt)
	}
	// go-mp3 decodes to stereo and the mono channel is kept alone.
	p.Samples = min(perChannel*int64(channels), MaxDecodedSamples)
	return p, nil
}

// mp3FrameShape returns a Layer III frame's samples per channel, its
// sample rate and channel count.
func mp3FrameShape(h uint32) (spf, rate, channels int) {
	version := (h >> 19) & 3
	rate = [3]int{44100, 48000, 32000}[(h>>10)&3]
	spf = 1152
	switch version {
	case 2: // MPEG-2
		rate, spf = rate/2, 576
	case 0: // MPEG-2.5
		rate, spf = rate/4, 576
	}
	channels = 2
	if (h>>6)&3 == 3 {
		channels = 1
	}
	return spf, rate, channels
}

// sideInfoValid checks what no encoder writes but random bytes often hold:
// more than 288 big values, a window switch to block type 0, or Huffman
// data longer than the frame and the bit reservoir together.
func sideInfoValid(frame []byte, h uint32) bool {
	mpeg1, mono := (h>>19)&3 == 3, (h>>6)&3 == 3
	pos := 4
	if (h>>16)&1 == 0 {
		pos += 2 // CRC
	}
	side := map[[2]bool]int{{true, false}: 32, {true, true}: 17, {false, false}: 17, {false, true}: 9}[[2]bool{mpeg1, mono}]
	if len(frame) < pos+side {
		return false
	}
	b := bitReader{buf: frame[pos : pos+side]}
	nch, granules := 2, 1
	if mono {
		nch = 1
	}
	if mpeg1 {
		granules = 2
	}
	var reservoir int
	if mpeg1 {
		reservoir = b.read(9)
		b.read(map[bool]int{true: 5, false: 3}[mono] + 4*nch) // private bits, scfsi
	} else {
		reservoir = b.read(8)
		b.read(map[bool]int{true: 1, false: 2}[mono])
	}
	huffBits := 0
	for range granules * nch {
		part23, bigValues := b.read(12), b.read(9)
		b.read(8) // global gain
		b.read(map[bool]int{true: 4, false: 9}[mpeg1])
		if b.read(1) == 1 { // window switching
			if b.read(2) == 0 {
				return false
			}
			b.read(1 + 2*5 + 3*3)
		} else {
			b.read(3*5 + 4 + 3)
		}
		if mpeg1 {
			b.read(1) // preflag
		}
		b.read(2)
		if bigValues > 288 {
			return false
		}
		huffBits += part23
	}
	return huffBits <= 8*(reservoir+len(frame)-pos-side)
}

// bitReader reads big-endian bit fields; past the end it reads zeros.
type bitReader struct {
	buf []byte
	pos int
}

func (r *bitReader) read(n int) int {
	v := 0
	for range n {
		bit := 0
		if i := r.pos >> 3; i < len(r.buf) {
			bit = int(r.buf[i]>>(7-r.pos&7)) & 1
		}
		v = v<<1 | bit
		r.pos++
	}
	return v
}
