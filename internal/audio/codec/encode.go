package codec

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// EncodeOptions tune Encode. The zero value keeps the input's rate and
// uses each format's defaults.
type EncodeOptions struct {
	// SampleRate of the output, 8000–48000; 0 keeps the PCM's rate (μ-law
	// defaults to 8000). Formats with a fixed set of rates (MP3, Opus) use
	// the nearest allowed rate at or above the one asked for.
	SampleRate int
	// Float writes 32-bit float WAV instead of 16-bit PCM (WAV only).
	Float bool
	// Bitrate in kbit/s for MP3, Opus and AAC; 0 picks a speech-friendly
	// default (Opus 32 and AAC 48 per channel, MP3 VBR quality 4).
	Bitrate int
}

// Output rates voxclone accepts.
const (
	MinRate = 8000
	MaxRate = 48000
)

var (
	opusRates = []int{8000, 12000, 16000, 24000, 48000}
	mp3Rates  = []int{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}
)

// Encode writes pcm to w in format f with Default.
func Encode(ctx context.Context, w io.Writer, pcm *audio.PCM, f audio.Format, opt EncodeOptions) error {
	return Default.Encode(ctx, w, pcm, f, opt)
}

// Encode writes pcm to w in format f (one of OutputFormats), resampled to
// the requested rate with dsp.ResampleSharp (flat to 0.9 of the lower
// Nyquist frequency). Errors wrap audio.ErrUnsupportedFormat for a format
// or rate voxclone does not write, and audio.ErrEmpty for no samples.
func (c *Codec) Encode(ctx context.Context, w io.Writer, pcm *audio.PCM, f audio.Format, opt EncodeOptions) error {
	if pcm == nil || pcm.Frames() == 0 || pcm.Rate <= 0 {
		return fmt.Errorf("codec: encode: %w", audio.ErrEmpty)
	}
	rate, err := outputRate(pcm.Rate, f, opt.SampleRate)
	if err != nil {
		return err
	}
	// The sharp design: this is what the listener hears (dsp's designs).
	pcm = dsp.ResampleSharp(pcm, rate)
	switch f {
	case audio.FormatWAV:
		enc := wav.PCM16
		if opt.Float {
			enc = wav.Float32
		}
		return buffered(w, func(bw io.Writer) error { return wav.Encode(bw, pcm, enc) })
	case audio.FormatULaw:
		return buffered(w, func(bw io.Writer) error { return wav.Encode(bw, pcm, wav.MuLaw) })
	case audio.FormatPCM:
		return buffered(w, func(bw io.Writer) error { return encodeRaw(bw, pcm) })
	case audio.FormatFLAC:
		return buffered(w, func(bw io.Writer) error { return encodeFLAC(bw, pcm) })
	case audio.FormatMP3, audio.FormatOpus:
		return c.encodeFFmpeg(ctx, w, pcm, f, opt)
	case audio.FormatAAC:
		return c.encodeStream(ctx, w, pcm, f, opt)
	}
	return fmt.Errorf("codec: cannot write %q (outputs: %s): %w", f, outputNames(), audio.ErrUnsupportedFormat)
}

// outputRate picks the encoded rate: the request (or the input's rate),
// validated, then rounded up to what the format can carry.
func outputRate(in int, f audio.Format, want int) (int, error) {
	if want == 0 {
		want = in
		if f == audio.FormatULaw {
			want = 8000
		}
	} else if want < MinRate || want > MaxRate {
		return 0, fmt.Errorf("codec: sample rate %d outside %d–%d: %w", want, MinRate, MaxRate, audio.ErrUnsupportedFormat)
	}
	switch f {
	case audio.FormatOpus:
		return atOrAbove(opusRates, want), nil
	case audio.FormatMP3, audio.FormatAAC:
		// ADTS AAC has the same sampling frequencies as MP3 in this range.
		return atOrAbove(mp3Rates, want), nil
	}
	return want, nil
}

// encodeStream encodes a whole PCM through a StreamEncoder, for formats
// only written as streams.
func (c *Codec) encodeStream(ctx context.Context, w io.Writer, p *audio.PCM, f audio.Format, opt EncodeOptions) error {
	opt.SampleRate = p.Rate
	e, err := c.NewStreamEncoder(ctx, w, f, p.Rate, p.Channels, opt)
	if err != nil {
		return err
	}
	werr := e.Write(p)
	if err := e.Close(); werr == nil {
		werr = err
	}
	return werr
}

func atOrAbove(rates []int, want int) int {
	for _, r := range rates {
		if r >= want {
			return r
		}
	}
	return rates[len(rates)-1]
}

func buffered(w io.Writer, write func(io.Writer) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("codec: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("codec: %w", err)
	}
	return nil
}

func encodeRaw(w io.Writer, p *audio.PCM) error {
	// A headerless 16-bit WAV body is exactly s16le.
	return wav.NewBodyEncoder(w, p.Channels, wav.PCM16).Write(p.Samples)
}

// ContentType returns the MIME type to serve format f with:
// audio/wav (also for μ-law, which is written as a WAV file), audio/mpeg,
// audio/flac, audio/ogg, "audio/ogg; codecs=opus", audio/webm, audio/mp4,
// audio/aac.
// Raw PCM is application/octet-stream: the registered audio/L16 type
// (RFC 2586) means big-endian samples, and ours are little-endian.
func ContentType(f audio.Format) string {
	switch f {
	case audio.FormatWAV, audio.FormatULaw:
		return "audio/wav"
	case audio.FormatMP3:
		return "audio/mpeg"
	case audio.FormatFLAC:
		return "audio/flac"
	case audio.FormatOGG:
		return "audio/ogg"
	case audio.FormatOpus:
		return "audio/ogg; codecs=opus"
	case audio.FormatWebM:
		return "audio/webm"
	case audio.FormatM4A:
		return "audio/mp4"
	case audio.FormatAAC:
		return "audio/aac"
	}
	return "application/octet-stream"
}

// OutputFormats lists the formats Encode writes.
func OutputFormats() []audio.Format {
	return []audio.Format{audio.FormatWAV, audio.FormatMP3, audio.FormatOpus, audio.FormatAAC, audio.FormatFLAC, audio.FormatPCM, audio.FormatULaw}
}

// OutputNames lists the format names ParseFormat accepts, for people:
// each output format once, and "ogg", which writes Ogg Opus, beside "opus".
func OutputNames() []string {
	return []string{"wav", "mp3", "flac", "ogg", "opus", "aac", "pcm", "ulaw"}
}

func outputNames() string { return strings.Join(OutputNames(), ", ") }

// formatNames maps names and extensions to output formats. ".ogg" means
// Ogg Opus, the only Ogg voxclone writes.
var formatNames = map[string]audio.Format{
	"wav": audio.FormatWAV, "wave": audio.FormatWAV,
	"mp3":  audio.FormatMP3,
	"opus": audio.FormatOpus, "ogg": audio.FormatOpus, "oga": audio.FormatOpus,
	"flac": audio.FormatFLAC,
	"aac":  audio.FormatAAC, "adts": audio.FormatAAC,
	"pcm": audio.FormatPCM, "raw": audio.FormatPCM, "s16le": audio.FormatPCM,
	"ulaw": audio.FormatULaw, "mulaw": audio.FormatULaw, "u-law": audio.FormatULaw, "μlaw": audio.FormatULaw,
}

// ParseFormat returns the output format named by s: a format name ("mp3"),
// an extension (".mp3") or a file name ("out.mp3"), case-insensitively.
// Unknown names fail with audio.ErrUnsupportedFormat, listing the outputs.
func ParseFormat(s string) (audio.Format, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if ext := filepath.Ext(name); ext != "" {
		name = ext[1:]
	}
	if f, ok := formatNames[name]; ok && slices.Contains(OutputFormats(), f) {
		return f, nil
	}
	return audio.FormatUnknown, fmt.Errorf("codec: unknown output format %q (outputs: %s): %w", s, outputNames(), audio.ErrUnsupportedFormat)
}
