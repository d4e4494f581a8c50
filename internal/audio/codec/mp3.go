package codec

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	mp3 "github.com/hajimehoshi/go-mp3"

	"github.com/voxclone/voxclone/internal/audio"
)

// decodeMP3 decodes with go-mp3, which always yields 16-bit stereo: mono
// files are folded back to one channel. The encoder delay and padding from
// a LAME/Xing tag are trimmed so the result has the original length.
func decodeMP3(data []byte) (p *audio.PCM, err error) {
	defer func() {
		// go-mp3 has panicked on crafted frames before; a bad upload must
		// be an error, not a crash.
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("mp3 decoder panic: %v: %w", r, audio.ErrCorrupt)
		}
	}()
	// Frames of junk are refused before any is decoded, and the scan's
	// sample count sizes the output exactly: a guess from the file size
	// would reserve the whole limit for every upload.
	pr, err := probeMP3(data)
	if err != nil {
		return nil, err
	}
	if pr.Samples >= MaxDecodedSamples {
		return nil, fmt.Errorf("about %.0f s of audio, more than %d samples: %w", pr.Seconds, MaxDecodedSamples, audio.ErrTooLarge)
	}
	// Hand go-mp3 the data from the first frame on: it would allocate
	// whatever size an ID3 tag header claims (up to 256 MB) to skip it.
	off := firstFrame(data)
	d, err := mp3.NewDecoder(bytes.NewReader(data[off:]))
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, audio.ErrCorrupt)
	}
	mono := mp3IsMono(data)
	out, err := readMP3(d, mono, int(pr.Samples)+4*1152)
	if err != nil {
		return nil, err
	}
	ch := 2
	if mono {
		ch = 1
	}
	out = trimGapless(out, ch, data)
	return &audio.PCM{Rate: d.SampleRate(), Channels: ch, Samples: out}, nil
}

// readMP3 reads go-mp3's 16-bit stereo output to the end, keeping the left
// channel only for mono files.
func readMP3(d *mp3.Decoder, mono bool, capacity int) ([]float32, error) {
	out := make([]float32, 0, capacity)
	buf := make([]byte, 4*4096)
	for {
		n, rerr := d.Read(buf)
		for i := 0; i+4 <= n; i += 4 {
			l := float32(int16(binary.LittleEndian.Uint16(buf[i:]))) / (1 << 15)
			r := float32(int16(binary.LittleEndian.Uint16(buf[i+2:]))) / (1 << 15)
			if mono {
				out = append(out, l)
			} else {
				out = append(out, l, r)
			}
		}
		if len(out) > MaxDecodedSamples {
			return nil, fmt.Errorf("more than %d samples: %w", MaxDecodedSamples, audio.ErrTooLarge)
		}
		if errors.Is(rerr, io.EOF) {
			return out, nil
		}
		if rerr != nil {
			if len(out) > 0 {
				return out, nil // a truncated tail: keep what decoded
			}
			return nil, fmt.Errorf("%v: %w", rerr, audio.ErrCorrupt)
		}
	}
}

// firstFrame returns the offset of the first MPEG frame, after any ID3v2 tag.
func firstFrame(data []byte) int {
	off := id3End(data)
	for off+4 <= len(data) {
		if _, ok := mp3FrameLen(data[off:]); ok {
			return off
		}
		off++
	}
	return -1
}

func mp3IsMono(data []byte) bool {
	off := firstFrame(data)
	return off >= 0 && data[off+3]>>6 == 3
}

// trimGapless removes the samples an encoder added, as recorded in the
// LAME tag of a Xing/Info frame: go-mp3 decodes that frame as 1152 samples
// of silence, then the encoder delay (plus the 529-sample decoder delay)
// precedes the audio and the padding follows it. Without a tag the samples
// are returned as they are.
func trimGapless(s []float32, ch int, data []byte) []float32 {
	off := firstFrame(data)
	if off < 0 {
		return s
	}
	f := data[off:]
	h := binary.BigEndian.Uint32(f)
	mpeg1, mono := (h>>19)&3 == 3, f[3]>>6 == 3
	side := map[[2]bool]int{{true, false}: 32, {true, true}: 17, {false, false}: 17, {false, true}: 9}[[2]bool{mpeg1, mono}]
	x := 4 + side
	if len(f) < x+8 || (string(f[x:x+4]) != "Xing" && string(f[x:x+4]) != "Info") {
		return s
	}
	flags := binary.BigEndian.Uint32(f[x+4:])
	pos := x + 8
	for bit, size := range []int{4, 4, 100, 4} {
		if flags&(1<<bit) != 0 {
			pos += size
		}
	}
	// LAME extension: 9-byte encoder string, then 12 bytes of fields, then
	// 12 bits of delay and 12 bits of padding.
	if len(f) < pos+24 {
		return s
	}
	g := f[pos+21:]
	delay, pad := int(g[0])<<4|int(g[1])>>4, int(g[1]&0x0F)<<8|int(g[2])
	samplesPerFrame := 1152
	if !mpeg1 {
		samplesPerFrame = 576
	}
	start := (samplesPerFrame + delay + 529) * ch
	end := len(s) - max(0, pad-529)*ch
	if start >= end || end > len(s) {
		return s
	}
	return s[start:end]
}

// decodeMPEG decodes MPEG-1 layer III with go-mp3 and the MPEG-2 and 2.5
// "low sampling frequency" kinds (8 to 24 kHz, what LAME writes at 32
// kbit/s and below) with ffmpeg: go-mp3 garbles those (its output
// correlates about 0.3 with ffmpeg's; hajimehoshi/go-mp3 issue 39). The
// frame scan runs first either way, so junk is refused as corrupt and an
// over-long file as too large before any decoder starts.
func (c *Codec) decodeMPEG(ctx context.Context, data []byte) (*audio.PCM, error) {
	if c.FFmpeg == nil || mp3IsMPEG1(data) {
		return decodeMP3(data)
	}
	pr, err := probeMP3(data)
	if err != nil {
		return nil, err
	}
	if pr.Samples >= MaxDecodedSamples {
		return nil, fmt.Errorf("about %.0f s of audio, more than %d samples: %w", pr.Seconds, MaxDecodedSamples, audio.ErrTooLarge)
	}
	return c.decodeFFmpeg(ctx, data[firstFrame(data):], audio.FormatMP3)
}

// mp3IsMPEG1 reports whether the first frame is MPEG version 1 (32, 44.1
// or 48 kHz); a file without frames counts as one, for go-mp3 to refuse.
func mp3IsMPEG1(data []byte) bool {
	off := firstFrame(data)
	return off < 0 || (binary.BigEndian.Uint32(data[off:])>>19)&3 == 3
}

// id3End returns the offset past the ID3v2 tags data starts with (0 when
// none), which may lie past the end of data.
func id3End(data []byte) int {
	off := 0
	for len(data)-off >= 10 && string(data[off:off+3]) == "ID3" {
		h := data[off:]
		size := int(h[6]&0x7f)<<21 | int(h[7]&0x7f)<<14 | int(h[8]&0x7f)<<7 | int(h[9]&0x7f)
		off += 10 + size
		if h[5]&0x10 != 0 {
			off += 10
		}
	}
	return off
}
