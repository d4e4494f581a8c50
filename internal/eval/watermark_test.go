package eval

import (
	"context"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
	"github.com/voxclone/voxclone/internal/watermark"
)

// speakingEngine answers every synthesis with the same recorded speech.
type speakingEngine struct{ pcm *audio.PCM }

func (e speakingEngine) Name() string { return "speaking" }
func (speakingEngine) Clone(context.Context, []voice.Reference) ([]byte, error) {
	return []byte("profile"), nil
}
func (e speakingEngine) Synthesize(context.Context, []byte, string, voice.Options) (*audio.PCM, error) {
	return e.pcm, nil
}

// TestWatermarked: the wrapped engine's speech carries the mark under the
// key, as long as it was, and the plain engine's does not.
func TestWatermarked(t *testing.T) {
	pcm, text := speechtest.Synthetic(t, "slt", 25)
	key, _ := watermark.KeyFrom([]byte("eval watermark test key"))
	e := Watermarked(speakingEngine{pcm}, key)
	marked, err := e.Synthesize(t.Context(), nil, text, voice.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if marked.Rate != pcm.Rate || marked.Frames() != pcm.Frames() {
		t.Errorf("marked %d frames at %d Hz, engine gave %d at %d Hz", marked.Frames(), marked.Rate, pcm.Frames(), pcm.Rate)
	}
	if r := watermark.Detect(key, marked); !r.Watermarked {
		t.Errorf("marked speech not found watermarked: %+v", r)
	}
	if r := watermark.Detect(key, pcm); r.Watermarked {
		t.Errorf("the engine's own speech found watermarked: %+v", r)
	}
	if n := e.(interface{ Name() string }).Name(); n != "speaking+watermark" {
		t.Errorf("Name() = %q", n)
	}
}
