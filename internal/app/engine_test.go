package app_test

import (
	"context"
	"errors"

	"github.com/voxclone/voxclone/internal/voice"
)

// noEngine stands in where a test exercises no voice work: any use fails.
type noEngine struct{}

func (noEngine) Name() string { return "none" }
func (noEngine) Clone(context.Context, []voice.Reference) ([]byte, error) {
	return nil, errors.New("noEngine: not for voice work")
}
func (noEngine) Stream(context.Context, voice.Speaker, *voice.Script, voice.Options, func(voice.Chunk) error) error {
	return errors.New("noEngine: not for voice work")
}
