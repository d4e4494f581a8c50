package wav

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// build makes a WAV file by hand so the decoder is tested against the
// format, not against our own encoder.
func build(tag uint16, channels, rate, bps int, extensible bool, dataSize uint32, body []byte) []byte {
	le := binary.LittleEndian
	var fmtc []byte
	ftag := tag
	if extensible {
		ftag = tagExtensible
	}
	fmtc = le.AppendUint16(fmtc, ftag)
	fmtc = le.AppendUint16(fmtc, uint16(channels))
	fmtc = le.AppendUint32(fmtc, uint32(rate))
	fmtc = le.AppendUint32(fmtc, uint32(rate*channels*bps))
	fmtc = le.AppendUint16(fmtc, uint16(channels*bps))
	fmtc = le.AppendUint16(fmtc, uint16(8*bps))
	if extensible {
		fmtc = le.AppendUint16(fmtc, 22)
		fmtc = le.AppendUint16(fmtc, uint16(8*bps))
		fmtc = le.AppendUint32(fmtc, 3)
		fmtc = le.AppendUint16(fmtc, tag)
		fmtc = append(fmtc, "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71"...)
	}
	var b []byte
	b = append(b, "RIFF\x00\x00\x00\x00WAVE"...)
	b = append(b, "LIST"...)
	b = le.AppendUint32(b, 5)
	b = append(b, "abcde\x00"...) // odd chunk, padded
	b = append(b, "fmt "...)
	b = le.AppendUint32(b, uint32(len(fmtc)))
	b = append(b, fmtc...)
	b = append(b, "data"...)
	b = le.AppendUint32(b, dataSize)
	return append(b, body...)
}

func TestDecodeLayouts(t *testing.T) {
	le := binary.LittleEndian
	// Each body holds the frames (0.5, -0.25) as stereo.
	s16 := le.AppendUint16(le.AppendUint16(nil, uint16(16384)), uint16(0xE000))
	s24 := []byte{0, 0, 0x40, 0, 0, 0xE0}
	s32 := le.AppendUint32(le.AppendUint32(nil, 1<<30), uint32(0xE0000000))
	f32 := le.AppendUint32(le.AppendUint32(nil, math.Float32bits(0.5)), math.Float32bits(-0.25))
	f64 := le.AppendUint64(le.AppendUint64(nil, math.Float64bits(0.5)), math.Float64bits(-0.25))
	u8 := []byte{192, 96}
	for name, tc := range map[string]struct {
		tag  uint16
		bps  int
		ext  bool
		body []byte
	}{
		"pcm8": {tagPCM, 1, false, u8}, "pcm16": {tagPCM, 2, false, s16}, "pcm24": {tagPCM, 3, false, s24},
		"pcm32": {tagPCM, 4, false, s32}, "float32": {tagFloat, 4, false, f32}, "float64": {tagFloat, 8, false, f64},
		"ext16": {tagPCM, 2, true, s16}, "ext24": {tagPCM, 3, true, s24}, "extfloat": {tagFloat, 4, true, f32},
	} {
		t.Run(name, func(t *testing.T) {
			for _, size := range []uint32{uint32(len(tc.body)), 0xFFFFFFFF, 0} {
				p, err := Decode(bytes.NewReader(build(tc.tag, 2, 44100, tc.bps, tc.ext, size, tc.body)), 0)
				if err != nil {
					t.Fatalf("size %#x: %v", size, err)
				}
				if p.Rate != 44100 || p.Channels != 2 || len(p.Samples) != 2 || p.Samples[0] != 0.5 || p.Samples[1] != -0.25 {
					t.Errorf("size %#x: got %+v", size, p)
				}
			}
		})
	}
}

func TestDecodeMuLaw(t *testing.T) {
	// G.711 μ-law 0x00 and 0x80 are the two extremes, 0xFF and 0x7F zero.
	p, err := Decode(bytes.NewReader(build(tagMuLaw, 1, 8000, 1, false, 4, []byte{0x80, 0x00, 0xFF, 0x7F})), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{32124.0 / 32768, -32124.0 / 32768, 0, 0}
	for i, v := range want {
		if p.Samples[i] != v {
			t.Errorf("sample %d = %v, want %v", i, p.Samples[i], v)
		}
	}
	for s := int32(-32768); s < 32768; s += 7 {
		got := muLawToLinear(linearToMuLaw(s))
		if d := math.Abs(float64(got - s)); d > math.Max(16, math.Abs(float64(s))/16) {
			t.Fatalf("μ-law %d → %d", s, got)
		}
	}
}

func TestHugeClaimsAllocateLittle(t *testing.T) {
	// A header claiming 4 GB of data and 4 GB of a junk chunk.
	b := build(tagPCM, 2, 48000, 2, false, 0xFFFFFFF0, make([]byte, 400))
	var ms runtimeMem
	ms.start()
	p, err := DecodeBytes(b, 0)
	if err != nil || len(p.Samples) != 200 {
		t.Fatalf("got %v, %v", p, err)
	}
	if a := ms.allocated(); a > 1<<20 {
		t.Errorf("allocated %d bytes for a 450-byte file", a)
	}
	junk := append([]byte("RIFF\x00\x00\x00\x00WAVEjunk\xF0\xFF\xFF\xFF"), make([]byte, 100)...)
	if _, err := Decode(bytes.NewReader(junk), 0); !errors.Is(err, audio.ErrCorrupt) {
		t.Errorf("truncated junk chunk: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := build(tagPCM, 1, 16000, 2, false, 4, []byte{1, 2, 3, 4})
	for name, tc := range map[string]struct {
		b    []byte
		want error
	}{
		"ErrNotWAV":   {[]byte("RIFX\x00\x00\x00\x00WAVE"), audio.ErrUnsupportedFormat},
		"ErrShort":    {good[:10], audio.ErrCorrupt},
		"ErrNoData":   {good[:len(good)-12], audio.ErrCorrupt},
		"ErrEmpty":    {build(tagPCM, 1, 16000, 2, false, 0, nil), audio.ErrEmpty},
		"ErrADPCM":    {build(2, 1, 16000, 2, false, 4, []byte{1, 2, 3, 4}), audio.ErrUnsupportedFormat},
		"ErrChannels": {build(tagPCM, 0, 16000, 2, false, 4, []byte{1, 2, 3, 4}), audio.ErrCorrupt},
		"ErrTooLarge": {build(tagPCM, 1, 16000, 2, false, 400, make([]byte, 400)), audio.ErrTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeBytes(tc.b, 100)
			if !errors.Is(err, tc.want) {
				t.Errorf("DecodeBytes err = %v, want %v", err, tc.want)
			}
			_, err = Decode(bytes.NewReader(tc.b), 100)
			if !errors.Is(err, tc.want) {
				t.Errorf("Decode err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	p := &audio.PCM{Rate: 22050, Channels: 2, Samples: []float32{0, 0.5, -0.5, 1.5, -2, 0.25, 0.001, -0.001}}
	for _, enc := range []Encoding{PCM16, Float32, MuLaw} {
		var b bytes.Buffer
		if err := Encode(&b, p, enc); err != nil {
			t.Fatal(err)
		}
		if b.Len()%2 != 0 {
			t.Errorf("encoding %d: odd file length %d", enc, b.Len())
		}
		got, err := Decode(&b, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rate != 22050 || got.Channels != 2 || len(got.Samples) != len(p.Samples) {
			t.Fatalf("encoding %d: %+v", enc, got)
		}
		for i, v := range p.Samples {
			want := float64(max(-1, min(1, v)))
			tol := map[Encoding]float64{PCM16: 1.0 / 32768, Float32: 0, MuLaw: 0.02}[enc]
			if enc == Float32 {
				want = float64(v)
			}
			if math.Abs(float64(got.Samples[i])-want) > tol+1e-9 {
				t.Errorf("encoding %d sample %d: %v, want %v", enc, i, got.Samples[i], want)
			}
		}
	}
}

func TestStreamingEncoder(t *testing.T) {
	var b bytes.Buffer
	e, err := NewEncoder(&b, 16000, 1, PCM16, -1)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := e.Write(make([]float32, 1000)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := NewDecoder(&b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Header().DataBytes != -1 {
		t.Errorf("DataBytes %d, want -1 for a streamed file", d.Header().DataBytes)
	}
	n := 0
	buf := make([]float32, 512)
	for {
		k, err := d.Read(buf)
		n += k
		if err == io.EOF {
			break
		}
	}
	if n != 3000 {
		t.Errorf("read %d samples, want 3000", n)
	}
}

// endless is a WAV stream with an unknown data size whose samples never
// end, like a misbehaving pipe.
type endless struct{ head []byte }

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.head)
	e.head = e.head[n:]
	clear(p[n:])
	return len(p), nil
}

func TestEndlessStreamStopsAtLimit(t *testing.T) {
	const limit = 1 << 20
	var ms runtimeMem
	ms.start()
	_, err := Decode(&endless{head: build(tagPCM, 1, 48000, 2, false, 0xFFFFFFFF, nil)}, limit)
	if !errors.Is(err, audio.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	// Doubling may briefly hold the old and the new slice, never more.
	if a := ms.allocated(); a > 3*4*limit {
		t.Errorf("allocated %d bytes for a %d-sample limit", a, limit)
	}
}
