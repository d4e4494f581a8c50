package codec

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
)

// fakeRunner is a Runner whose behaviour a test sets.
type fakeRunner struct {
	run  func(stdin []byte, args []string) ([]byte, error)
	args []string
}

var _ ffmpeg.Runner = (*fakeRunner)(nil)

func (f *fakeRunner) Start(_ context.Context, stdin []byte, args ...string) (io.ReadCloser, error) {
	f.args = args
	out, err := f.run(stdin, args)
	return &fakeStream{Reader: bytes.NewReader(out), err: err}, nil
}

// fakeStream yields the fake's output, then its error on Close, as a
// failed process does.
type fakeStream struct {
	*bytes.Reader
	err error
}

func (f *fakeStream) Close() error { return f.err }

func TestFFmpegFailureIsCorrupt(t *testing.T) {
	fake := &fakeRunner{run: func([]byte, []string) ([]byte, error) {
		return nil, &ffmpeg.Error{ExitCode: 1, Stderr: "pipe:0: Invalid data found when processing input", Err: errors.New("exit status 1")}
	}}
	c := &Codec{FFmpeg: fake}
	_, f, err := c.Decode(context.Background(), append([]byte("OggS"), make([]byte, 100)...))
	if f != audio.FormatOGG || !errors.Is(err, audio.ErrCorrupt) {
		t.Errorf("format %q, err %v; want ogg, ErrCorrupt", f, err)
	}
	var fe *ffmpeg.Error
	if !errors.As(err, &fe) {
		t.Errorf("the ffmpeg error should stay reachable: %v", err)
	}
	if _, _, err := (&Codec{}).Decode(context.Background(), append([]byte("OggS"), make([]byte, 100)...)); !errors.Is(err, audio.ErrUnsupportedFormat) {
		t.Errorf("no ffmpeg: err %v, want ErrUnsupportedFormat", err)
	}
}

func TestFFmpegOutputParsed(t *testing.T) {
	src := speech(t, "rms", 3, 16000)
	wavBytes := encode(t, src, audio.FormatWAV, EncodeOptions{})
	fake := &fakeRunner{run: func([]byte, []string) ([]byte, error) { return wavBytes, nil }}
	p, f, err := (&Codec{FFmpeg: fake}).Decode(context.Background(), []byte("\x1aE\xdf\xa3 pretend webm"))
	if err != nil || f != audio.FormatWebM || p.Frames() != src.Frames() {
		t.Fatalf("got %v %q %v", p, f, err)
	}
}

// TestBrowserAndPhoneFormats decodes what browsers and phones produce,
// made by ffmpeg from speech at 22.05 kHz: Ogg Vorbis, WebM/Opus, and
// M4A/AAC with its index after the audio, which ffmpeg cannot reach through
// a pipe once the file is more than a few hundred kilobytes: a minute of
// speech.
func TestBrowserAndPhoneFormats(t *testing.T) {
	for _, tc := range []struct {
		ext  string
		sec  float64
		args []string
		want audio.Format
		tol  float64 // seconds
	}{
		{"ogg", 11, []string{"-c:a", "libvorbis"}, audio.FormatOGG, 0.05},
		{"webm", 11, []string{"-c:a", "libopus"}, audio.FormatWebM, 0.05},
		{"m4a", 80, []string{"-c:a", "aac", "-b:a", "24k"}, audio.FormatM4A, 0.05},
		// ADTS has nowhere to record the encoder's priming samples: up to
		// two AAC frames (2048 samples) more come back.
		{"aac", 9, []string{"-c:a", "aac", "-f", "adts"}, audio.FormatAAC, 0.1},
	} {
		src := speech(t, "slt", tc.sec, 22050)
		want := src.Seconds()
		in := filepath.Join(t.TempDir(), "in.wav")
		if err := os.WriteFile(in, encode(t, src, audio.FormatWAV, EncodeOptions{}), 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "x."+tc.ext)
		cmd := exec.Command("ffmpeg", append(append([]string{"-loglevel", "error", "-i", in}, tc.args...), out)...)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg: %v %s", err, b)
		}
		data, _ := os.ReadFile(out)
		p, f, err := Decode(context.Background(), data)
		if err != nil || f != tc.want {
			t.Fatalf("%s: format %q, err %v", tc.ext, f, err)
		}
		if math.Abs(p.Seconds()-want) > tc.tol {
			t.Errorf("%s: %.2f s decoded, want %.2f", tc.ext, p.Seconds(), want)
		}
	}
}
