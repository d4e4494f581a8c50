package voice

import (
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/tts/flite"
)

// TestPhoneActivityPredictsSpeakingTime checks the rate fit's shortcut on
// text outside calibrationText: the speaking time predicted from flite's
// phone durations must stay within 3% of speakingTime on the audio flite
// renders for the same text (0–1.6% on real transcripts, docs/engine.md).
func TestPhoneActivityPredictsSpeakingTime(t *testing.T) {
	bs, err := bases()
	if err != nil {
		t.Fatal(err)
	}
	text := "The stale smell of old beer lingers, and it takes heat to bring out the odor. " +
		"A cold dip restores health and zest; a salt pickle tastes fine with ham. " +
		benchSentence + " Tacos al pastor are my favorite, said Mr. Whitfield in 1998."
	for _, v := range baseVoices {
		var measured, predicted float64
		for _, s := range splitSentences(text) {
			r, err := flite.Synthesize(context.Background(), v, s, flite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			measured += speakingTime(toFloat64(r.Audio.Samples), r.Audio.Rate, 0)
			phones, err := flite.Durations(context.Background(), v, s, flite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			predicted += bs[v].Activity.seconds(phones)
		}
		if math.Abs(predicted/measured-1) > 0.03 {
			t.Errorf("%s: predicted %.2f s of speaking time, rendered audio has %.2f s", v, predicted, measured)
		}
		t.Logf("%s: predicted %.2f s, measured %.2f s", v, predicted, measured)
	}
}
