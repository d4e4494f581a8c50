package consent

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice/align"
)

// fastReadings are shared recordings that, sped up by speechtest.Tempo,
// spotting scoring every other frame heard too few of their own words
// (under MinWordsFound) while scoring every frame heard enough (survey of
// 2026-12-07, docs/trust.md "Spoken consent").
var fastReadings = []struct {
	path  string
	speed float64
}{
	{"vctk_p225/p225_003.wav", 1.15},
	{"vctk_p226/p226_003.wav", 1.3},
	{"ljspeech_LJ/LJ001-0029.wav", 1.3},
	{"vctk_p225/p225_009.wav", 1.45},
	{"vctk_p226/p226_006.wav", 1.45},
}

// TestVerifyFastReading: an honest reading that the first spotting pass
// refuses passes on the second, and random challenges read as the same
// fast speech are still refused. At least one reading must need the
// second pass, or the test no longer tests it.
func TestVerifyFastReading(t *testing.T) {
	dir := speechtest.Dir(t)
	rng := rand.New(rand.NewPCG(13, 13))
	retried := 0
	for _, r := range fastReadings {
		path := filepath.Join(dir, r.path)
		name := fmt.Sprintf("%s×%.2f", r.path, r.speed)
		pcm := fast(t, path, r.speed)
		own := Challenge{Words: splitWords(speechtest.Transcript(path))}
		words, weights := own.vocabulary()
		heard, err := align.Spot(context.Background(), pcm, words, weights)
		if err != nil {
			t.Fatal(err)
		}
		if !own.checkWords(heard).OK() {
			retried++
		}
		if res, err := Verify(context.Background(), own, pcm); err != nil {
			t.Errorf("%s: honest reading refused: %v (heard %q)", name, err, res.Words.Heard)
		}
		for range 3 {
			c := NewChallenge(rng)
			if _, err := Verify(context.Background(), c, pcm); !errors.Is(err, ErrWrongWords) {
				t.Errorf("%s read as %q: %v, want %v", name, c.Phrase(), err, ErrWrongWords)
			}
		}
	}
	t.Logf("%d of %d readings needed the second pass", retried, len(fastReadings))
	if retried == 0 {
		t.Error("the first pass hears enough of every reading: the second pass is untested; use other readings")
	}
}

// fast loads a recording at 16 kHz mono, sped up by speed.
func fast(t *testing.T, path string, speed float64) *audio.PCM {
	t.Helper()
	m := speechtest.Load(t, path).Mono()
	if m.Rate != align.Rate {
		m = dsp.Resample(m, align.Rate)
	}
	return &audio.PCM{Rate: align.Rate, Channels: 1, Samples: speechtest.Tempo(m.Samples, align.Rate, speed)}
}
