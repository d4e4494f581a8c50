package speaker

import (
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/speechtest"
)

// consentExcerpt is how much of an utterance stands in for a consent
// recording: about what reading the challenge phrase takes.
const consentExcerpt = 6 * rate

type utterance struct {
	speaker int
	excerpt [][]float64 // the consent-like first seconds
	all     [][]float64
}

type trials struct {
	same, diff []float64 // distances
	// sameCorpus are the different-speaker distances between speakers of
	// one corpus (same microphones and rooms): the hard cases.
	sameCorpus []float64
}

// runTrials scores every utterance's excerpt against the rest of its own
// speaker's speech (same) and against all the speech of every other speaker
// (different), as a consent recording is scored against clone samples.
func runTrials(t *testing.T) trials {
	t.Helper()
	var utts []utterance
	var corpus []string // per utterance
	speakers := speechtest.Speakers(t)
	for s, name := range speakers {
		for _, path := range speechtest.WAVs(t, name) {
			p := speechtest.Load(t, path).Mono()
			p = dsp.Resample(p, rate)
			e := newExtractor()
			all := e.speechCeps(p.Samples)
			ex := e.speechCeps(p.Samples[:min(len(p.Samples), consentExcerpt)])
			utts = append(utts, utterance{speaker: s, excerpt: ex, all: all})
			corpus = append(corpus, strings.SplitN(name, "_", 2)[0])
		}
	}
	var tr trials
	for i, u := range utts {
		if float64(len(u.excerpt)) < MinSpeech*rate/frameHop {
			continue
		}
		probe := fromFrames(u.excerpt)
		for s := range speakers {
			var ref [][]float64
			for j, v := range utts {
				if v.speaker == s && j != i {
					ref = append(ref, v.all...)
				}
			}
			if float64(len(ref)) < MinSpeech*rate/frameHop {
				continue
			}
			d := Distance(probe, fromFrames(ref))
			if s == u.speaker {
				tr.same = append(tr.same, d)
			} else {
				tr.diff = append(tr.diff, d)
				if corpus[i] == strings.SplitN(speakers[s], "_", 2)[0] {
					tr.sameCorpus = append(tr.sameCorpus, d)
				}
			}
		}
	}
	return tr
}

// rates returns the false-reject rate (same-speaker distances above thr)
// and false-accept rate (different-speaker distances at or below thr).
func (tr trials) rates(thr float64) (frr, far float64) {
	for _, d := range tr.same {
		if d > thr {
			frr++
		}
	}
	for _, d := range tr.diff {
		if d <= thr {
			far++
		}
	}
	return frr / float64(len(tr.same)), far / float64(len(tr.diff))
}

// eer sweeps the threshold over every observed distance and returns the
// point where the two error rates are closest.
func (tr trials) eer() (rate, thr float64) {
	all := append(append([]float64(nil), tr.same...), tr.diff...)
	sort.Float64s(all)
	best := math.Inf(1)
	for _, th := range all {
		frr, far := tr.rates(th)
		if gap := math.Abs(frr - far); gap < best {
			best, rate, thr = gap, (frr+far)/2, th
		}
	}
	return rate, thr
}

// TestEqualErrorRate measures the verifier on the real speech set and checks
// that the shipped Threshold sits at its equal-error point.
func TestEqualErrorRate(t *testing.T) {
	tr := runTrials(t)
	if len(tr.same) < 30 || len(tr.diff) < 100 {
		t.Fatalf("only %d same / %d different trials", len(tr.same), len(tr.diff))
	}
	eer, thr := tr.eer()
	frr, far := tr.rates(Threshold)
	t.Logf("trials: %d same-speaker, %d different-speaker", len(tr.same), len(tr.diff))
	t.Logf("EER %.1f%% at distance %.3f; shipped Threshold %.3f: false reject %.1f%%, false accept %.1f%%",
		100*eer, thr, Threshold, 100*frr, 100*far)
	within := trials{same: tr.same, diff: tr.sameCorpus}
	weer, wthr := within.eer()
	_, wfar := within.rates(Threshold)
	t.Logf("different speakers of one corpus only (%d trials): EER %.1f%% at %.3f; false accept at Threshold %.1f%%",
		len(tr.sameCorpus), 100*weer, wthr, 100*wfar)
	if eer > 0.05 {
		t.Errorf("EER %.1f%%, want ≤ 5%%", 100*eer)
	}
	if frr > 0.07 || far > 0.07 {
		t.Errorf("at Threshold %.3f: false reject %.1f%%, false accept %.1f%%; want both ≤ 7%% (re-measure and move Threshold)",
			Threshold, 100*frr, 100*far)
	}
}

// TestCheckCost reports what one consent check costs: a 6 s recording
// against 60 s of samples.
func TestCheckCost(t *testing.T) {
	sp := speechtest.Speakers(t)
	wavs := speechtest.WAVs(t, sp[0])
	p := speechtest.Load(t, wavs[0])
	start := time.Now()
	a, err := Extract(p)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ { // ~10× the consent excerpt
		b, err := Extract(p)
		if err != nil {
			t.Fatal(err)
		}
		_ = Distance(a, b)
	}
	t.Logf("11 prints of %.1f s + 10 distances: %v (wall, machine under load)", p.Seconds(), time.Since(start))
}
