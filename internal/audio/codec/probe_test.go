package codec

import (
	"errors"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

func TestProbeMP3OK(t *testing.T) {
	for _, tc := range []struct {
		name string
		rate int
		ch   int
	}{{"mono 22 kHz", 22050, 1}, {"stereo 44 kHz", 44100, 2}} {
		t.Run(tc.name, func(t *testing.T) {
			p := speech(t, "slt", 4, tc.rate)
			if tc.ch == 2 {
				st := &audio.PCM{Rate: p.Rate, Channels: 2, Samples: make([]float32, 2*len(p.Samples))}
				for i, v := range p.Samples {
					st.Samples[2*i], st.Samples[2*i+1] = v, v
				}
				p = st
			}
			data := encode(t, p, audio.FormatMP3, EncodeOptions{})
			pr, err := ProbeBytes(data)
			if err != nil {
				t.Fatalf("ProbeBytes: %v", err)
			}
			got, err := decodeMP3(data)
			if err != nil {
				t.Fatal(err)
			}
			if pr.Format != audio.FormatMP3 || math.Abs(pr.Seconds-p.Seconds()) > 0.2 {
				t.Errorf("probe = %s, %.2f s; want mp3, %.2f s", pr.Format, pr.Seconds, p.Seconds())
			}
			if pr.Samples < int64(len(got.Samples)) || pr.Samples > int64(len(got.Samples))+4*1152*int64(tc.ch) {
				t.Errorf("probe says %d samples, decoding gave %d", pr.Samples, len(got.Samples))
			}
		})
	}
}

// TestProbeMP3ErrCorrupt is the hostile upload: 9.6 MB of random bytes
// behind valid frame headers, which once made each decode hold hundreds of
// MB. It must be refused from the headers, before anything is decoded.
func TestProbeMP3ErrCorrupt(t *testing.T) {
	data := speechtest.GarbageMP3(9_600_000, 1)
	if f := Sniff(data[:4096]); f != audio.FormatMP3 {
		t.Fatalf("garbage sniffs as %q, want mp3: the test would prove nothing", f)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	start := time.Now()
	_, err := ProbeBytes(data)
	took := time.Since(start)
	if !errors.Is(err, audio.ErrCorrupt) {
		t.Fatalf("ProbeBytes(garbage) = %v, want ErrCorrupt", err)
	}
	_, _, derr := Decode(t.Context(), data)
	runtime.ReadMemStats(&m)
	if !errors.Is(derr, audio.ErrCorrupt) {
		t.Fatalf("Decode(garbage) = %v, want ErrCorrupt", derr)
	}
	if a := m.TotalAlloc - before; a > 8<<20 {
		t.Errorf("probing and decoding the garbage allocated %d MB, want next to nothing", a>>20)
	}
	if took > 2*time.Second {
		t.Errorf("probing took %v (under load), want well under a second", took)
	}
}

func TestProbeOtherFormats(t *testing.T) {
	wav := encode(t, speech(t, "slt", 1, 16000), audio.FormatWAV, EncodeOptions{})
	pr, err := ProbeBytes(wav)
	if err != nil || pr.Format != audio.FormatWAV || pr.Samples < 16000 || pr.Samples > int64(len(wav)) {
		t.Errorf("wav probe = %+v, %v", pr, err)
	}
	if _, err := ProbeBytes([]byte("not audio at all, just text")); !errors.Is(err, audio.ErrUnsupportedFormat) {
		t.Errorf("text probe: %v, want ErrUnsupportedFormat", err)
	}
}

func FuzzProbe(f *testing.F) {
	for _, b := range seeds(f) {
		addBroken(f, b)
	}
	f.Add(speechtest.GarbageMP3(4096, 2))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ProbeBytes(data)
		if err == nil && (p.Samples < 0 || p.Samples > MaxDecodedSamples || p.Seconds < 0) {
			t.Fatalf("probe %+v of %d bytes", p, len(data))
		}
		if err != nil && !errors.Is(err, audio.ErrCorrupt) && !errors.Is(err, audio.ErrUnsupportedFormat) {
			t.Fatalf("probe error %v wraps no audio sentinel", err)
		}
	})
}
