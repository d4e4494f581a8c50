package app_test

import (
	"context"
	"errors"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
)

// noEngine stands in where a test exercises no voice work: any use fails.
type noEngine struct{}

func (noEngine) Name() string { return "none" }
func (noEngine) Clone(context.Context, []voice.Reference) ([]byte, error) {
	return nil, errors.New("noEngine: not for voice work")
}
func (noEngine) Synthesize(context.Context, []byte, string, voice.Options) (*audio.PCM, error) {
	return nil, errors.New("noEngine: not for voice work")
}
