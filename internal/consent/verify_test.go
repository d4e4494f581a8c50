package consent

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// readings are up to perSpeaker utterances with a transcript from each
// speaker, at most maxSeconds long: a consent recording's length.
func readings(t *testing.T, perSpeaker int, maxSeconds float64) (pcms []*audio.PCM, texts []string) {
	t.Helper()
	for _, sp := range speechtest.Speakers(t) {
		n := 0
		for _, path := range speechtest.WAVs(t, sp) {
			text := speechtest.Transcript(path)
			if text == "" || n == perSpeaker {
				continue
			}
			p := speechtest.Load(t, path)
			if p.Seconds() > maxSeconds || p.Seconds() < 3 {
				continue
			}
			pcms, texts = append(pcms, p), append(texts, text)
			n++
		}
	}
	return pcms, texts
}

// TestWordCheckRates reads real speech against its own transcript (honest)
// and against a random challenge (wrong words), and reports how often each
// passes. VOXCLONE_CONSENT_READINGS raises the number per speaker.
func TestWordCheckRates(t *testing.T) {
	per := 3
	if os.Getenv("VOXCLONE_CONSENT_READINGS") != "" {
		per = 100
	}
	pcms, texts := readings(t, per, 12)
	rng := rand.New(rand.NewPCG(7, 7))
	var honest, wrong, n int
	for i, p := range pcms {
		own := Challenge{Words: splitWords(texts[i])}
		r, err := Verify(context.Background(), own, p)
		if errors.Is(err, ErrNoSpeech) {
			continue // under MinSpeech of speech: too short to be a consent reading
		}
		n++
		switch {
		case err == nil:
			honest++
		case !errors.Is(err, ErrWrongWords):
			t.Fatalf("reading %d: %v", i, err)
		default:
			t.Logf("honest reading %d refused: heard %q for %q", i, r.Words.Heard, texts[i])
		}
		if _, err := Verify(context.Background(), NewChallenge(rng), p); err == nil {
			wrong++
			t.Logf("wrong-word reading %d passed", i)
		}
	}
	t.Logf("honest readings passed %d/%d, wrong-word readings passed %d/%d", honest, n, wrong, n)
	if float64(honest) < 0.6*float64(n) {
		t.Errorf("only %d of %d honest readings pass", honest, n)
	}
	if wrong > 0 {
		t.Errorf("%d of %d readings of the wrong words pass", wrong, n)
	}
}
