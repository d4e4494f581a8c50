package eval

import (
	"context"
	"hash/crc32"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/watermark"
)

// Watermarked returns e with every synthesis marked as the service marks
// it (one whole-signal mark per sentence), under key, so a run with and a
// run without show whether the mark changes the engine's measures. The
// payload is a checksum of the text: fixed from run to run, and different
// from sentence to sentence as synthesis ids are.
func Watermarked(e Engine, key watermark.Key) Engine {
	return markedEngine{e, key}
}

type markedEngine struct {
	Engine
	key watermark.Key
}

func (m markedEngine) Synthesize(ctx context.Context, profile []byte, text string, opt voice.Options) (*audio.PCM, error) {
	pcm, err := m.Engine.Synthesize(ctx, profile, text, opt)
	if err != nil {
		return nil, err
	}
	return watermark.Embed(m.key, watermark.Payload(crc32.ChecksumIEEE([]byte(text))), pcm), nil
}

// Name is the engine's name, marked so reports tell the runs apart.
func (m markedEngine) Name() string {
	if n, ok := m.Engine.(interface{ Name() string }); ok {
		return n.Name() + "+watermark"
	}
	return "watermark"
}
