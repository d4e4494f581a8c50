package app

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/speaker"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/watermark"
)

// Spoken consent: before a clone (when Config.RequireConsent), the user
// reads a challenge phrase aloud; the recording must say it, must not be
// voxclone's own output, and its voice must match every sample cloned.
// A challenge is answered once, within consent.ChallengeTTL; a verified
// consent is good for one clone within consent.ConsentTTL.

// Consent is a challenge and what became of it.
type Consent struct {
	ID         string     `json:"id"`
	UserID     string     `json:"-"`
	Statement  string     `json:"statement"`
	Words      []string   `json:"words"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	// Print is the verified recording's voice print (speaker.Print).
	Print []byte `json:"-"`
	// UsedFor is the model the consent was used for.
	UsedFor string `json:"used_for,omitempty"`
}

// Phrase is what the user reads aloud.
func (c Consent) Phrase() string { return c.challenge().Phrase() }

func (c Consent) challenge() consent.Challenge {
	return consent.Challenge{Statement: c.Statement, Words: c.Words}
}

// ConsentStore keeps consent challenges.
type ConsentStore interface {
	// CreateConsent stores c unless its user already holds maxOpen open
	// challenges (unanswered, expiring after c.CreatedAt); then it stores
	// nothing and is ERateLimited with the time the first of them expires.
	// It is atomic: concurrent callers, in any process, never together
	// leave more than maxOpen open.
	CreateConsent(ctx context.Context, c Consent, maxOpen int) (firstExpiry time.Time, err error)
	FindConsent(ctx context.Context, userID, id string) (Consent, error)
	// AnswerConsent marks the user's challenge answered at at, if it is
	// neither answered nor expired then; ENotFound otherwise, so of two
	// concurrent answers one wins.
	AnswerConsent(ctx context.Context, userID, id string, at time.Time) error
	// VerifyConsent records that the answer passed, with its voice print.
	VerifyConsent(ctx context.Context, userID, id string, at time.Time, print []byte) error
	// UsableConsent returns the user's newest consent verified at or after
	// since and not yet used; ENotFound when there is none.
	UsableConsent(ctx context.Context, userID string, since time.Time) (Consent, error)
	// UseConsent records that the consent was used for a model; ENotFound
	// when it was used already.
	UseConsent(ctx context.Context, userID, id, modelID string) error
	// ListConsents returns every challenge of the user, newest first.
	ListConsents(ctx context.Context, userID string) ([]Consent, error)
	// PruneConsents deletes every challenge created before before,
	// whoever's, except those used for a model that still exists, and
	// returns how many it deleted.
	PruneConsents(ctx context.Context, before time.Time) (int64, error)
}

// MaxOpenConsents is how many challenges a user may hold unanswered and
// unexpired at once. Reading one takes a minute; more open at once serve
// only to fill the store.
const MaxOpenConsents = 3

// MinConsentRetention is the least time challenges are kept: pruning must
// never take one that can still be answered or used (consent.ChallengeTTL,
// then consent.ConsentTTL).
const MinConsentRetention = 48 * time.Hour

// IssueConsent draws a new challenge for the user. A user holding
// MaxOpenConsents open ones is ERateLimited until the first expires.
func (s *Service) IssueConsent(ctx context.Context, userID string) (Consent, error) {
	if err := ChargeBudget(ctx); err != nil {
		return Consent{}, err
	}
	ch := s.newChallenge()
	now := s.now()
	c := Consent{ID: NewID(), UserID: userID, Statement: ch.Statement, Words: ch.Words,
		CreatedAt: now, ExpiresAt: now.Add(consent.ChallengeTTL)}
	if first, err := s.store.CreateConsent(ctx, c, MaxOpenConsents); ErrorCode(err) == ERateLimited {
		return Consent{}, tooManyOpen(first.Sub(now))
	} else if err != nil {
		return Consent{}, err
	}
	s.Audit(ctx, Event{Kind: AuditConsentIssued, UserID: userID, Subject: c.ID})
	return c, nil
}

func tooManyOpen(wait time.Duration) error {
	wait = max(wait, time.Second)
	minutes := "1 minute"
	if n := int(math.Ceil(wait.Minutes())); n > 1 {
		minutes = fmt.Sprintf("%d minutes", n)
	}
	return &Error{Code: ERateLimited, RetryAfter: wait, Message: fmt.Sprintf(
		"You already have %d consent phrases waiting to be read. Record the newest one, or ask for a new phrase in %s, when the oldest expires.",
		MaxOpenConsents, minutes)}
}

// PruneConsents deletes the challenges older than Config.AuditRetention
// (the audit events naming them go then too), or MinConsentRetention when
// that is longer, except those a voice that still exists was cloned
// under: they stay as its record. The periodic audit prune calls it.
func (s *Service) PruneConsents(ctx context.Context) error {
	n, err := s.store.PruneConsents(ctx, s.now().Add(-max(s.cfg.AuditRetention, MinConsentRetention)))
	if err == nil && n > 0 {
		s.log.Info("pruned consent challenges", slog.Int64("deleted", n))
	}
	return err
}

func (s *Service) newChallenge() consent.Challenge {
	if s.cfg.ConsentChallenge != nil {
		return s.cfg.ConsentChallenge()
	}
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	return consent.NewChallenge(rand.New(rand.NewChaCha8(seed)))
}

// GetConsent returns one of the user's challenges.
func (s *Service) GetConsent(ctx context.Context, userID, id string) (Consent, error) {
	if err := checkID(id, "consent challenge"); err != nil {
		return Consent{}, err
	}
	return s.store.FindConsent(ctx, userID, id)
}

// VerifyConsent checks a recording of the challenge id read aloud. Any
// answer uses the challenge up; a refusal is EConsentRefused with a
// message saying what to do.
func (s *Service) VerifyConsent(ctx context.Context, userID, id string, r io.Reader) (Consent, error) {
	c, err := s.GetConsent(ctx, userID, id)
	if err != nil {
		return Consent{}, err
	}
	if err := s.answerable(c); err != nil {
		return Consent{}, err
	}
	data, err := s.readUpload(r)
	if err != nil {
		return Consent{}, err
	}
	if codec.Sniff(data) == audio.FormatUnknown {
		return Consent{}, decodeError(ctx, audio.FormatUnknown, audio.ErrUnsupportedFormat)
	}
	if err := ChargeBudget(ctx); err != nil {
		return Consent{}, err
	}
	pcm, format, err := codec.Decode(ctx, data)
	if err != nil {
		return Consent{}, decodeError(ctx, format, err)
	}
	now := s.now()
	if err := s.store.AnswerConsent(ctx, userID, id, now); ErrorCode(err) == ENotFound {
		return Consent{}, s.answerable(Consent{AnsweredAt: &now, ExpiresAt: c.ExpiresAt})
	} else if err != nil {
		return Consent{}, err
	}
	c.AnsweredAt = &now
	print, err := s.checkRecording(ctx, c, pcm)
	if err != nil {
		if ErrorCode(err) == EConsentRefused {
			s.Audit(ctx, Event{Kind: AuditConsentRefused, UserID: userID, Subject: id, Detail: refusalDetail(err)})
		}
		return Consent{}, err
	}
	if err := s.store.VerifyConsent(ctx, userID, id, now, print); err != nil {
		return Consent{}, err
	}
	c.VerifiedAt, c.Print = &now, print
	s.Audit(ctx, Event{Kind: AuditConsentVerified, UserID: userID, Subject: id})
	return c, nil
}

// answerable says why a challenge can no longer be answered.
func (s *Service) answerable(c Consent) error {
	switch {
	case c.AnsweredAt != nil:
		return Errorf(EConflict, "This consent phrase was already used. Ask for a new phrase and record it.")
	case !s.now().Before(c.ExpiresAt):
		return Errorf(EConflict, "This consent phrase has expired (a phrase is good for %d minutes). Ask for a new phrase and record it.",
			int(consent.ChallengeTTL/time.Minute))
	}
	return nil
}

// checkRecording refuses voxclone's own output and recordings that do not
// say the phrase, and returns the voice print of one that does.
func (s *Service) checkRecording(ctx context.Context, c Consent, pcm *audio.PCM) ([]byte, error) {
	if watermark.Detect(s.wmKey, pcm).Watermarked {
		return nil, &Error{Code: EConsentRefused, Err: errWatermarked,
			Message: "This recording carries voxclone's watermark: it is synthesized speech, not a person. Ask for a new phrase and record yourself reading it."}
	}
	res, err := consent.Verify(ctx, c.challenge(), pcm)
	switch {
	case errors.Is(err, consent.ErrNoSpeech), errors.Is(err, consent.ErrWrongWords), errors.Is(err, consent.ErrTooLong):
		return nil, &Error{Code: EConsentRefused, Err: err, Message: sentenceCase(refusalText(err)) + ". Ask for a new phrase and record it again."}
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return res.Print.MarshalBinary()
}

var errWatermarked = errors.New("watermarked")

// refusalText is the user-facing part of a consent refusal: the reason's
// own words, without the figures wrapped around them.
func refusalText(err error) string {
	for _, e := range []error{consent.ErrNoSpeech, consent.ErrWrongWords, consent.ErrTooLong} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return err.Error()
}

// refusalDetail is the audit log's short reason for a refusal.
func refusalDetail(err error) string {
	switch {
	case errors.Is(err, errWatermarked):
		return "watermarked"
	case errors.Is(err, consent.ErrNoSpeech):
		return "no_speech"
	case errors.Is(err, consent.ErrWrongWords):
		return "wrong_words"
	case errors.Is(err, consent.ErrTooLong):
		return "too_long"
	}
	return "other"
}

// checkConsent finds the user's usable consent and checks that every
// sample is its voice; it returns the consent to use up.
func (s *Service) checkConsent(ctx context.Context, userID string, samples []Sample) (Consent, error) {
	c, err := s.store.UsableConsent(ctx, userID, s.now().Add(-consent.ConsentTTL))
	if ErrorCode(err) == ENotFound {
		return Consent{}, Errorf(EConsentRequired,
			"Cloning needs your spoken consent first: ask for a consent phrase (POST /api/voice/consent), record yourself reading it and upload the recording (POST /api/voice/consent/{id}), then clone within %d hours.",
			int(consent.ConsentTTL/time.Hour))
	} else if err != nil {
		return Consent{}, err
	}
	var pr speaker.Print
	if err := pr.UnmarshalBinary(c.Print); err != nil {
		return Consent{}, err
	}
	refs, err := s.decodeSamples(ctx, samples)
	if err != nil {
		return Consent{}, err
	}
	pcms := make([]*audio.PCM, len(refs))
	for i, r := range refs {
		pcms[i] = r.Audio
	}
	if err := consent.MatchSamples(&pr, pcms); errors.Is(err, consent.ErrMismatch) {
		return Consent{}, &Error{Code: EConsentMismatch, Err: err, Message: mismatchMessage(err)}
	} else if err != nil {
		return Consent{}, err
	}
	return c, nil
}

func mismatchMessage(err error) string {
	which := "A sample"
	var me *consent.MismatchError
	if errors.As(err, &me) {
		which = fmt.Sprintf("Sample %d of the clone", me.Sample+1)
	}
	return which + " does not sound like the voice in your consent recording. Clone only recordings of the person who recorded the consent, or have that person record the consent phrase."
}
