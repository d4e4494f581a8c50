package eval

import (
	"context"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

func TestRecognizerFliteSentences(t *testing.T) {
	rec := DefaultRecognizer()
	if err := rec.Check(); err != nil {
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
		hyps, err := rec.Transcribe(ctx, utts, sentences)
		if err != nil {
			t.Fatal(err)
		}
		var total ErrorCounts
		for i, h := range hyps {
			e := CountErrors(NormalizeWords(sentences[i]), NormalizeWords(h))
			total.Add(e)
			if e.Errors() > 0 {
				t.Logf("%s: %q heard as %q", name, sentences[i], h)
			}
		}
		t.Logf("%s: WER %.3f (%+v)", name, total.WER(), total)
		if total.WER() > 0.15 {
			t.Errorf("%s: WER %.3f on clean flite speech, want ≤ 0.15", name, total.WER())
		}
	}
}
