package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/voxclone/voxclone/internal/admission"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// DefaultDecodeBudget is how many bytes of decoded audio all uploads being
// analysed at once may hold together, when Config.DecodeBudget is zero.
const DefaultDecodeBudget = 192 << 20

// DefaultMaxUploadSeconds bounds an upload's length, pauses included:
// MaxSpeechSeconds of speech with room for pauses.
const DefaultMaxUploadSeconds = 360

// ErrBusy is in the chain of the EUnavailable error a use case returns
// when the engine is busy: every slot of Config.Admission is taken and the
// short queue for one is full, or was waited in vain. Its RetryAfter says
// when to try again. Nothing was charged to the user's budget.
var ErrBusy = admission.ErrBusy

// admit takes a slot of the engine gate for work someone is waiting to
// be answered: it queues briefly, then is EUnavailable (ErrBusy). It is
// taken before the budget is charged, so a busy answer costs nothing.
func (s *Service) admit(ctx context.Context) (func(), error) {
	if s.cfg.Admission == nil {
		return func() {}, nil
	}
	release, err := s.cfg.Admission.Acquire(ctx)
	var be *admission.BusyError
	if errors.As(err, &be) {
		return nil, &Error{Code: EUnavailable, RetryAfter: be.RetryAfter, Err: err,
			Message: fmt.Sprintf("The server is busy with other voice work; try again in %d s.", ceilSeconds(be.RetryAfter.Seconds()))}
	}
	return release, err
}

// admitWait takes a slot of the engine gate for background work (a
// queued task), waiting as long as it takes: refusing would only have the
// task retried.
func (s *Service) admitWait(ctx context.Context) (func(), error) {
	if s.cfg.Admission == nil {
		return func() {}, nil
	}
	return s.cfg.Admission.Wait(ctx)
}

// decodeSlot reserves room in the decoding budget for decoding data, as
// codec.Probe estimates it, and returns the function that frees it. An
// upload that could never fit the budget is refused at once rather than
// waiting for ever.
func (s *Service) decodeSlot(ctx context.Context, pr codec.Probe) (func(), error) {
	n := min(pr.DecodedBytes(), s.cfg.DecodeBudget)
	if err := s.decoding.Acquire(ctx, n); err != nil {
		return nil, err
	}
	return func() { s.decoding.Release(n) }, nil
}

func ceilSeconds(v float64) int {
	n := int(v)
	if float64(n) < v {
		n++
	}
	return max(n, 1)
}
