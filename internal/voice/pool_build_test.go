package voice

import (
	"context"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestLabelsWhenAlignmentFails: a transcript that no alignment can fit
// (here far more phones than the audio can hold) is not an error; the
// reference is labelled by phone recognition instead, as docs/engine.md
// ("Frame pool") promises.
func TestLabelsWhenAlignmentFails(t *testing.T) {
	ref, text := speechtest.Synthetic(t, "slt", 10)
	x, _, _, err := prepare64(ref)
	if err != nil {
		t.Fatal(err)
	}
	budget := float64(labelSeconds)
	if l, aligned, _ := labelFrames(context.Background(), x, text, &budget); l == nil || !aligned {
		t.Skip("the right transcript does not align (pocketsphinx model missing?)")
	}
	impossible := strings.Repeat("internationalization ", int(3*float64(len(x))/analysisRate))
	budget = labelSeconds
	labels, aligned, err := labelFrames(context.Background(), x, impossible, &budget)
	if err != nil {
		t.Fatalf("labelFrames: %v, want recognised labels", err)
	}
	if aligned || labels == nil {
		t.Errorf("got aligned=%v and %d labels, want recognised labels", aligned, len(labels))
	}
}
