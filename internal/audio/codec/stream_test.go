package codec

import (
	"bytes"
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/syncbuf"
)

// voicedPiece is a sentence-like piece of audio: a 140 Hz harmonic tone
// whose pitch glides, under a rise–hold–fall envelope, so it starts and
// ends quietly as the engine's sentences do.
func voicedPiece(rate int, seconds, f0 float64) *audio.PCM {
	n := int(seconds * float64(rate))
	p := &audio.PCM{Rate: rate, Channels: 1, Samples: make([]float32, n)}
	phase := 0.0
	for i := range p.Samples {
		t := float64(i) / float64(rate)
		phase += 2 * math.Pi * (f0 + 20*math.Sin(2*math.Pi*1.5*t)) / float64(rate)
		env := math.Min(1, math.Min(t, seconds-t)/0.05)
		var v float64
		for h := 1; h <= 12; h++ {
			v += math.Sin(float64(h)*phase) / float64(h)
		}
		p.Samples[i] = float32(0.25 * env * v)
	}
	return p
}

// streamPieces encodes pieces through a StreamEncoder into one buffer.
func streamPieces(t *testing.T, f audio.Format, opt EncodeOptions, pieces ...*audio.PCM) []byte {
	t.Helper()
	var b bytes.Buffer
	e, err := Default.NewStreamEncoder(context.Background(), &b, f, pieces[0].Rate, 1, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pieces {
		if err := e.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bestCorrelation is the correlation of got with want at the lag (0 to
// maxLag samples of delay in got) that fits best: streamed MP3 has no
// LAME tag, so its decoder keeps the encoder's delay.
func bestCorrelation(want, got []float32, maxLag int) (float64, int) {
	best, lag := -1.0, 0
	for d := 0; d <= maxLag && d < len(got); d++ {
		if c := correlation(want, got[d:]); c > best {
			best, lag = c, d
		}
	}
	return best, lag
}

func TestStreamEncoderRoundTrip(t *testing.T) {
	pieces := []*audio.PCM{voicedPiece(16000, 0.8, 140), voicedPiece(16000, 1.1, 120), voicedPiece(16000, 0.6, 160)}
	var whole []float32
	for _, p := range pieces {
		whole = append(whole, p.Samples...)
	}
	src := &audio.PCM{Rate: 16000, Channels: 1, Samples: whole}
	for _, tc := range []struct {
		f       audio.Format
		opt     EncodeOptions
		rate    int
		sniff   audio.Format
		slack   int // output samples the decoded length may exceed the source by
		maxLag  int
		minCorr float64
	}{
		{audio.FormatWAV, EncodeOptions{}, 16000, audio.FormatWAV, 0, 0, 0.9999},
		{audio.FormatWAV, EncodeOptions{SampleRate: 24000}, 24000, audio.FormatWAV, 0, 0, 0.999},
		{audio.FormatULaw, EncodeOptions{}, 8000, audio.FormatWAV, 0, 0, 0.99},
		{audio.FormatFLAC, EncodeOptions{}, 16000, audio.FormatFLAC, 0, 0, 0.9999},
		{audio.FormatMP3, EncodeOptions{}, 16000, audio.FormatMP3, 3 * 576, 3 * 576, 0.95},
		{audio.FormatMP3, EncodeOptions{SampleRate: 44100}, 44100, audio.FormatMP3, 3 * 1152, 3 * 1152, 0.95},
		{audio.FormatOpus, EncodeOptions{}, 48000, audio.FormatOpus, 960, 0, 0.9},
		{audio.FormatAAC, EncodeOptions{}, 16000, audio.FormatAAC, 3 * 1024, 3 * 1024, 0.9},
		{audio.FormatAAC, EncodeOptions{SampleRate: 23000}, 24000, audio.FormatAAC, 3 * 1024, 3 * 1024, 0.9},
	} {
		t.Run(string(tc.f), func(t *testing.T) {
			data := streamPieces(t, tc.f, tc.opt, pieces...)
			if got := Sniff(data); got != tc.sniff {
				t.Errorf("Sniff = %q, want %q", got, tc.sniff)
			}
			p, _, err := Decode(context.Background(), data)
			if err != nil {
				t.Fatal(err)
			}
			if p.Rate != tc.rate || p.Channels != 1 {
				t.Fatalf("decoded %d Hz %d ch, want %d Hz mono", p.Rate, p.Channels, tc.rate)
			}
			want := int(math.Round(src.Seconds() * float64(tc.rate)))
			if d := p.Frames() - want; d < -1 || d > tc.slack+1 {
				t.Errorf("%d frames, want %d (+%d)", p.Frames(), want, tc.slack)
			}
			ref := dspResample(src, tc.rate)
			c, lag := bestCorrelation(ref.Samples, p.Samples, tc.maxLag)
			if c < tc.minCorr {
				t.Errorf("correlation with source %.4f at lag %d, want ≥ %.4f", c, lag, tc.minCorr)
			}
			t.Logf("%d bytes, %d frames (source %d), correlation %.4f at lag %d", len(data), p.Frames(), want, c, lag)
		})
	}
}

// TestStreamEncoderRawIsConcatenation: raw PCM and FLAC streams hold the
// pieces exactly, sample for sample, whatever the piece boundaries.
func TestStreamEncoderRawIsConcatenation(t *testing.T) {
	a, b := voicedPiece(16000, 0.3, 150), voicedPiece(16000, 0.55, 130)
	joined := &audio.PCM{Rate: 16000, Channels: 1, Samples: append(append([]float32(nil), a.Samples...), b.Samples...)}
	for _, f := range []audio.Format{audio.FormatPCM, audio.FormatFLAC} {
		streamed := streamPieces(t, f, EncodeOptions{}, a, b)
		whole := streamPieces(t, f, EncodeOptions{}, joined)
		if !bytes.Equal(streamed, whole) {
			t.Errorf("%s: two pieces encode to %d bytes, their concatenation to %d: not the same stream", f, len(streamed), len(whole))
		}
	}
	if raw := streamPieces(t, audio.FormatPCM, EncodeOptions{}, a, b); len(raw) != 2*joined.Frames() {
		t.Errorf("raw PCM: %d bytes for %d samples", len(raw), joined.Frames())
	}
}

// TestStreamEncoderWritesBeforeClose: every format puts the first piece's
// audio on the wire while the stream is still open, and nothing before it.
func TestStreamEncoderWritesBeforeClose(t *testing.T) {
	for _, f := range OutputFormats() {
		t.Run(string(f), func(t *testing.T) {
			var out syncbuf.Buffer
			e, err := Default.NewStreamEncoder(context.Background(), &out, f, 16000, 1, EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			time.Sleep(50 * time.Millisecond)
			if n := out.Len(); n != 0 {
				t.Errorf("%d bytes before any audio", n)
			}
			if err := e.Write(voicedPiece(16000, 1, 140)); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for out.Len() < 200 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if n := out.Len(); n < 200 {
				t.Errorf("%d bytes out after a second of audio and 5 s, want the audio streamed", n)
			}
		})
	}
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct {
	mu    sync.Mutex
	n     int
	limit int
}

var errGone = errors.New("client went away")

func (w *failingWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.n+len(p) > w.limit {
		return 0, errGone
	}
	w.n += len(p)
	return len(p), nil
}

// TestStreamEncoderErrWriter: when the output fails, writing fails soon
// with that error and Close returns it, without hanging on the encoder.
func TestStreamEncoderErrWriter(t *testing.T) {
	for _, f := range OutputFormats() {
		t.Run(string(f), func(t *testing.T) {
			e, err := Default.NewStreamEncoder(context.Background(), &failingWriter{limit: 100}, f, 16000, 1, EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			var werr error
			for i := 0; i < 200 && werr == nil; i++ {
				werr = e.Write(voicedPiece(16000, 0.5, 140))
			}
			cerr := e.Close()
			if !errors.Is(werr, errGone) && !errors.Is(cerr, errGone) {
				t.Errorf("Write = %v, Close = %v; want the writer's error", werr, cerr)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v to give up", d)
			}
		})
	}
}

// TestStreamEncoderCancel: cancelling the context stops an external
// encoder; Close reports it.
func TestStreamEncoderCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out syncbuf.Buffer
	e, err := Default.NewStreamEncoder(ctx, &out, audio.FormatOpus, 16000, 1, EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Write(voicedPiece(16000, 0.5, 140)); err != nil {
		t.Fatal(err)
	}
	cancel()
	for i := 0; i < 100; i++ {
		if e.Write(voicedPiece(16000, 0.5, 140)) != nil {
			break
		}
	}
	if err := e.Close(); !errors.Is(err, context.Canceled) {
		t.Errorf("Close after cancel = %v, want context.Canceled", err)
	}
}

func TestEncodeAAC(t *testing.T) {
	src := voicedPiece(16000, 1.5, 140)
	data := encode(t, src, audio.FormatAAC, EncodeOptions{SampleRate: 22050})
	p, f, err := Decode(context.Background(), data)
	if err != nil || f != audio.FormatAAC || p.Rate != 22050 {
		t.Fatalf("decoded %v as %s at %v Hz", err, f, p)
	}
	if got, err := ParseFormat("speech.aac"); err != nil || got != audio.FormatAAC {
		t.Errorf("ParseFormat(speech.aac) = %q, %v", got, err)
	}
}
