package codec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// MaxDecodedSamples bounds decoded audio, all channels together: 2^25
// float32 samples are 128 MB, about 6 minutes of 44.1 kHz stereo or 35
// minutes of 16 kHz mono. Longer input fails with audio.ErrTooLarge: a voice
// sample needs a few minutes at most, and compressed uploads could
// otherwise expand a hundredfold.
const MaxDecodedSamples = 1 << 25

// supported names the input formats for error messages.
const supported = "WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus, WebM, M4A/AAC and ADTS AAC"

// Codec decodes and encodes with a given ffmpeg (and optionally lame). The
// package-level functions use Default; tests build their own with a fake
// Runner.
type Codec struct {
	FFmpeg ffmpeg.Runner
	// LAME, when set, encodes MP3 instead of ffmpeg: the same encoder
	// library, but the program starts in milliseconds rather than the tens
	// ffmpeg spends loading every codec it has.
	LAME ffmpeg.Runner
}

// Default uses the ffmpeg on $PATH, and lame when it is installed. Its
// ffmpeg keeps a spare encoder of each recent kind waiting, so a stream's
// first bytes do not wait for ffmpeg to load (ffmpeg.Warm).
var Default = newDefault()

func newDefault() *Codec {
	c := &Codec{FFmpeg: &ffmpeg.Warm{Exec: &ffmpeg.Exec{}}}
	if path, err := exec.LookPath("lame"); err == nil {
		c.LAME = &ffmpeg.Command{Path: path}
	}
	return c
}

// Decode decodes a whole file held in memory with Default.
func Decode(ctx context.Context, data []byte) (*audio.PCM, audio.Format, error) {
	return Default.Decode(ctx, data)
}

// Decode sniffs data's format and decodes it to PCM at its own rate and
// channel count. Errors wrap audio.ErrEmpty (no bytes or no samples),
// audio.ErrUnsupportedFormat (not a format listed in the package doc; the
// message names them), audio.ErrCorrupt (recognised but undecodable) or
// audio.ErrTooLarge (over MaxDecodedSamples). The format is returned
// whenever it was recognised, even with an error.
func (c *Codec) Decode(ctx context.Context, data []byte) (*audio.PCM, audio.Format, error) {
	if len(data) == 0 {
		return nil, audio.FormatUnknown, fmt.Errorf("codec: empty input: %w", audio.ErrEmpty)
	}
	f := Sniff(data[:min(len(data), 1<<16)])
	var p *audio.PCM
	var err error
	switch f {
	case audio.FormatWAV:
		p, err = wav.DecodeBytes(data, MaxDecodedSamples)
	case audio.FormatMP3:
		p, err = c.decodeMPEG(ctx, data)
	case audio.FormatFLAC:
		p, err = decodeFLAC(data)
	case audio.FormatOGG, audio.FormatOpus, audio.FormatWebM, audio.FormatM4A, audio.FormatAAC:
		p, err = c.decodeFFmpeg(ctx, data, f)
	default:
		return nil, f, fmt.Errorf("codec: not a recognised audio file (supported: %s): %w", supported, audio.ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, f, fmt.Errorf("codec: decoding %s: %w", f, err)
	}
	if p.Frames() == 0 {
		return nil, f, fmt.Errorf("codec: decoding %s: %w", f, audio.ErrEmpty)
	}
	return p, f, nil
}

// decodeFFmpeg has ffmpeg convert the input to 16-bit WAV on stdout, which
// carries the rate and channel count with it. 16 bits are ample for a lossy
// source and halve the pipe traffic of float.
func (c *Codec) decodeFFmpeg(ctx context.Context, data []byte, f audio.Format) (*audio.PCM, error) {
	if c.FFmpeg == nil {
		return nil, fmt.Errorf("no ffmpeg configured for %s: %w", f, audio.ErrUnsupportedFormat)
	}
	in, stdin := "pipe:0", data
	if f == audio.FormatM4A || f == audio.FormatMP3 {
		// MP4 files usually keep their index (moov) after the audio, which
		// ffmpeg cannot reach through a pipe, and ffmpeg drops an MP3's
		// end padding (from the LAME tag) only when it can seek: give it a
		// seekable file.
		path, cleanup, err := tempFile(data, "in."+string(f))
		if err != nil {
			return nil, err
		}
		defer cleanup()
		in, stdin = path, nil
	}
	var args []string
	if f == audio.FormatMP3 {
		// The caller has already found MPEG frames: ffmpeg's own probe
		// could take a file with a long ID3 tag for something else.
		args = []string{"-f", "mp3"}
	}
	rc, err := c.FFmpeg.Start(ctx, stdin, append(args,
		"-i", in, "-map", "0:a:0", "-vn", "-c:a", "pcm_s16le", "-f", "wav", "pipe:1")...)
	if err != nil {
		return nil, err
	}
	// Decode straight from the pipe: memory holds the samples only once,
	// and an over-long stream stops ffmpeg at the limit.
	p, derr := wav.Decode(rc, MaxDecodedSamples)
	cerr := rc.Close()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case cerr != nil:
		return nil, fmt.Errorf("%w: %w", audio.ErrCorrupt, cerr)
	case derr != nil && !errors.Is(derr, audio.ErrTooLarge):
		return nil, fmt.Errorf("%w: ffmpeg output: %w", audio.ErrCorrupt, derr)
	}
	return p, derr
}

// tempFile writes data to a new private temporary file and returns its path
// and a function that removes it.
func tempFile(data []byte, name string) (string, func(), error) {
	dir, err := os.MkdirTemp("", "voxclone-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		cleanup()
		return "", nil, err
	}
	return path, cleanup, nil
}
