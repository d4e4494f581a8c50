package codec

import (
	"bytes"
	"encoding/binary"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// HeadBytes is how much of a file ProbeHead wants: enough for a WAV's
// header chunks or an MP3's first frames behind a small tag.
const HeadBytes = 64 << 10

// mp3MaxByteRate is the most a second of MP3 audio takes: 320 kbit/s, the
// highest bitrate of a layer III frame (free format is not read).
const mp3MaxByteRate = 320_000 / 8

// mp3TagSlack is what an MP3 may carry after its frames without counting
// as audio (ID3v1, APE and Lyrics tags, a trailing ID3v2 tag).
const mp3TagSlack = 1 << 20

// HeadLength is what the first bytes of a file tell of its audio's
// length before the rest is read: with the file's size, a bound below
// which the length cannot be, so that a reader can refuse a file too long
// without reading it whole.
type HeadLength struct {
	Format audio.Format
	// Header is the bytes before the audio: a WAV's chunks up to its
	// data, an MP3's leading ID3v2 tags.
	Header int64
	// ByteRate is the most bytes one second of the audio takes: exact for
	// WAV, 320 kbit/s for MP3. 0 when the head does not tell (other
	// containers, or a head that ends before the audio starts).
	ByteRate float64
	// DataBytes is the size a WAV's data chunk declares, -1 when unknown.
	DataBytes int64
	// Seconds is the length the head declares whatever the size: a FLAC
	// STREAMINFO's total samples over its rate. 0 when it does not say
	// (other formats, or a FLAC encoder that left the total unknown).
	Seconds float64
	// Rate and Channels are the audio's, 0 when the head does not say.
	Rate, Channels int
}

// ProbeHead reads head, the first bytes of a file (HeadBytes, or all of a
// shorter file).
func ProbeHead(head []byte) HeadLength {
	h := HeadLength{Format: Sniff(head[:min(len(head), 1<<16)]), DataBytes: -1}
	switch h.Format {
	case audio.FormatWAV:
		r := bytes.NewReader(head)
		d, err := wav.NewDecoder(r)
		if err != nil {
			return h
		}
		wh := d.Header()
		h.Header = int64(len(head) - r.Len())
		h.ByteRate = float64(wh.Rate * wh.Channels * wh.BitsPerSample / 8)
		h.DataBytes = wh.DataBytes
		h.Rate, h.Channels = wh.Rate, wh.Channels
	case audio.FormatMP3:
		off := firstFrame(head)
		if off < 0 {
			return h // the frames start past the head: nothing is known
		}
		h.Header, h.ByteRate = int64(off), mp3MaxByteRate
		_, h.Rate, h.Channels = mp3FrameShape(binary.BigEndian.Uint32(head[off:]))
	case audio.FormatFLAC:
		h.Seconds, h.Rate, h.Channels = flacStreamInfo(head)
	}
	return h
}

// flacStreamInfo reads the STREAMINFO block, which the format puts first
// after "fLaC" (behind any ID3v2 tag): the length its 36-bit total samples
// per channel make at its 20-bit rate, and its channels. The length is 0
// when the total is unknown (0, as a streaming encoder leaves it); all
// are 0 when the block is not there.
func flacStreamInfo(head []byte) (sec float64, rate, channels int) {
	off := id3End(head)
	if len(head)-off < 8+18 || string(head[off:off+4]) != "fLaC" || head[off+4]&0x7f != 0 {
		return 0, 0, 0
	}
	// After its 4-byte block header, STREAMINFO holds block sizes (4
	// bytes), frame sizes (6), then rate (20 bits), channels − 1 (3), bits
	// − 1 (5) and total samples (36) in 8 bytes.
	v := binary.BigEndian.Uint64(head[off+8+10:])
	r, total := v>>44, v&(1<<36-1)
	if r == 0 {
		return 0, 0, 0
	}
	return float64(total) / float64(r), int(r), int(v>>41&7) + 1
}

// MinSeconds is the least length of the audio of a file of size bytes
// (the whole file, or as much as has been read so far) with this head, 0
// when the head does not tell. Bytes that may not be audio are left out:
// a WAV's chunks after its declared data, an MP3's trailing tags.
func (h HeadLength) MinSeconds(size int64) float64 {
	if h.ByteRate <= 0 || size < 0 {
		return h.Seconds
	}
	n := size - h.Header
	switch h.Format {
	case audio.FormatWAV:
		if h.DataBytes >= 0 {
			n = min(n, h.DataBytes)
		}
	case audio.FormatMP3:
		n -= mp3TagSlack
	}
	return max(float64(n), 0) / h.ByteRate
}

// MinSamples is the least number of samples, all channels together, that
// decoding a file of size bytes with this head yields: MinSeconds at the
// head's rate and channels, 0 when the head does not say them.
func (h HeadLength) MinSamples(size int64) float64 {
	return h.MinSeconds(size) * float64(h.Rate*h.Channels)
}
