package codec

import (
	"bytes"

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
	case audio.FormatMP3:
		off := firstFrame(head)
		if off < 0 {
			return h // the frames start past the head: nothing is known
		}
		h.Header, h.ByteRate = int64(off), mp3MaxByteRate
	}
	return h
}

// MinSeconds is the least length of the audio of a file of size bytes
// (the whole file, or as much as has been read so far) with this head, 0
// when the head does not tell. Bytes that may not be audio are left out:
// a WAV's chunks after its declared data, an MP3's trailing tags.
func (h HeadLength) MinSeconds(size int64) float64 {
	if h.ByteRate <= 0 || size < 0 {
		return 0
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
