package watermark

import (
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// TestMeasure is the measurement behind docs/trust.md's figures over 892
// excerpts: the ten voices of engineCorpus marked four times with
// different payloads (the first marking is TestRobustness's), each
// marking run through the transforms, cut into 3-s excerpts one a second
// (223 per marking), and each excerpt detected. It reports, per
// transform, the share found and the mean score, and per voice the mean
// score and the excerpts missed; every excerpt's score goes to a file, so
// that two runs can be compared excerpt by excerpt.
//
// It runs only when VOXCLONE_WM_MEASURE names a directory, where the
// transformed audio is kept (under VOXCLONE_WM_MARK, "current" unless
// set: name another when the embedder changes), so that a change of the
// detector is measured again without encoding anything.
// VOXCLONE_WM_LABEL names the scores' file.
func TestMeasure(t *testing.T) {
	dir := os.Getenv("VOXCLONE_WM_MEASURE")
	if dir == "" {
		t.Skip("set VOXCLONE_WM_MEASURE to a directory to measure")
	}
	mark := envOr("VOXCLONE_WM_MARK", "current")
	label := envOr("VOXCLONE_WM_LABEL", mark)
	names := map[string]bool{}
	for _, n := range strings.Split(envOr("VOXCLONE_WM_TRANSFORMS", "none,mp3 64k,opus 24k,aac 64k,ulaw 8k,resample 8000,noise 20 dB SNR"), ",") {
		names[n] = true
	}
	corpus := engineCorpus(t)
	if err := os.MkdirAll(filepath.Join(dir, mark), 0o700); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(dir, "scores-"+label+".tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	var report strings.Builder
	for _, tr := range transforms {
		if names[tr.name] {
			report.WriteString(measureTransform(t, filepath.Join(dir, mark), tr, corpus, out))
		}
	}
	t.Logf("label %s, mark %s\n%s", label, mark, report.String())
}

// measureTransform detects every 3-s excerpt of the corpus's four
// markings after tr (their audio kept in dir), writes each excerpt's score
// to out, and returns the report's line: the share found, the mean score,
// and per voice the mean score and the excerpts missed.
func measureTransform(t *testing.T, dir string, tr transform, corpus []engineVoice, out *os.File) string {
	type hit struct {
		voice int
		score float64
	}
	var mu sync.Mutex
	var hits []hit
	var lines []string
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for m := range 4 {
		for i, v := range corpus {
			got := markedTransformed(t, dir, tr, m, i, v)
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				for j, ex := range excerpts(got, 1) {
					r := Detect(testKey, ex)
					mu.Lock()
					hits = append(hits, hit{i, r.Score})
					lines = append(lines, fmt.Sprintf("%s\t%d\t%s\t%d\t%.4f\n", tr.name, m, v.name, j, r.Score))
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	sort.Strings(lines)
	for _, l := range lines {
		if _, err := out.WriteString(l); err != nil {
			t.Fatal(err)
		}
	}
	var found int
	var sum float64
	perN, perMiss, perSum := make([]int, len(corpus)), make([]int, len(corpus)), make([]float64, len(corpus))
	for _, h := range hits {
		sum += h.score
		perN[h.voice]++
		perSum[h.voice] += h.score
		if h.score >= soloRule.threshold {
			found++
		} else {
			perMiss[h.voice]++
		}
	}
	var report strings.Builder
	fmt.Fprintf(&report, "%-16s %4d excerpts, found %5.1f%% (mean %.2f);", tr.name, len(hits), 100*float64(found)/float64(len(hits)), sum/float64(len(hits)))
	for i, v := range corpus {
		fmt.Fprintf(&report, " %s %.2f/%d", v.name, perSum[i]/float64(perN[i]), perMiss[i])
	}
	report.WriteString("\n")
	return report.String()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// markedTransformed returns voice v marked (marking m) and transformed,
// from dir when it was made before.
func markedTransformed(t *testing.T, dir string, tr transform, m, i int, v engineVoice) *audio.PCM {
	path := filepath.Join(dir, fmt.Sprintf("%d-%s-%s.f32", m, v.name, strings.ReplaceAll(tr.name, " ", "_")))
	if b, err := os.ReadFile(path); err == nil && len(b) > 4 {
		p := &audio.PCM{Rate: int(binary.LittleEndian.Uint32(b)), Channels: 1, Samples: make([]float32, (len(b)-4)/4)}
		for j := range p.Samples {
			p.Samples[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[4+4*j:]))
		}
		return p
	}
	p := tr.do(t, markInPieces(v.pcm, testPayload(m, i)))
	b := make([]byte, 4+4*len(p.Samples))
	binary.LittleEndian.PutUint32(b, uint32(p.Rate))
	for j, s := range p.Samples {
		binary.LittleEndian.PutUint32(b[4+4*j:], math.Float32bits(s))
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTransformsRepeat: every transform gives the same samples twice from
// the same input, so the figures measured through them are not a draw
// that another run would change: the real encoders (libopus, ffmpeg's
// AAC, LAME) and decoders included. The Ogg container differs from run to
// run (a random stream serial number) but not the audio decoded from it.
// Were a transform ever to draw, one run's share of excerpts found would
// say little, and docs/trust.md's figures would need several runs.
func TestTransformsRepeat(t *testing.T) {
	if raceEnabled {
		t.Skip("runs the encoders; too slow under -race")
	}
	speakers := speechtest.Speakers(t)
	p := markInPieces(speechtest.Load(t, speechtest.WAVs(t, speakers[0])[0]), testPayload(0, 0))
	for _, tr := range append(append([]transform{}, transforms...), bestEffort...) {
		a, b := tr.do(t, p), tr.do(t, p)
		if a.Rate != b.Rate || !slices.Equal(a.Samples, b.Samples) {
			t.Errorf("%s: two runs on the same input differ", tr.name)
		}
	}
}
