package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/speaker"
	"github.com/voxclone/voxclone/internal/consent"
	"github.com/voxclone/voxclone/internal/watermark"
)

// VerifyConsent checks a recording of the challenge id read aloud. Any
// answer that is audio uses the challenge up; a refusal is
// EConsentRefused with a message saying what to do. The recording is
// decoded and checked within the bounds uploads have (see withProbed),
// and one longer than consent.MaxRecording by its headers is refused
// without being decoded.
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
	pr, err := codec.ProbeBytes(data)
	if err != nil {
		return Consent{}, decodeError(ctx, pr.Format, err)
	}
	print, err := s.checkAnswer(ctx, &c, data, pr)
	if ErrorCode(err) == EConsentRefused {
		s.Audit(ctx, Event{Kind: AuditConsentRefused, UserID: userID, Subject: id, Detail: refusalDetail(err)})
	}
	if err != nil {
		return Consent{}, err
	}
	if err := s.store.VerifyConsent(ctx, userID, id, *c.AnsweredAt, print); err != nil {
		return Consent{}, err
	}
	c.VerifiedAt, c.Print = c.AnsweredAt, print
	s.Audit(ctx, Event{Kind: AuditConsentVerified, UserID: userID, Subject: id})
	return c, nil
}

// checkAnswer decodes and checks the recording data, probed as pr, that
// answers c, and returns its voice print.
func (s *Service) checkAnswer(ctx context.Context, c *Consent, data []byte, pr codec.Probe) ([]byte, error) {
	if pr.Seconds > consent.MaxRecording {
		return nil, s.answer(ctx, c, func() error { return refusal(consent.ErrTooLong) })
	}
	var print []byte
	err := s.withProbed(ctx, data, pr, 0, func(pcm *audio.PCM, _ audio.Format) error {
		return s.answer(ctx, c, func() (err error) {
			print, err = s.checkRecording(ctx, *c, pcm)
			return err
		})
	})
	return print, err
}

// answer uses the challenge c up, as of now, and then runs check: of two
// answers at once, one is checked and the other told the phrase was used.
func (s *Service) answer(ctx context.Context, c *Consent, check func() error) error {
	now := s.now()
	if err := s.store.AnswerConsent(ctx, c.UserID, c.ID, now); ErrorCode(err) == ENotFound {
		// Either another answer won, or the phrase expired while this
		// recording was uploaded and decoded: say which.
		gone := Consent{ExpiresAt: c.ExpiresAt}
		if now.Before(c.ExpiresAt) {
			gone.AnsweredAt = &now
		}
		return s.answerable(gone)
	} else if err != nil {
		return err
	}
	c.AnsweredAt = &now
	return check()
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
		return nil, refusal(err)
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return res.Print.MarshalBinary()
}

// refusal is the EConsentRefused error for one of consent's reasons.
func refusal(err error) error {
	return &Error{Code: EConsentRefused, Err: err, Message: sentenceCase(refusalText(err)) + ". Ask for a new phrase and record it again."}
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
// sample is its voice; it returns the consent to use up. The check is
// engine work done while the client waits: it takes a slot of the engine
// gate and holds one decoded sample at a time, within the decoding budget.
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
	release, err := s.admit(ctx)
	if err != nil {
		return Consent{}, err
	}
	defer release()
	for i, smp := range samples {
		if err := s.matchSample(ctx, &pr, i, smp); errors.Is(err, consent.ErrMismatch) {
			// The consent stays usable, so the refusal keeps its charge:
			// comparing the samples again and again must not be free.
			BudgetFrom(ctx).Keep()
			s.Audit(ctx, Event{Kind: AuditConsentRefused, UserID: userID, Subject: c.ID, Detail: "mismatch sample=" + smp.ID})
			return Consent{}, &Error{Code: EConsentMismatch, Err: err, Message: mismatchMessage(err)}
		} else if err != nil {
			return Consent{}, err
		}
	}
	return c, nil
}

// matchSample decodes the stored sample numbered i, within the decoding
// budget, and checks that it is the voice of the consent print.
func (s *Service) matchSample(ctx context.Context, pr *speaker.Print, i int, smp Sample) error {
	data, err := s.readBlob(ctx, smp.BlobKey, maxStoredBlob)
	if err != nil {
		return err
	}
	probe, err := codec.ProbeBytes(data)
	if err != nil {
		return decodeError(ctx, probe.Format, err)
	}
	pcm, _, free, err := s.decodeProbed(ctx, data, probe)
	if err != nil {
		return err
	}
	defer free()
	return consent.MatchSample(pr, i, pcm)
}

func mismatchMessage(err error) string {
	which := "A sample"
	var me *consent.MismatchError
	if errors.As(err, &me) {
		which = fmt.Sprintf("Sample %d of the clone", me.Sample+1)
	}
	return which + " does not sound like the voice in your consent recording. Clone only recordings of the person who recorded the consent, or have that person record the consent phrase."
}
