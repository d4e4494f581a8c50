package codec

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
)

// seeds returns small files of real speech in every input format: 0.15 s
// of a real speaker, encoded here, so no recording is stored in the
// repository.
func seeds(f *testing.F) map[audio.Format][]byte {
	f.Helper()
	seedOnce.Do(func() { seedFiles = makeSeeds(f) })
	if seedFiles == nil {
		f.Fatal("no seeds")
	}
	return seedFiles
}

var (
	seedOnce  sync.Once
	seedFiles map[audio.Format][]byte
)

func makeSeeds(f *testing.F) map[audio.Format][]byte {
	p := speech(f, "slt", 1, 16000)
	p = &audio.PCM{Rate: p.Rate, Channels: 1, Samples: p.Samples[8000:10400]}
	out := map[audio.Format][]byte{}
	for _, fm := range []audio.Format{audio.FormatWAV, audio.FormatFLAC, audio.FormatMP3, audio.FormatOpus} {
		out[fm] = encode(f, p, fm, EncodeOptions{})
	}
	for fm, args := range map[audio.Format][]string{
		audio.FormatOGG:  {"-c:a", "libvorbis", "-f", "ogg"},
		audio.FormatWebM: {"-c:a", "libopus", "-f", "webm"},
		audio.FormatM4A:  {"-c:a", "aac", "-movflags", "+frag_keyframe+empty_moov", "-f", "mp4"},
		audio.FormatAAC:  {"-c:a", "aac", "-f", "adts"},
	} {
		cmd := exec.Command("ffmpeg", append(append([]string{"-loglevel", "error", "-f", "wav", "-i", "pipe:0"}, args...), "pipe:1")...)
		cmd.Stdin = bytes.NewReader(out[audio.FormatWAV])
		b, err := cmd.Output()
		if err != nil {
			f.Fatalf("making %s seed: %v", fm, err)
		}
		out[fm] = b
	}
	return out
}

func FuzzSniff(f *testing.F) {
	for _, b := range seeds(f) {
		f.Add(b[:min(len(b), 512)])
	}
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x05xxxxxfLaC"))
	f.Fuzz(func(t *testing.T, head []byte) {
		Sniff(head) // must not panic on any prefix
	})
}

// Run these with a short -fuzzminimizetime (say 1s): every new input the
// decoders find interesting would otherwise be minimised for a minute.

// fuzzDecoder checks a decoder never panics, never hangs and returns well-formed PCM or
// an error wrapping one of the audio sentinels.
func fuzzDecoder(t *testing.T, data []byte, decode func([]byte) (*audio.PCM, error)) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	before := m.TotalAlloc
	var p *audio.PCM
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		p, err = decode(data)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("decoding %d bytes hangs", len(data))
	}
	runtime.ReadMemStats(&m)
	// Compression can expand a lot (FLAC codes silence in a few bytes), but
	// nothing may follow a size the header merely claims.
	if a := m.TotalAlloc - before; a > 4*MaxDecodedSamples+256*uint64(len(data))+(64<<20) {
		t.Fatalf("allocated %d bytes for %d input bytes", a, len(data))
	}
	if err != nil {
		if !errors.Is(err, audio.ErrUnsupportedFormat) && !errors.Is(err, audio.ErrCorrupt) &&
			!errors.Is(err, audio.ErrTooLarge) && !errors.Is(err, audio.ErrEmpty) {
			t.Fatalf("decoding %d bytes: %v wraps no audio sentinel", len(data), err)
		}
		return
	}
	if p.Channels < 1 || p.Rate < 1 || len(p.Samples)%p.Channels != 0 || len(p.Samples) > MaxDecodedSamples {
		t.Fatalf("malformed PCM: %d Hz, %d ch, %d samples", p.Rate, p.Channels, len(p.Samples))
	}
}

// addBroken adds b and broken copies of it, so that the seeds alone reach
// the decoders' error paths: cut short, cut to its header, and with its
// body overwritten.
func addBroken(f *testing.F, b []byte) {
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add(b[:min(len(b), 16)])
	damaged := bytes.Clone(b)
	for i := min(len(b), 64); i < len(b); i += 7 {
		damaged[i] = 0xff
	}
	f.Add(damaged)
}

func FuzzDecodeMP3(f *testing.F) {
	addBroken(f, seeds(f)[audio.FormatMP3])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder(t, data, decodeMP3) })
}

func FuzzDecodeFLAC(f *testing.F) {
	addBroken(f, seeds(f)[audio.FormatFLAC])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzDecoder(t, data, decodeFLAC) })
}

// FuzzDecode runs the whole entry point, ffmpeg included, so Ogg, WebM and
// M4A inputs reach a real decoder (slowly: one process per input).
func FuzzDecode(f *testing.F) {
	for _, b := range seeds(f) {
		addBroken(f, b)
	}
	f.Add([]byte{})
	f.Add([]byte("just some text, not audio at all"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecoder(t, data, func(b []byte) (*audio.PCM, error) {
			p, _, err := Decode(context.Background(), b)
			return p, err
		})
	})
}
