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
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// maxEncoded bounds what an ffmpeg encode may produce; even 48 kHz stereo
// at 320 kbit/s needs under 3 MB a minute.
const maxEncoded = 256 << 20

// encodeFFmpeg pipes float WAV into ffmpeg. MP3 goes to a temporary file
// rather than stdout: only on a seekable output does ffmpeg fill in the
// LAME tag's encoder delay and padding, which decoders need to return the
// exact length.
func (c *Codec) encodeFFmpeg(ctx context.Context, w io.Writer, p *audio.PCM, f audio.Format, opt EncodeOptions) error {
	if c.FFmpeg == nil {
		return fmt.Errorf("codec: no ffmpeg configured for %s: %w", f, audio.ErrUnsupportedFormat)
	}
	var in bytes.Buffer
	in.Grow(len(p.Samples)*4 + 64)
	if err := wav.Encode(&in, p, wav.Float32); err != nil {
		return fmt.Errorf("codec: %w", err)
	}
	args := []string{"-f", "wav", "-i", "pipe:0"}
	if f == audio.FormatOpus {
		kbps := opt.Bitrate
		if kbps == 0 {
			kbps = 32 * p.Channels
		}
		args = append(args, "-c:a", "libopus", "-b:a", strconv.Itoa(kbps)+"k", "-f", "ogg", "pipe:1")
		out, err := c.FFmpeg.Run(ctx, in.Bytes(), maxEncoded, args...)
		if err != nil {
			return fmt.Errorf("codec: encoding opus: %w", err)
		}
		_, err = w.Write(out)
		return err
	}
	path, cleanup, err := tempFile(nil, "out.mp3")
	if err != nil {
		return fmt.Errorf("codec: %w", err)
	}
	defer cleanup()
	args = append(args, "-c:a", "libmp3lame")
	if opt.Bitrate > 0 {
		args = append(args, "-b:a", strconv.Itoa(opt.Bitrate)+"k")
	} else {
		args = append(args, "-q:a", "4")
	}
	args = append(args, "-fs", strconv.Itoa(maxEncoded), "-id3v2_version", "0", "-f", "mp3", "-y", path)
	if _, err := c.FFmpeg.Run(ctx, in.Bytes(), 0, args...); err != nil {
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
