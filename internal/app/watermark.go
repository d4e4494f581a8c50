package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"math"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
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
// the engine's output. A synthesis that then fails calls dropMarker.
func (s *Service) newMarker(ctx context.Context, syn Synthesis) (*watermark.Embedder, error) {
	p := payloadFor(s.wmKey, syn.ID)
	if err := s.store.AddWatermark(ctx, syn.UserID, syn.ID, p, s.now()); err != nil {
		return nil, err
	}
	return watermark.NewEmbedder(s.wmKey, watermark.Payload(p), voice.OutputRate), nil
}

// dropMarker forgets the payload of a synthesis that will not reach the
// history (it failed, was cancelled or lost to another run), so that no
// trace of it stays. It runs even when ctx has ended, as it has when the
// client went away. Should it fail, the row still goes with the account.
func (s *Service) dropMarker(ctx context.Context, syn Synthesis) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := s.store.DeleteWatermark(ctx, syn.UserID, syn.ID); err != nil {
		s.log.Error("delete watermark", slog.String("synthesis", syn.ID), slog.Any("err", err))
	}
}

// DefaultWatermarkOrphanAge is how long the payload of a synthesis not yet
// in the history is kept when Config.WatermarkOrphanAge is zero. A day is
// far longer than a synthesis renders: a job of MaxJobTextRunes runs at
// most 100 minutes with the default job time limit (10 minutes per 10,000
// characters), and a streamed synthesis of as many renders in about 5
// CPU minutes; only a client that reads its stream at a trickle for a
// day outlasts it, and then loses no audio, only the naming of its
// synthesis by detect.
const DefaultWatermarkOrphanAge = 24 * time.Hour

// PruneWatermarks deletes the payloads of syntheses that never reached
// the history and were added longer ago than Config.WatermarkOrphanAge:
// their process died while rendering (a synthesis that fails drops its
// own). A periodic job calls it.
func (s *Service) PruneWatermarks(ctx context.Context) error {
	n, err := s.store.PruneWatermarks(ctx, s.now().Add(-s.cfg.WatermarkOrphanAge))
	if err == nil && n > 0 {
		s.log.Info("pruned watermarks of syntheses never recorded", slog.Int64("deleted", n))
	}
	return err
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
	d, err := s.detectWatermark(ctx, userID, r)
	s.Audit(ctx, Event{Kind: AuditDetect, UserID: userID, Subject: d.SynthesisID, Detail: detectDetail(d, err)})
	return d, err
}

// AuditDetectUnread records a detection whose upload was refused before
// DetectWatermark could read it (err, e.g. a form that is not multipart),
// as DetectWatermark records the files it cannot read.
func (s *Service) AuditDetectUnread(ctx context.Context, userID string, err error) {
	s.Audit(ctx, Event{Kind: AuditDetect, UserID: userID, Detail: detectDetail(Detection{}, err)})
}

// detectDetail notes a detection's outcome for the log: whether the file
// was marked or why it could not be read, never anything of the audio.
func detectDetail(d Detection, err error) string {
	switch {
	case err != nil:
		return "error=" + ErrorCode(err)
	case d.Watermarked:
		return "watermarked=yes"
	}
	return "watermarked=no"
}

func (s *Service) detectWatermark(ctx context.Context, userID string, r io.Reader) (Detection, error) {
	data, err := s.readUpload(r)
	if err != nil {
		return Detection{}, err
	}
	// The detector's work grows with the length, not the bytes: a small
	// file at a low rate can be hours long. Longer than an upload may be
	// is refused, by its headers before decoding, as an upload is.
	var res watermark.Result
	err = s.withDecoded(ctx, data, s.cfg.MaxUploadSeconds, func(pcm *audio.PCM, _ audio.Format) error {
		res = watermark.Detect(s.wmKey, pcm)
		return nil
	})
	var long tooLongError
	if errors.As(err, &long) {
		return Detection{}, Errorf(ETooLarge, "The recording is %.0f minutes long; at most %.0f minutes can be checked. Send an excerpt: half a minute finds the mark, a minute or two names the synthesis.",
			math.Ceil(float64(long)/60), s.cfg.MaxUploadSeconds/60)
	}
	if err != nil {
		return Detection{}, err
	}
	d := Detection{Watermarked: res.Watermarked, Confidence: res.Confidence}
	if !res.Watermarked {
		return d, nil
	}
	syn, err := s.markedSynthesis(ctx, userID, res)
	if err != nil || syn == nil {
		return d, err
	}
	d.SynthesisID, d.CreatedAt = syn.ID, &syn.CreatedAt
	return d, nil
}

// MaxMatchCandidates bounds how many syntheses a detection compares the
// mark with: the user's newest here, the instance's newest in the CLI's
// detect. matchPage is how many history entries it reads at once.
// Only the id and time of each are kept: an entry's text can be 100,000
// characters.
const (
	MaxMatchCandidates = 20000
	matchPage          = 100
)

// markedSynthesis finds the user's synthesis a detected mark points at:
// the payload itself when its CRC checks, else the best of the user's own
// recent syntheses when one matches clearly. Nil when none of the user's
// does (whoever else's it may be).
func (s *Service) markedSynthesis(ctx context.Context, userID string, res watermark.Result) (*Synthesis, error) {
	if res.PayloadOK {
		syn, err := s.store.FindWatermark(ctx, uint32(res.Payload))
		if err == nil && syn.UserID == userID {
			return &syn, nil
		}
		if err != nil && ErrorCode(err) != ENotFound {
			return nil, err
		}
	}
	var (
		cands []watermark.Payload
		syns  []HistoryCursor
		after *HistoryCursor
	)
	for len(syns) < MaxMatchCandidates {
		page, err := s.store.ListHistory(ctx, userID, matchPage, after)
		if err != nil {
			return nil, err
		}
		for _, syn := range page {
			syns = append(syns, HistoryCursor{CreatedAt: syn.CreatedAt, ID: syn.ID})
			cands = append(cands, watermark.Payload(payloadFor(s.wmKey, syn.ID)))
		}
		if len(page) < matchPage {
			break
		}
		after = &syns[len(syns)-1]
	}
	if i := res.Match(cands); i >= 0 {
		return &Synthesis{ID: syns[i].ID, UserID: userID, CreatedAt: syns[i].CreatedAt}, nil
	}
	return nil, nil
}
