package voice

import (
	"testing"

	"github.com/voxclone/voxclone/internal/audio/prep"
)

// TestLabelBudgetIsTheAdvice: the quality report advises
// prep.RecommendedSpeechSeconds of speech because the engine learns how
// each sound is said from that much (labelSeconds); the two must move
// together or the advice stops being true.
func TestLabelBudgetIsTheAdvice(t *testing.T) {
	if labelSeconds != prep.RecommendedSpeechSeconds {
		t.Errorf("the engine labels %v s of speech, the report advises %v s", labelSeconds, prep.RecommendedSpeechSeconds)
	}
}
