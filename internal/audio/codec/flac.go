package codec

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/wav"
)

// decodeFLAC decodes with mewkiz/flac frame by frame, so memory follows the
// samples present rather than the total the stream header claims.
func decodeFLAC(data []byte) (p *audio.PCM, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("flac decoder panic: %v: %w", r, audio.ErrCorrupt)
		}
	}()
	s, err := flac.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, audio.ErrCorrupt)
	}
	info := s.Info
	ch, bps := int(info.NChannels), int(info.BitsPerSample)
	if ch < 1 || ch > 8 || bps < 4 || bps > 32 || info.SampleRate == 0 {
		return nil, fmt.Errorf("flac: %d channels, %d bits: %w", ch, bps, audio.ErrCorrupt)
	}
	scale := 1 / float32(int64(1)<<(bps-1))
	out := make([]float32, 0, min(MaxDecodedSamples, 4*len(data)))
	for {
		fr, err := s.ParseNext()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if len(out) > 0 {
				break // keep what decoded before a damaged tail
			}
			return nil, fmt.Errorf("%v: %w", err, audio.ErrCorrupt)
		}
		if out, err = appendFrame(out, fr, ch, scale); err != nil {
			return nil, err
		}
	}
	return &audio.PCM{Rate: int(info.SampleRate), Channels: ch, Samples: out}, nil
}

// appendFrame interleaves one decoded frame onto out.
func appendFrame(out []float32, fr *frame.Frame, ch int, scale float32) ([]float32, error) {
	if len(fr.Subframes) != ch {
		return nil, fmt.Errorf("flac: frame with %d channels in a %d-channel stream: %w", len(fr.Subframes), ch, audio.ErrCorrupt)
	}
	n := int(fr.BlockSize)
	for _, sf := range fr.Subframes {
		n = min(n, len(sf.Samples))
	}
	if len(out)+n*ch > MaxDecodedSamples {
		return nil, fmt.Errorf("more than %d samples: %w", MaxDecodedSamples, audio.ErrTooLarge)
	}
	for i := 0; i < n; i++ {
		for c := 0; c < ch; c++ {
			out = append(out, float32(fr.Subframes[c].Samples[i])*scale)
		}
	}
	return out, nil
}

// flacBlock is the reference encoder's default block size.
const flacBlock = 4096

// encodeFLAC writes 16-bit FLAC in pure Go. The stream header carries the
// total sample count, so the output needs no seeking back and can go
// straight to a network writer.
func encodeFLAC(w io.Writer, p *audio.PCM) error {
	s := &flacSink{w: w, rate: p.Rate, ch: p.Channels, frames: p.Frames()}
	if err := s.write(p.Samples); err != nil {
		return err
	}
	return s.close()
}

// flacSink encodes FLAC block by block as samples arrive, holding back
// less than one block. frames is the total length when known, else 0
// (which FLAC's stream header reads as unknown). When w is a
// *bufio.Writer it is flushed after every write, so a stream's blocks go
// out as they are made.
type flacSink struct {
	w       io.Writer
	rate    int
	ch      int
	frames  int
	enc     *flac.Encoder
	pending []float32 // interleaved samples of the next, incomplete block
	num     uint64
}

func (s *flacSink) start() error {
	if s.ch > 8 {
		return fmt.Errorf("flac: %d channels: %w", s.ch, audio.ErrUnsupportedFormat)
	}
	info := &meta.StreamInfo{
		BlockSizeMin: flacBlock, BlockSizeMax: flacBlock,
		SampleRate: uint32(s.rate), NChannels: uint8(s.ch), BitsPerSample: 16,
		NSamples: uint64(s.frames),
	}
	var err error
	s.enc, err = flac.NewEncoder(nopCloser{s.w}, info)
	return err
}

func (s *flacSink) write(x []float32) error {
	if s.enc == nil {
		if err := s.start(); err != nil {
			return err
		}
	}
	s.pending = append(s.pending, x...)
	n := len(s.pending) / (flacBlock * s.ch) * flacBlock * s.ch
	for off := 0; off < n; off += flacBlock * s.ch {
		if err := s.frame(s.pending[off : off+flacBlock*s.ch]); err != nil {
			return err
		}
	}
	s.pending = append(s.pending[:0], s.pending[n:]...)
	return s.flush()
}

func (s *flacSink) close() error {
	if s.enc == nil {
		if err := s.start(); err != nil {
			return err
		}
	}
	if len(s.pending) > 0 {
		if err := s.frame(s.pending); err != nil {
			return err
		}
		s.pending = nil
	}
	if err := s.enc.Close(); err != nil {
		return err
	}
	return s.flush()
}

func (s *flacSink) flush() error {
	if bw, ok := s.w.(*bufio.Writer); ok {
		return bw.Flush()
	}
	return nil
}

// frame writes one block of interleaved samples as verbatim subframes
// (the encoder picks fixed predictors where they are smaller).
func (s *flacSink) frame(x []float32) error {
	ch := s.ch
	bs := len(x) / ch
	fr := &frame.Frame{Header: frame.Header{
		HasFixedBlockSize: true, BlockSize: uint16(bs), SampleRate: uint32(s.rate),
		Channels: frame.Channels(ch - 1), BitsPerSample: 16, Num: s.num,
	}}
	s.num++
	for c := 0; c < ch; c++ {
		sf := &frame.Subframe{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, NSamples: bs, Samples: make([]int32, bs)}
		for i := range sf.Samples {
			sf.Samples[i] = int32(wav.Quantize16(x[i*ch+c]))
		}
		fr.Subframes = append(fr.Subframes, sf)
	}
	return s.enc.WriteFrame(fr)
}
