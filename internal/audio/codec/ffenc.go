package codec

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"

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

// flacBlock is the reference encoder's default block size.
const flacBlock = 4096

// encodeFLAC writes 16-bit FLAC in pure Go (fixed-predictor subframes). The
// stream header carries the total sample count, so the output needs no
// seeking back and can go straight to a network writer.
func encodeFLAC(w io.Writer, p *audio.PCM) error {
	if p.Channels > 8 {
		return fmt.Errorf("flac: %d channels: %w", p.Channels, audio.ErrUnsupportedFormat)
	}
	info := &meta.StreamInfo{
		BlockSizeMin: flacBlock, BlockSizeMax: flacBlock,
		SampleRate: uint32(p.Rate), NChannels: uint8(p.Channels), BitsPerSample: 16,
		NSamples: uint64(p.Frames()),
	}
	enc, err := flac.NewEncoder(nopCloser{w}, info)
	if err != nil {
		return err
	}
	ch, n := p.Channels, p.Frames()
	for num, start := uint64(0), 0; start < n; num, start = num+1, start+flacBlock {
		bs := min(flacBlock, n-start)
		fr := &frame.Frame{Header: frame.Header{
			HasFixedBlockSize: true, BlockSize: uint16(bs), SampleRate: uint32(p.Rate),
			Channels: frame.Channels(ch - 1), BitsPerSample: 16, Num: num,
		}}
		for c := 0; c < ch; c++ {
			sf := &frame.Subframe{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, NSamples: bs, Samples: make([]int32, bs)}
			for i := range sf.Samples {
				sf.Samples[i] = int32(wav.Quantize16(p.Samples[(start+i)*ch+c]))
			}
			fr.Subframes = append(fr.Subframes, sf)
		}
		if err := enc.WriteFrame(fr); err != nil {
			return err
		}
	}
	return enc.Close()
}

type nopCloser struct{ io.Writer }
