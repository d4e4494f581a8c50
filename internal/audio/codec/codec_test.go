package codec

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// speech is at least sec seconds of flite's voice reading, at rate Hz:
// format tests need speech, not a particular human voice, so they run on a
// clone without the real speech set.
func speech(t testing.TB, voice string, sec float64, rate int) *audio.PCM {
	t.Helper()
	return speechtest.SyntheticAt(t, voice, sec, rate)
}

func encode(t testing.TB, p *audio.PCM, f audio.Format, opt EncodeOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(context.Background(), &b, p, f, opt); err != nil {
		t.Fatalf("encode %s: %v", f, err)
	}
	return b.Bytes()
}

// correlation of two equally long mono signals, for "is this still the
// same speech" checks on lossy round trips.
func correlation(a, b []float32) float64 {
	n := min(len(a), len(b))
	var ab, aa, bb float64
	for i := 0; i < n; i++ {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func TestRoundTrip(t *testing.T) {
	src := speech(t, "slt", 2, 48000)
	for _, tc := range []struct {
		f       audio.Format
		opt     EncodeOptions
		rate    int
		sniff   audio.Format
		frame   int     // codec frame in output samples: the duration tolerance
		minCorr float64 // against the source resampled to rate
	}{
		{audio.FormatWAV, EncodeOptions{}, 48000, audio.FormatWAV, 1, 0.9999},
		{audio.FormatWAV, EncodeOptions{SampleRate: 16000, Float: true}, 16000, audio.FormatWAV, 1, 0.9999},
		{audio.FormatULaw, EncodeOptions{}, 8000, audio.FormatWAV, 1, 0.99},
		{audio.FormatFLAC, EncodeOptions{SampleRate: 22050}, 22050, audio.FormatFLAC, 1, 0.9999},
		{audio.FormatMP3, EncodeOptions{SampleRate: 24000}, 24000, audio.FormatMP3, 576, 0.95},
		{audio.FormatMP3, EncodeOptions{SampleRate: 44100}, 44100, audio.FormatMP3, 1152, 0.95},
		{audio.FormatOpus, EncodeOptions{SampleRate: 16000}, 48000, audio.FormatOpus, 960, 0.9},
		{audio.FormatOpus, EncodeOptions{SampleRate: 22050}, 48000, audio.FormatOpus, 960, 0.9},
	} {
		t.Run(string(tc.f), func(t *testing.T) {
			data := encode(t, src, tc.f, tc.opt)
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
			if d := p.Frames() - want; d < -tc.frame || d > tc.frame {
				t.Errorf("%d frames, want %d ± %d", p.Frames(), want, tc.frame)
			}
			t.Logf("%d bytes, %d frames (want %d)", len(data), p.Frames(), want)
			ref := dspResample(src, tc.rate)
			if c := correlation(ref.Samples, p.Samples); c < tc.minCorr {
				t.Errorf("correlation with source %.4f, want ≥ %.4f (misaligned or distorted)", c, tc.minCorr)
			}
		})
	}
}

func TestRawPCM(t *testing.T) {
	src := speech(t, "kal16", 2, 16000)
	data := encode(t, src, audio.FormatPCM, EncodeOptions{})
	if len(data) != 2*src.Frames() {
		t.Fatalf("%d bytes for %d frames", len(data), src.Frames())
	}
	if Sniff(data) != audio.FormatUnknown {
		t.Errorf("raw PCM sniffed as %q", Sniff(data))
	}
}

func TestDecodeErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{
		"ErrEmpty":       {nil, audio.ErrEmpty},
		"ErrUnsupported": {[]byte("hello, this is not audio at all"), audio.ErrUnsupportedFormat},
		"ErrCorruptWAV":  {[]byte("RIFF\x00\x00\x00\x00WAVEfmt \x02\x00\x00\x00"), audio.ErrCorrupt},
		"ErrCorruptFLAC": {[]byte("fLaC\x00\x00\x00\x22garbage"), audio.ErrCorrupt},
		"ErrCorruptOgg":  {append([]byte("OggS"), make([]byte, 200)...), audio.ErrCorrupt},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := Decode(context.Background(), tc.data)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]audio.Format{
		"mp3": audio.FormatMP3, ".MP3": audio.FormatMP3, "out/voice.mp3": audio.FormatMP3,
		"x.ogg": audio.FormatOpus, "opus": audio.FormatOpus, "a.flac": audio.FormatFLAC,
		"wav": audio.FormatWAV, "b.raw": audio.FormatPCM, "pcm": audio.FormatPCM, "ulaw": audio.FormatULaw,
	} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "m4a", "x.webm", "doc.txt"} {
		if _, err := ParseFormat(in); !errors.Is(err, audio.ErrUnsupportedFormat) {
			t.Errorf("ParseFormat(%q) err = %v, want ErrUnsupportedFormat", in, err)
		}
	}
	for _, f := range OutputFormats() {
		if ContentType(f) == "" {
			t.Errorf("no content type for %s", f)
		}
	}
}

// TestMP3Encoders checks both MP3 paths, lame and ffmpeg, keep the exact
// length through their LAME tags.
func TestMP3Encoders(t *testing.T) {
	if Default.LAME == nil {
		t.Fatal("lame is not installed (Debian package lame, in the Makefile's RUN_DEBS)")
	}
	src := speech(t, "rms", 4, 16000)
	for name, c := range map[string]*Codec{"lame": Default, "ffmpeg": {FFmpeg: Default.FFmpeg}} {
		var b bytes.Buffer
		if err := c.Encode(context.Background(), &b, src, audio.FormatMP3, EncodeOptions{Bitrate: 48}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p, _, err := Decode(context.Background(), b.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Frames() != src.Frames() || p.Rate != src.Rate {
			t.Errorf("%s: %d frames at %d Hz, want %d at %d", name, p.Frames(), p.Rate, src.Frames(), src.Rate)
		}
		if c := correlation(src.Samples, p.Samples); c < 0.95 {
			t.Errorf("%s: correlation %.3f", name, c)
		}
	}
}

// TestOutputNames: the names error messages offer are exactly the ones
// ParseFormat takes for people, and between them they reach every output
// format ("ogg" writes Ogg Opus).
func TestOutputNames(t *testing.T) {
	reached := map[audio.Format]bool{}
	for _, n := range OutputNames() {
		f, err := ParseFormat(n)
		if err != nil {
			t.Errorf("ParseFormat(%q): %v", n, err)
		}
		reached[f] = true
	}
	for _, f := range OutputFormats() {
		if !reached[f] {
			t.Errorf("no name in OutputNames reaches %s", f)
		}
	}
	if _, err := ParseFormat("m4a"); err == nil || !strings.Contains(err.Error(), "wav, mp3, flac, ogg, opus, aac, pcm, ulaw") {
		t.Errorf("ParseFormat(m4a) = %v, want the list with ogg", err)
	}
}
