package codec

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/ffmpeg"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// StreamEncoder encodes audio that arrives in pieces, writing each piece's
// bytes to the output as soon as the format allows, so a listener can start
// before the audio is complete. Nothing is written before the first Write,
// so the first bytes out carry audio.
//
// Streams differ from Encode's files where a file would need its length up
// front: WAV and μ-law headers give the size as unknown (0xFFFFFFFF, read
// as "to the end of the stream"), FLAC's stream header has no sample count
// or checksum, and MP3 has no LAME tag, so decoders keep the encoder's
// ≈50 ms of leading silence. Resampling carries its state from piece to
// piece (dsp.SharpResampler), so the stream holds the same samples as
// Encode of the pieces joined, wherever the pieces begin and end; the
// price is that each piece's last few milliseconds (2–7 ms, the filter's
// look-ahead) go out with the next piece or at Close. A StreamEncoder is
// not safe for concurrent use.
type StreamEncoder struct {
	in, out, ch int
	rs          *dsp.SharpResampler
	sink        sink
	err         error
}

// sink receives samples at the output rate.
type sink interface {
	write(samples []float32) error
	close() error
}

// OutputRate is the rate Encode and NewStreamEncoder write format f at for
// input at rate in when want Hz is asked for (0: the input's rate, 8000 for
// μ-law); formats with a fixed set of rates round up to one of them.
func OutputRate(in int, f audio.Format, want int) (int, error) {
	return outputRate(in, f, want)
}

// NewStreamEncoder returns an encoder of format f (one of OutputFormats)
// writing to w, for pieces of channels-channel audio at rate Hz. MP3,
// Opus and AAC run an external encoder (lame or ffmpeg) for the whole
// stream, started here so that its start-up overlaps with producing the
// first piece; cancelling ctx stops it. Close must be called to finish the
// stream and release the encoder. Errors wrap audio.ErrUnsupportedFormat
// as Encode's do.
func (c *Codec) NewStreamEncoder(ctx context.Context, w io.Writer, f audio.Format, rate, channels int, opt EncodeOptions) (*StreamEncoder, error) {
	if rate <= 0 || channels < 1 || channels > 8 {
		return nil, fmt.Errorf("codec: stream of %d channels at %d Hz: %w", channels, rate, audio.ErrUnsupportedFormat)
	}
	out, err := outputRate(rate, f, opt.SampleRate)
	if err != nil {
		return nil, err
	}
	e := &StreamEncoder{in: rate, out: out, ch: channels, rs: dsp.NewSharpResampler(rate, out, channels)}
	switch f {
	case audio.FormatWAV:
		enc := wav.PCM16
		if opt.Float {
			enc = wav.Float32
		}
		e.sink = &wavSink{w: bufio.NewWriterSize(w, 32<<10), rate: out, ch: channels, enc: enc}
	case audio.FormatULaw:
		e.sink = &wavSink{w: bufio.NewWriterSize(w, 32<<10), rate: out, ch: channels, enc: wav.MuLaw}
	case audio.FormatPCM:
		e.sink = &wavSink{w: bufio.NewWriterSize(w, 32<<10), rate: out, ch: channels, enc: wav.PCM16, raw: true}
	case audio.FormatFLAC:
		e.sink = &flacSink{w: bufio.NewWriterSize(w, 32<<10), rate: out, ch: channels}
	case audio.FormatMP3, audio.FormatOpus, audio.FormatAAC:
		e.sink, err = c.processSink(ctx, w, f, out, channels, opt)
	default:
		err = fmt.Errorf("codec: cannot write %q (outputs: %s): %w", f, outputNames(), audio.ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Rate is the sample rate of the encoded audio.
func (e *StreamEncoder) Rate() int { return e.out }

// Write encodes one piece, which must have the rate and channel count the
// encoder was made for. After an error every later call fails with it.
func (e *StreamEncoder) Write(p *audio.PCM) error {
	if e.err != nil {
		return e.err
	}
	if p.Rate != e.in || p.Channels != e.ch {
		panic("codec: StreamEncoder.Write with another rate or channel count")
	}
	if p.Frames() == 0 {
		return nil
	}
	return e.write(e.rs.Write(p).Samples)
}

// write passes samples at the output rate to the sink; a resampler may
// have none ready yet.
func (e *StreamEncoder) write(x []float32) error {
	if len(x) == 0 {
		return nil
	}
	if err := e.sink.write(x); err != nil {
		e.err = fmt.Errorf("codec: %w", err)
	}
	return e.err
}

// Close writes what the resampler and the format hold back (the filter's
// look-ahead, the last FLAC block, the encoder's delay) and ends the
// stream; it does not close the writer. An encoder that failed is released
// all the same.
func (e *StreamEncoder) Close() error {
	if e.err == nil {
		e.write(e.rs.Flush().Samples)
	}
	err := e.sink.close()
	if e.err != nil {
		return e.err
	}
	if err != nil {
		e.err = fmt.Errorf("codec: %w", err)
	}
	return e.err
}

// wavSink writes WAV with an unknown length, μ-law WAV, or headerless
// s16le (raw), flushing every piece through to the writer.
type wavSink struct {
	w       *bufio.Writer
	rate    int
	ch      int
	enc     wav.Encoding
	raw     bool
	encoder *wav.Encoder
}

func (s *wavSink) write(x []float32) error {
	if s.encoder == nil {
		if s.raw {
			s.encoder = wav.NewBodyEncoder(s.w, s.ch, s.enc)
		} else if enc, err := wav.NewEncoder(s.w, s.rate, s.ch, s.enc, -1); err != nil {
			return err
		} else {
			s.encoder = enc
		}
	}
	if err := s.encoder.Write(x); err != nil {
		return err
	}
	return s.w.Flush()
}

func (s *wavSink) close() error {
	if s.encoder == nil {
		// No audio at all: still a valid, empty stream.
		if err := s.write(nil); err != nil {
			return err
		}
	}
	if err := s.encoder.Close(); err != nil {
		return err
	}
	return s.w.Flush()
}

// processSink feeds s16le samples to an external encoder and copies what
// it writes to w from a goroutine, so encoded bytes go out as soon as the
// encoder emits them.
type processSink struct {
	pw   *io.PipeWriter
	done chan struct{}
	err  error // the copy's or the process's failure, set before done closes
	buf  []byte
}

// errEncoderGone is what writes see once the encoder stopped reading.
var errEncoderGone = errors.New("encoder stopped")

func (c *Codec) processSink(ctx context.Context, w io.Writer, f audio.Format, rate, ch int, opt EncodeOptions) (*processSink, error) {
	r, args, err := c.streamCommand(f, rate, ch, opt)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	rc, err := r.StartStream(ctx, pr, args...)
	if err != nil {
		return nil, fmt.Errorf("codec: starting the %s encoder: %w", f, err)
	}
	s := &processSink{pw: pw, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_, err := io.Copy(w, rc)
		// Unblock a producer waiting on a dead encoder before waiting for
		// the process, which waits for its input to end.
		pr.CloseWithError(errEncoderGone)
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		s.err = err
	}()
	return s, nil
}

func (s *processSink) write(x []float32) error {
	if cap(s.buf) < 2*len(x) {
		s.buf = make([]byte, 2*len(x))
	}
	b := s.buf[:2*len(x)]
	for i, v := range x {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(wav.Quantize16(v)))
	}
	if _, err := s.pw.Write(b); err != nil {
		<-s.done
		if s.err != nil {
			return s.err
		}
		return err
	}
	return nil
}

func (s *processSink) close() error {
	s.pw.Close()
	<-s.done
	return s.err
}

// streamCommand is the external encoder and its arguments for a stream of
// s16le at rate: lame for MP3 when installed (it starts in milliseconds),
// else ffmpeg. ffmpeg reads its pipe in small blocks and flushes every
// packet, or it would hold the first second of audio back.
func (c *Codec) streamCommand(f audio.Format, rate, ch int, opt EncodeOptions) (ffmpeg.StreamRunner, []string, error) {
	if lame, ok := c.LAME.(ffmpeg.StreamRunner); ok && f == audio.FormatMP3 {
		khz := strconv.FormatFloat(float64(rate)/1000, 'f', -1, 64)
		mode := map[bool]string{true: "m", false: "j"}[ch == 1]
		quality := []string{"-V", "4"}
		if opt.Bitrate > 0 {
			quality = []string{"-b", strconv.Itoa(opt.Bitrate)}
		}
		args := []string{"--quiet", "--noreplaygain", "--flush", "-r", "-s", khz, "--resample", khz,
			"--bitwidth", "16", "--signed", "--little-endian", "-m", mode}
		return lame, append(append(args, quality...), "-", "-"), nil
	}
	ff, ok := c.FFmpeg.(ffmpeg.StreamRunner)
	if !ok {
		return nil, nil, fmt.Errorf("codec: no streaming encoder configured for %s: %w", f, audio.ErrUnsupportedFormat)
	}
	args := []string{"-probesize", "32", "-analyzeduration", "0", "-f", "s16le", "-ar", strconv.Itoa(rate), "-ac", strconv.Itoa(ch),
		"-blocksize", "2048", "-i", "pipe:0"}
	kbps := func(def int) string {
		if opt.Bitrate > 0 {
			return strconv.Itoa(opt.Bitrate) + "k"
		}
		return strconv.Itoa(def*ch) + "k"
	}
	switch f {
	case audio.FormatMP3:
		q := []string{"-q:a", "4"}
		if opt.Bitrate > 0 {
			q = []string{"-b:a", kbps(0)}
		}
		args = append(append(append(args, "-c:a", "libmp3lame"), q...), "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3")
	case audio.FormatOpus:
		args = append(args, "-c:a", "libopus", "-b:a", kbps(32), "-page_duration", "100000", "-f", "ogg")
	case audio.FormatAAC:
		args = append(args, "-c:a", "aac", "-b:a", kbps(48), "-f", "adts")
	}
	return ff, append(args, "-flush_packets", "1", "pipe:1"), nil
}
