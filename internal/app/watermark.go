package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"io"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/watermark"
)

// Every synthesis carries a watermark whose payload is the first 32 bits
// of HMAC-SHA256(key, synthesis id): unguessable without the key, so a
// mark cannot be forged to point at someone else's synthesis, and mapped
// back through the store's table of payloads.

// Detection is what DetectWatermark finds in a file. SynthesisID and
// CreatedAt are set only for the owner of the synthesis the mark points at.
type Detection struct {
	Watermarked bool
	Confidence  float64
	SynthesisID string
	CreatedAt   *time.Time
}

// watermarkKey derives the mark's key from the configured secret, or from
// the token signing secret when none is configured (tests).
func watermarkKey(cfg Config) (watermark.Key, error) {
	secret := cfg.WatermarkKey
	if len(secret) == 0 {
		secret = append([]byte("watermark:"), cfg.JWTSecret...)
	}
	return watermark.KeyFrom(secret)
}

// payloadFor is the payload marked into synthesis id's audio.
func payloadFor(k watermark.Key, id string) uint32 {
	m := hmac.New(sha256.New, k[:])
	io.WriteString(m, id)
	return binary.BigEndian.Uint32(m.Sum(nil))
}

// newMarker records the synthesis's payload and returns an embedder for
// the engine's output.
func (s *Service) newMarker(ctx context.Context, syn Synthesis) (*watermark.Embedder, error) {
	p := payloadFor(s.wmKey, syn.ID)
	if err := s.store.AddWatermark(ctx, syn.ID, p); err != nil {
		return nil, err
	}
	return watermark.NewEmbedder(s.wmKey, watermark.Payload(p), voice.OutputRate), nil
}

// markChunk marks one chunk of engine output.
func markChunk(m *watermark.Embedder, c *audio.PCM) *audio.PCM {
	return &audio.PCM{Rate: c.Rate, Channels: 1, Samples: m.Write(c.Samples)}
}

// DetectWatermark looks for this instance's watermark in an uploaded file
// (read like a sample: at most Config.MaxUploadBytes, any container the
// upload decoders know). Whoever asks learns whether this instance made
// it; only the owner of the synthesis learns which one it was.
func (s *Service) DetectWatermark(ctx context.Context, userID string, r io.Reader) (Detection, error) {
	data, err := s.readUpload(r)
	if err != nil {
		return Detection{}, err
	}
	if codec.Sniff(data) == audio.FormatUnknown {
		return Detection{}, decodeError(ctx, audio.FormatUnknown, audio.ErrUnsupportedFormat)
	}
	if err := ChargeBudget(ctx); err != nil {
		return Detection{}, err
	}
	pcm, format, err := codec.Decode(ctx, data)
	if err != nil {
		return Detection{}, decodeError(ctx, format, err)
	}
	res := watermark.Detect(s.wmKey, pcm)
	d := Detection{Watermarked: res.Watermarked, Confidence: res.Confidence}
	if !res.Watermarked || !res.PayloadOK {
		return d, nil
	}
	syn, err := s.store.FindWatermark(ctx, uint32(res.Payload))
	if ErrorCode(err) == ENotFound {
		return d, nil
	}
	if err != nil {
		return Detection{}, err
	}
	if syn.UserID == userID {
		d.SynthesisID, d.CreatedAt = syn.ID, &syn.CreatedAt
	}
	return d, nil
}
