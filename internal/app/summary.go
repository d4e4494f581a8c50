package app

import (
	"context"
	"errors"

	"github.com/voxclone/voxclone/internal/voice"
)

// ModelSummary describes one of the user's ready models for its owner:
// what the engine measured and how new recordings would improve it
// (voice.Profile.Summary). Another user's model is ENotFound; a model that
// failed to build is EUnprocessable, as Synthesize answers it.
func (s *Service) ModelSummary(ctx context.Context, userID, id string) (*voice.Summary, error) {
	m, err := s.findModel(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if m.Status != ModelReady {
		return nil, Errorf(EUnprocessable, "This voice model has no profile to describe: %s", m.Failure)
	}
	v, err := s.voice(ctx, m)
	if err != nil {
		return nil, err
	}
	p, err := v.Profile()
	if errors.Is(err, voice.ErrBadProfile) {
		// The same bytes would fail synthesis too; the user's way out is
		// to clone again, which an internal error would not tell them.
		return nil, &Error{Code: EUnprocessable, Err: err,
			Message: "This voice model's profile cannot be read by this version of voxclone: clone the voice again from its samples."}
	} else if err != nil {
		return nil, err
	}
	return p.Summary(), nil
}
