package codec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// maxEncoded bounds what an ffmpeg encode may produce; even 48 kHz stereo
// at 320 kbit/s needs under 3 MB a minute.
const maxEncoded = 256 << 20

// encodeFFmpeg encodes Opus or MP3 with an external encoder fed a WAV file
// on stdin.
func (c *Codec) encodeFFmpeg(ctx context.Context, w io.Writer, p *audio.PCM, f audio.Format, opt EncodeOptions) error {
	if f == audio.FormatMP3 {
		return c.encodeMP3(ctx, w, p, opt)
	}
	if c.FFmpeg == nil {
		return fmt.Errorf("codec: no ffmpeg configured for %s: %w", f, audio.ErrUnsupportedFormat)
	}
	in, err := wavBytes(p, wav.Float32)
	if err != nil {
		return err
	}
	kbps := opt.Bitrate
	if kbps == 0 {
		kbps = 32 * p.Channels
	}
	out, err := ffmpeg.Output(ctx, c.FFmpeg, in, maxEncoded, "-f", "wav", "-i", "pipe:0",
		"-c:a", "libopus", "-b:a", strconv.Itoa(kbps)+"k", "-f", "ogg", "pipe:1")
	if err != nil {
		return fmt.Errorf("codec: encoding opus: %w", err)
	}
	_, err = w.Write(out)
	return err
}

// encodeMP3 writes to a temporary file rather than stdout: only on a
// seekable output do lame and ffmpeg fill in the LAME tag's encoder delay
// and padding, which decoders need to return the exact length.
func (c *Codec) encodeMP3(ctx context.Context, w io.Writer, p *audio.PCM, opt EncodeOptions) error {
	path, cleanup, err := tempFile(nil, "out.mp3")
	if err != nil {
		return fmt.Errorf("codec: %w", err)
	}
	defer cleanup()
	quality := []string{"-V", "4"}
	if opt.Bitrate > 0 {
		quality = []string{"-b", strconv.Itoa(opt.Bitrate)}
	}
	var in []byte
	switch {
	case c.LAME != nil:
		if in, err = wavBytes(p, wav.PCM16); err == nil {
			_, err = ffmpeg.Output(ctx, c.LAME, in, 0, append(append([]string{"--quiet", "--noreplaygain"}, quality...), "-", path)...)
		}
	case c.FFmpeg != nil:
		q := []string{"-q:a", "4"}
		if opt.Bitrate > 0 {
			q = []string{"-b:a", strconv.Itoa(opt.Bitrate) + "k"}
		}
		if in, err = wavBytes(p, wav.Float32); err == nil {
			args := append([]string{"-f", "wav", "-i", "pipe:0", "-c:a", "libmp3lame"}, q...)
			_, err = ffmpeg.Output(ctx, c.FFmpeg, in, 0, append(args, "-fs", strconv.Itoa(maxEncoded), "-id3v2_version", "0", "-f", "mp3", "-y", path)...)
		}
	default:
		return fmt.Errorf("codec: no MP3 encoder configured: %w", audio.ErrUnsupportedFormat)
	}
	if err != nil {
		return fmt.Errorf("codec: encoding mp3: %w", err)
	}
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("codec: encoding mp3: %w", err)
	}
	defer fh.Close()
	_, err = io.Copy(w, io.LimitReader(fh, maxEncoded))
	return err
}

func wavBytes(p *audio.PCM, enc wav.Encoding) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(p.Samples)*4 + 64)
	if err := wav.Encode(&b, p, enc); err != nil {
		return nil, fmt.Errorf("codec: %w", err)
	}
	return b.Bytes(), nil
}

type nopCloser struct{ io.Writer }
