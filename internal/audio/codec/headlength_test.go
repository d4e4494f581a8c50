package codec

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// wavHead is a 16-bit WAV header (rate, channels) declaring data bytes
// (0xFFFFFFFF: unknown, as streaming writers leave it).
func wavHead(rate, channels int, data uint32) []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	le(uint32(0xFFFFFFFF))
	b.WriteString("WAVEfmt ")
	le(uint32(16))
	le(uint16(1))
	le(uint16(channels))
	le(uint32(rate))
	le(uint32(2 * rate * channels))
	le(uint16(2 * channels))
	le(uint16(16))
	b.WriteString("data")
	le(data)
	return b.Bytes()
}

// mp3Frames is n MPEG-1 layer III frames at 128 kbit/s, 44.1 kHz, of
// silence-like zeros: what Sniff and the frame walk recognise.
func mp3Frames(n int) []byte {
	frame := make([]byte, 417)
	copy(frame, []byte{0xFF, 0xFB, 0x90, 0x64})
	return bytes.Repeat(frame, n)
}

// TestProbeHead: the head of a WAV gives its byte rate and declared data;
// an MP3's gives 320 kbit/s past its ID3 tag; MinSeconds bounds the length
// from a size without counting a WAV's trailing chunks or an MP3's tags;
// containers that do not say give 0.
func TestProbeHead(t *testing.T) {
	id3 := append([]byte("ID3\x04\x00\x00\x00\x00\x08\x00"), make([]byte, 1024)...) // a 1,024-byte tag
	for _, c := range []struct {
		name string
		head []byte
		size int64
		want float64
	}{
		{"WAVDeclared", wavHead(16000, 1, 32000*400), 44 + 32000*400 + 5<<20, 400}, // a 5-MB chunk after the data
		{"WAVDeclaredShort", wavHead(16000, 1, 32000*10), 44 + 32000*400, 10},
		{"WAVStreamed", wavHead(8000, 2, 0xFFFFFFFF), 44 + 32000*361, 361},
		{"WAVUnknownSize", wavHead(8000, 1, 0xFFFFFFFF), -1, 0},
		{"MP3", mp3Frames(10), 40000*400 + 1<<20, 400},
		{"MP3Tagged", append(append([]byte{}, id3...), mp3Frames(10)...), int64(len(id3)) + 40000*100 + 1<<20, 100},
		{"MP3TagsOnly", mp3Frames(2), 1 << 19, 0},
		{"FLACDeclared", flacHead(44100, 44100*400), 1 << 10, 400},
		{"FLACTagged", append(append([]byte{}, id3...), flacHead(8000, 8000*361)...), 1 << 10, 361},
		{"FLACTotalUnknown", flacHead(44100, 0), 1 << 30, 0},
		{"FLACRateZero", flacHead(0, 1000), 1 << 30, 0},
		{"FLACCut", flacHead(44100, 44100*400)[:20], 1 << 30, 0},
		{"FLACNoStreamInfo", []byte("fLaC\x04\x00\x00\x22" + string(make([]byte, 34))), 1 << 30, 0},
		{"Unknown", bytes.Repeat([]byte{7}, 100), 1 << 30, 0},
		{"WAVHeaderPastHead", wavHead(8000, 1, 100)[:30], 1 << 30, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := ProbeHead(c.head)
			if got := h.MinSeconds(c.size); math.Abs(got-c.want) > 0.01 {
				t.Errorf("MinSeconds(%d) = %.2f, want %.2f (head %+v)", c.size, got, c.want, h)
			}
		})
	}
	if h := ProbeHead(wavHead(8000, 1, 100)); h.Format != audio.FormatWAV || h.Header != 44 || h.ByteRate != 16000 || h.DataBytes != 100 {
		t.Errorf("WAV head = %+v, want 44 header bytes, 16,000 B/s, 100 data bytes", h)
	}
}

// flacHead is "fLaC" and a STREAMINFO block declaring rate and total
// samples (mono, 16 bits).
func flacHead(rate int, total uint64) []byte {
	b := append([]byte("fLaC\x80\x00\x00\x22"), make([]byte, 34)...)
	binary.BigEndian.PutUint64(b[8+10:], uint64(rate)<<44|15<<36|total)
	return b
}

// TestProbeHeadFLAC: the length ProbeHead reads from a FLAC file made by
// the encoder matches the audio encoded, whatever size is given.
func TestProbeHeadFLAC(t *testing.T) {
	p := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 16000*3)}
	for i := range p.Samples {
		p.Samples[i] = float32(math.Sin(float64(i) / 10))
	}
	b := encode(t, p, audio.FormatFLAC, EncodeOptions{})
	h := ProbeHead(b[:min(len(b), HeadBytes)])
	if h.Format != audio.FormatFLAC || math.Abs(h.MinSeconds(-1)-3) > 0.001 {
		t.Errorf("FLAC of 3 s: head %+v, MinSeconds %.3f; want 3", h, h.MinSeconds(-1))
	}
}

// FuzzProbeHead: no head makes ProbeHead panic, or MinSeconds or
// MinSamples negative or not a finite number.
func FuzzProbeHead(f *testing.F) {
	for _, b := range seeds(f) {
		addBroken(f, b[:min(len(b), HeadBytes)])
	}
	f.Add(wavHead(8000, 1, 0xFFFFFFFF))
	f.Add(mp3Frames(3))
	f.Add(flacHead(44100, 44100*400))
	f.Add(append([]byte("ID3\x04\x00\x00\x00\x00\x00\x05xxxxx"), flacHead(8000, 1<<35)...))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, head []byte) {
		h := ProbeHead(head)
		for _, size := range []int64{-1, 0, int64(len(head)), 1 << 40} {
			if s := h.MinSeconds(size); s < 0 || math.IsNaN(s) || math.IsInf(s, 0) {
				t.Fatalf("MinSeconds(%d) = %v for head %+v", size, s, h)
			}
			if n := h.MinSamples(size); n < 0 || math.IsNaN(n) || math.IsInf(n, 0) {
				t.Fatalf("MinSamples(%d) = %v for head %+v", size, n, h)
			}
		}
	})
}

// TestMinSamples: the samples a head and size prove count every channel
// at the head's rate: a 10-s stereo WAV at 44.1 kHz is 882,000, an MP3's
// first frame gives its rate and channels, a FLAC its declared total.
func TestMinSamples(t *testing.T) {
	for _, c := range []struct {
		name string
		head []byte
		size int64
		want float64
	}{
		{"WAVStereo", wavHead(44100, 2, 0xFFFFFFFF), 44 + 4*44100*10, 882_000},
		{"MP3", mp3Frames(10), 40000*100 + 1<<20, 44100 * 2 * 100},
		{"FLAC", flacHead(8000, 8000*400), 1 << 10, 8000 * 400},
		{"Unknown", bytes.Repeat([]byte{7}, 100), 1 << 30, 0},
	} {
		if got := ProbeHead(c.head).MinSamples(c.size); math.Abs(got-c.want) > 1 {
			t.Errorf("%s: MinSamples(%d) = %.0f, want %.0f", c.name, c.size, got, c.want)
		}
	}
}
