package eval

import (
	"context"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// TestRecognizerFliteSentences decodes clean flite speech of the fixed
// sentences with both recognizers. The word loop can only choose among
// the sentences' words, so it must do much better than the open
// vocabulary, which hears real words it confuses.
func TestRecognizerFliteSentences(t *testing.T) {
	open, loop := DefaultRecognizer(), LoopRecognizer()
	if err := open.Check(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sentences := Sentences()
	for _, name := range []string{"slt", "rms"} {
		var utts []*audio.PCM
		for _, s := range sentences {
			r, err := flite.Synthesize(ctx, name, s, flite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			utts = append(utts, to16k(r.Audio))
		}
		loopWER := decodeWER(t, loop, name+" loop", utts, sentences)
		openWER := decodeWER(t, open, name+" open", utts, sentences)
		if loopWER > 0.15 {
			t.Errorf("%s: word-loop WER %.3f on clean flite speech, want ≤ 0.15", name, loopWER)
		}
		// Measured 0.33 (slt) and 0.28 (rms; the loop: 0.025 and 0.012),
		// deterministically. Garbled speech or a wrong model gives ≥ 0.8.
		if openWER > 0.4 || openWER <= loopWER {
			t.Errorf("%s: open-vocabulary WER %.3f, want ≤ 0.4 and above the word loop's %.3f", name, openWER, loopWER)
		}
	}
}

func decodeWER(t *testing.T, rec *Recognizer, what string, utts []*audio.PCM, sentences []string) float64 {
	t.Helper()
	hyps, err := rec.Transcribe(context.Background(), utts, sentences)
	if err != nil {
		t.Fatal(err)
	}
	var total ErrorCounts
	for i, h := range hyps {
		e := CountErrors(NormalizeWords(sentences[i]), NormalizeWords(h))
		total.Add(e)
		if e.Errors() > 0 {
			t.Logf("%s: %q heard as %q", what, sentences[i], h)
		}
	}
	t.Logf("%s: WER %.3f (%+v)", what, total.WER(), total)
	return total.WER()
}
