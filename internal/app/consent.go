package app

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/voxclone/voxclone/internal/consent"
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

// Consent statuses, as the API shows them.
const (
	ConsentPending  = "pending"  // it may be answered until ExpiresAt
	ConsentAnswered = "answered" // its recording was refused
	ConsentVerified = "verified" // it allows one clone within consent.ConsentTTL
	ConsentUsed     = "used"     // a voice was cloned under it
	ConsentExpired  = "expired"  // it was not answered, or not used, in time
)

// Status is what became of c by now: whether it can still be answered,
// or still allows a clone, as IssueConsent's and the clone's checks
// decide.
func (c Consent) Status(now time.Time) string {
	switch {
	case c.UsedFor != "":
		return ConsentUsed
	case c.VerifiedAt != nil && now.After(c.VerifiedAt.Add(consent.ConsentTTL)):
		return ConsentExpired
	case c.VerifiedAt != nil:
		return ConsentVerified
	case c.AnsweredAt != nil:
		return ConsentAnswered
	case !now.Before(c.ExpiresAt):
		return ConsentExpired
	}
	return ConsentPending
}

// ConsentStatus is c.Status by the service's clock.
func (s *Service) ConsentStatus(c Consent) string { return c.Status(s.now()) }

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

// OpenConsent returns one of the user's challenges if it can still be
// answered, and EConflict saying why not otherwise: so that an answer to
// a used or expired phrase is refused before its upload is read.
func (s *Service) OpenConsent(ctx context.Context, userID, id string) (Consent, error) {
	c, err := s.GetConsent(ctx, userID, id)
	if err != nil {
		return Consent{}, err
	}
	return c, s.answerable(c)
}

// GetConsent returns one of the user's challenges.
func (s *Service) GetConsent(ctx context.Context, userID, id string) (Consent, error) {
	if err := checkID(id, "consent challenge"); err != nil {
		return Consent{}, err
	}
	return s.store.FindConsent(ctx, userID, id)
}
