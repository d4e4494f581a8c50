package codec

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"

	"github.com/voxclone/voxclone/internal/audio"
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
