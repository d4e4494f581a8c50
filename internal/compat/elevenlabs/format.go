package elevenlabs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
	"github.com/voxclone/voxclone/internal/compat"
)

// DefaultOutputFormat is ElevenLabs' default output_format.
const DefaultOutputFormat = "mp3_44100_128"

// outputFormat is one output_format value: the voxclone format that
// encodes it, at what rate and bit rate.
type outputFormat struct {
	Name    string
	Service string // voxclone's format name
	Rate    int
	Bitrate int // kbit/s; 0 for uncompressed formats
	// RawULaw strips the WAV header off voxclone's μ-law WAV: ElevenLabs'
	// ulaw_8000 is bare μ-law bytes.
	RawULaw bool
}

// outputFormats holds every output_format voxclone writes, keyed by name.
var outputFormats = func() map[string]outputFormat {
	m := map[string]outputFormat{"ulaw_8000": {Name: "ulaw_8000", Service: "ulaw", Rate: 8000, RawULaw: true}}
	add := func(codec string, rate int, bitrates ...int) {
		if len(bitrates) == 0 {
			name := codec + "_" + strconv.Itoa(rate)
			m[name] = outputFormat{Name: name, Service: codec, Rate: rate}
		}
		for _, b := range bitrates {
			name := codec + "_" + strconv.Itoa(rate) + "_" + strconv.Itoa(b)
			m[name] = outputFormat{Name: name, Service: codec, Rate: rate, Bitrate: b}
		}
	}
	add("mp3", 22050, 32)
	add("mp3", 24000, 48)
	add("mp3", 44100, 32, 64, 96, 128, 192)
	add("opus", 48000, 32, 64, 96, 128, 192)
	for _, rate := range []int{8000, 16000, 22050, 24000, 32000, 44100, 48000} {
		add("pcm", rate)
		add("wav", rate)
	}
	return m
}()

// OutputFormats lists the output_format values voxclone accepts, sorted.
func OutputFormats() []string {
	names := make([]string, 0, len(outputFormats))
	for n := range outputFormats {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// parseOutputFormat reads the output_format query parameter.
func parseOutputFormat(name string) (outputFormat, error) {
	if name == "" {
		name = DefaultOutputFormat
	}
	if f, ok := outputFormats[name]; ok {
		return f, nil
	}
	hint := "mp3_22050_32 … mp3_44100_192, opus_48000_32 … opus_48000_192, pcm_8000 … pcm_48000, wav_8000 … wav_48000 or ulaw_8000"
	if strings.HasPrefix(name, "alaw_") {
		hint = "A-law is not available; " + hint
	}
	return outputFormat{}, compat.WithReason(compat.ReasonBadFormat, compat.Fieldf("output_format", app.EInvalid,
		"Unsupported output_format %q: use %s.", compat.Clip(name, 40), hint))
}

// contentType is the MIME type of the audio in format f.
func (f outputFormat) contentType() string {
	switch f.Service {
	case "mp3":
		return "audio/mpeg"
	case "opus":
		return "audio/ogg; codecs=opus"
	case "wav":
		return "audio/wav"
	case "ulaw":
		return "audio/basic" // RFC 2046's 8 kHz μ-law
	}
	return "application/octet-stream"
}

// wavBody passes on only the sample bytes of a WAV stream: it reads the
// RIFF header and chunks up to "data", then copies the rest as written.
// It turns voxclone's μ-law WAV into ElevenLabs' bare ulaw_8000.
type wavBody struct {
	w      io.Writer
	header []byte // bytes held until the data chunk starts
	inData bool
}

// maxWAVHeader bounds the bytes held looking for the data chunk.
const maxWAVHeader = 4 << 10

var errBadWAV = errors.New("elevenlabs: malformed WAV header")

func (b *wavBody) Write(p []byte) (int, error) {
	if b.inData {
		return b.w.Write(p)
	}
	b.header = append(b.header, p...)
	start, ok, err := dataOffset(b.header)
	if err != nil {
		return 0, err
	}
	if !ok {
		if len(b.header) > maxWAVHeader {
			return 0, errBadWAV
		}
		return len(p), nil
	}
	b.inData = true
	rest := b.header[start:]
	b.header = nil
	if _, err := b.w.Write(rest); err != nil {
		return 0, err
	}
	return len(p), nil
}

// dataOffset finds where the samples of a WAV file start; ok is false
// while more header bytes are needed.
func dataOffset(h []byte) (int, bool, error) {
	if len(h) < 12 {
		return 0, false, nil
	}
	if !bytes.Equal(h[:4], []byte("RIFF")) || !bytes.Equal(h[8:12], []byte("WAVE")) {
		return 0, false, errBadWAV
	}
	for off := 12; off+8 <= len(h); {
		id, size := string(h[off:off+4]), binary.LittleEndian.Uint32(h[off+4:off+8])
		if id == "data" {
			return off + 8, true, nil
		}
		if size > maxWAVHeader {
			return 0, false, errBadWAV
		}
		off += 8 + int(size) + int(size&1)
	}
	return 0, false, nil
}
