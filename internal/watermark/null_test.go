package watermark

import (
	"fmt"
	"slices"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/speechtest"
	"github.com/voxclone/voxclone/internal/voice"
)

// nullWindows detects in every sec-s window of p (a new one every step
// seconds) and returns the scores and how many were called watermarked.
func nullWindows(p *audio.PCM, sec int, step float64) (scores []float64, marked int) {
	for _, ex := range cuts(p, sec, step) {
		r := Detect(testKey, ex)
		scores = append(scores, r.Score)
		if r.Watermarked {
			marked++
		}
	}
	return scores, marked
}

// TestFalsePositives runs the detector on unmarked audio: every 3-s window
// (one starting every 0.4 s, so neighbours overlap) of the real
// recordings (at the engine's output rate), and of the engine's unmarked
// output for ten voices (one every 0.2 s). At most 0.1% may be called
// watermarked. The scores' upper quantiles are what the thresholds in
// detect.go were set from. The windows are shorter than legacyMin, so
// since 2026-12-07 they measure the short pilot alone (soloRule).
func TestFalsePositives(t *testing.T) {
	if raceEnabled {
		t.Skip("measurement; too slow under -race")
	}
	var human, engine []float64
	var humanFP, engineFP int
	for _, sp := range speechtest.Speakers(t) {
		for _, path := range speechtest.WAVs(t, sp) {
			p := dsp.Resample(speechtest.Load(t, path).Mono(), voice.OutputRate)
			s, fp := nullWindows(p, 3, 0.4)
			human, humanFP = append(human, s...), humanFP+fp
		}
	}
	for _, v := range engineCorpus(t) {
		s, fp := nullWindows(v.pcm, 3, 0.2)
		engine, engineFP = append(engine, s...), engineFP+fp
	}
	for _, c := range []struct {
		name   string
		scores []float64
		fp     int
	}{{"real speech", human, humanFP}, {"engine output", engine, engineFP}} {
		checkNull(t, c.name, c.scores, c.fp)
	}
}

// checkNull holds the scores of unmarked windows, fp of them called
// watermarked, to the target: at least 1,000 windows, at most 0.1% called.
func checkNull(t *testing.T, name string, scores []float64, fp int) {
	t.Helper()
	t.Logf("%s: %d windows, %d called watermarked; score %s", name, len(scores), fp, quantiles(scores))
	if len(scores) < 1000 {
		t.Errorf("%s: only %d windows, want ≥ 1000", name, len(scores))
	}
	if float64(fp) > 0.001*float64(len(scores)) {
		t.Errorf("%s: %d false positives in %d windows, want ≤ 0.1%%", name, fp, len(scores))
	}
}

func quantiles(s []float64) string {
	s = slices.Clone(s)
	slices.Sort(s)
	q := func(f float64) float64 { return s[min(len(s)-1, int(f*float64(len(s))))] }
	return fmt.Sprintf("median %.2f, 99%% %.2f, 99.9%% %.2f, max %.2f", q(0.5), q(0.99), q(0.999), s[len(s)-1])
}

// longWindows are the excerpt lengths, in seconds, TestLongFalsePositives
// cuts: legacyMin, where both pilots are looked for at shortRule and
// legacyRule, and two where lengthen has raised both to longMax and
// legacyLongMax.
var longWindows = []int{6, 10, 20}

// TestLongFalsePositives is TestFalsePositives for excerpts of legacyMin
// and more, where both pilots are looked for: windows of 6, 10 and 20 s
// of each speaker's recordings joined into one signal (one every 1.5 s),
// so that windows span several recordings as a long upload would, and of
// the engine's unmarked output (one every 0.35 s). At most 0.1% may be
// called watermarked, and none was with lengthen (2026-12-07; before it,
// one 20-s window of real speech here, and two 10-s ones of 1,517 one
// every 0.4 s).
func TestLongFalsePositives(t *testing.T) {
	if raceEnabled {
		t.Skip("measurement; too slow under -race")
	}
	var human, engine []*audio.PCM
	for _, sp := range speechtest.Speakers(t) {
		joined := &audio.PCM{Rate: voice.OutputRate, Channels: 1}
		for _, path := range speechtest.WAVs(t, sp) {
			p := dsp.Resample(speechtest.Load(t, path).Mono(), voice.OutputRate)
			joined.Samples = append(joined.Samples, p.Samples...)
		}
		human = append(human, joined)
	}
	for _, v := range engineCorpus(t) {
		engine = append(engine, v.pcm)
	}
	for _, c := range []struct {
		name string
		pcm  []*audio.PCM
		step float64
	}{{"real speech", human, 1.5}, {"engine output", engine, 0.35}} {
		var all []float64
		var fp int
		for _, sec := range longWindows {
			var scores []float64
			marked := 0
			for _, p := range c.pcm {
				s, m := nullWindows(p, sec, c.step)
				scores, marked = append(scores, s...), marked+m
			}
			t.Logf("%s, %d-s windows: %d, %d called watermarked; score %s", c.name, sec, len(scores), marked, quantiles(scores))
			all, fp = append(all, scores...), fp+marked
		}
		checkNull(t, fmt.Sprintf("%s, windows of %v s", c.name, longWindows), all, fp)
	}
}
