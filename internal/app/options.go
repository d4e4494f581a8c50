package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
)

// This file holds the checks and messages the command line shares with the
// service, so that `voxclone say` and the API refuse the same values in
// the same words.

// CheckVoiceOptions validates how a text is to be spoken: speed 0.5–2,
// pitch −12…12 semitones, similarity 0–1 when given. Anything else is
// EInvalid. Synthesize reads a speed of 0 as 1 before checking.
func CheckVoiceOptions(speed, pitch float64, similarity *float64) error {
	switch {
	case !(speed >= 0.5 && speed <= 2):
		return Errorf(EInvalid, "Speed must be between 0.5 and 2.")
	case !(pitch >= -12 && pitch <= 12):
		return Errorf(EInvalid, "Pitch must be between -12 and 12 semitones.")
	case similarity != nil && !(*similarity >= 0 && *similarity <= 1):
		return Errorf(EInvalid, "Similarity must be between 0 and 1.")
	}
	return nil
}

// CheckSampleRate validates an output sample rate: 0 for the default, or
// codec.MinRate–codec.MaxRate Hz; anything else is EInvalid.
func CheckSampleRate(rate int) error {
	if rate != 0 && (rate < codec.MinRate || rate > codec.MaxRate) {
		return Errorf(EInvalid, "Sample rate must be between %d and %d Hz, or 0 for the default.", codec.MinRate, codec.MaxRate)
	}
	return nil
}

// Bit rates a request may ask of the compressed formats, in kbit/s.
const MinBitrate, MaxBitrate = 8, 320

// CheckBitrate validates a compressed format's bit rate: 0 for the
// format's default, or MinBitrate–MaxBitrate kbit/s; anything else is
// EInvalid.
func CheckBitrate(kbps int) error {
	if kbps != 0 && (kbps < MinBitrate || kbps > MaxBitrate) {
		return Errorf(EInvalid, "Bit rate must be between %d and %d kbit/s, or 0 for the default.", MinBitrate, MaxBitrate)
	}
	return nil
}

// ParseOutputFormat returns the output format a name asks for (one of
// codec.OutputNames); anything else is EInvalid, naming the choices.
func ParseOutputFormat(name string) (audio.Format, error) {
	f, err := codec.ParseFormat(name)
	if err != nil {
		return "", &Error{Code: EInvalid, Err: err,
			Message: fmt.Sprintf("Unknown output format %q; choose one of %s.", truncate(name, 20), strings.Join(codec.OutputNames(), ", "))}
	}
	return f, nil
}

// DecodeError is what a user hears when audio does not decode: an
// unsupported container is EUnsupported, anything else EUnprocessable,
// each with a message that says what to do.
func DecodeError(ctx context.Context, f audio.Format, err error) error {
	return decodeError(ctx, f, err)
}

// EngineError is what a user hears when the engine refuses a text
// (EInvalid); any other engine error is internal.
func EngineError(ctx context.Context, err error) error {
	return engineError(ctx, err)
}
