package prep

import (
	"strings"
	"testing"
)

// TestSpeechWarnings: the report warns exactly below the advised amounts,
// and a warning says what more speech would bring, so a sample inside the
// advice gets none.
func TestSpeechWarnings(t *testing.T) {
	for _, tc := range []struct {
		sec  float64
		want []string // substrings of the warning; nil: no warning
	}{
		{0.2, []string{"no speech found"}},
		{9.9, []string{"too little speech: 9.9 s", "at least 10 s needed", "30 s or more recommended"}},
		{MinSpeechSeconds, []string{"little speech: 10.0 s", "30 s or more recommended", "how each sound is said from up to 30 s of speech"}},
		{28.1, []string{"little speech: 28.1 s", "in this sample or with others"}},
		{RecommendedSpeechSeconds, nil},
		{60, nil},
	} {
		w := speechScore(tc.sec).warning
		if tc.want == nil && w != "" {
			t.Errorf("%.1f s of speech: warning %q, want none", tc.sec, w)
		}
		for _, s := range tc.want {
			if !strings.Contains(w, s) {
				t.Errorf("%.1f s of speech: warning %q lacks %q", tc.sec, w, s)
			}
		}
	}
}
