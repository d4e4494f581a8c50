package voice

import (
	"math"

	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice/align"
)

// Phone-aware frame selection (docs/engine.md, "Voice likeness"): each base
// frame takes the average mel-cepstrum of its k nearest pool frames of the
// same phone and voicing, blended with the Engine A envelope by a weight
// that falls as the match gets worse.
const (
	selectK = 4 // neighbours averaged, as in kNN-VC
	// A match is trusted fully up to nearRMS and not at all from farRMS,
	// in pool standard deviations per coefficient. Two independent frames
	// of a unit-variance pool lie √2 apart on average, so farRMS means "no
	// better than a random frame" and nearRMS "half as far as that".
	nearRMS = 0.5 * math.Sqrt2
	farRMS  = math.Sqrt2
	// smoothHalf is the half-width (frames of synthHop) of the triangular
	// window smoothing the selected corrections over time, so joins between
	// different pool frames do not buzz: ±15 ms.
	smoothHalf = 3
)

// selector indexes a pool for one synthesis. It only reads its fields, so
// it may be shared by goroutines.
type selector struct {
	dim      int
	mu, sd   []float64   // per-coefficient pool statistics (CMVN)
	feats    [][]float64 // normalised c1…cM of every pool frame
	mc       [][]float64 // raw c0…cM of every pool frame
	byPhone  map[string][2][]int
	byClass  map[string][2][]int
	strength float64
}

// newSelector indexes p; nil when there is nothing to select from.
func newSelector(p *Pool, strength float64) *selector {
	if p == nil || p.Len() < selectK || p.Dim != mcepOrder+1 || strength <= 0 {
		return nil
	}
	s := &selector{dim: p.Dim, byPhone: map[string][2][]int{}, byClass: map[string][2][]int{}, strength: strength}
	m := newMoments(p.Dim)
	s.mc = make([][]float64, p.Len())
	for i := range s.mc {
		s.mc[i] = f64s(p.Frame(i))
		m.add(s.mc[i])
	}
	s.mu, s.sd = m.mean(), m.std()
	s.feats = make([][]float64, p.Len())
	for i, mc := range s.mc {
		s.feats[i] = s.normalise(nil, mc)
		ph := p.Phones[p.Phone[i]]
		v := voicing(float64(p.LogF0[i]))
		e := s.byPhone[ph]
		e[v] = append(e[v], i)
		s.byPhone[ph] = e
		c := s.byClass[align.Class(ph)]
		c[v] = append(c[v], i)
		s.byClass[align.Class(ph)] = c
	}
	return s
}

func voicing(f0 float64) int {
	if f0 > 0 {
		return 1
	}
	return 0
}

// normalise writes the CMVN-normalised c1…cM of mc into dst.
func (s *selector) normalise(dst, mc []float64) []float64 {
	dst = append(dst[:0], make([]float64, s.dim-1)...)
	for m := 1; m < s.dim; m++ {
		dst[m-1] = (mc[m] - s.mu[m]) / math.Max(s.sd[m], 1e-6)
	}
	return dst
}

// candidates returns the pool frames a base frame may draw on: the same
// phone and voicing, else the same class and voicing, else none.
func (s *selector) candidates(phone string, voiced int) []int {
	if c := s.byPhone[phone][voiced]; len(c) >= selectK {
		return c
	}
	if align.Class(phone) == align.ClassUnknown || align.Class(phone) == align.ClassSilence {
		return nil
	}
	if c := s.byClass[align.Class(phone)][voiced]; len(c) >= selectK {
		return c
	}
	return nil
}

// match returns the mean mel-cepstrum of q's k nearest candidates and the
// weight the match earns (0 when there is none).
func (s *selector) match(q []float64, cands []int, out []float64) float64 {
	var best [selectK]int
	var dist [selectK]float64
	for k := range dist {
		dist[k] = math.Inf(1)
	}
	for _, i := range cands {
		d := 0.0
		for m, v := range s.feats[i] {
			t := v - q[m]
			d += t * t
		}
		for k := range dist { // insertion into the sorted top k; ties keep the earlier frame
			if d < dist[k] {
				copy(dist[k+1:], dist[k:selectK-1])
				copy(best[k+1:], best[k:selectK-1])
				dist[k], best[k] = d, i
				break
			}
		}
	}
	clear(out)
	rms := 0.0
	for k, i := range best {
		for m, v := range s.mc[i] {
			out[m] += v / selectK
		}
		rms += math.Sqrt(dist[k]/float64(s.dim-1)) / selectK
	}
	return s.weight(rms)
}

// weight is the blend weight of a match whose neighbours lie rms pool
// standard deviations from the query (per coefficient). Up to similarity
// 0.5 it is the distance-gated trust g, scaled by 2·similarity; above it
// the weight moves from g toward full replacement, reaching 1 for every
// matched frame at similarity 1. Likeness past what the match distance
// justifies costs intelligibility, so the default sits where the measured
// frontier says (docs/engine.md).
func (s *selector) weight(rms float64) float64 {
	g := clamp((farRMS-rms)/(farRMS-nearRMS), 0, 1)
	if s.strength <= 0.5 {
		return 2 * s.strength * g
	}
	return g + (2*s.strength-1)*(1-g)
}

// apply replaces the spectral detail of each frame of env (already warped
// and equalised) by its pool match, in place. labels are the base voice's
// phones per frame; f0 gives voicing. The c0 (level) of the base frame is
// kept, and corrections are smoothed over time before they are applied.
func (s *selector) apply(c *conversion, env [][]float64, f0 []float64, labels []string) {
	delta := make([][]float64, len(env))
	q := make([]float64, s.dim)
	var qn []float64
	tgt := make([]float64, s.dim)
	for i, e := range env {
		delta[i] = make([]float64, s.dim)
		cands := s.candidates(labels[i], voicing(f0[i]))
		if len(cands) == 0 {
			continue
		}
		c.conv.FromEnvelope(q, e)
		qn = s.normalise(qn, q)
		w := s.match(qn, cands, tgt)
		for m := 1; m < s.dim; m++ {
			delta[i][m] = w * (tgt[m] - q[m])
		}
	}
	segmentMeans(delta, labels)
	mult := make([]float64, len(env[0]))
	for i, d := range smoothFrames(delta, smoothHalf) {
		c.conv.ToEnvelope(mult, d)
		for j := range env[i] {
			env[i][j] *= mult[j]
		}
	}
}

// smoothFrames convolves each coefficient track with a triangular window
// of half-width h frames.
func smoothFrames(x [][]float64, h int) [][]float64 {
	out := make([][]float64, len(x))
	for i := range x {
		out[i] = make([]float64, len(x[i]))
		wsum := 0.0
		for j := max(0, i-h); j <= min(len(x)-1, i+h); j++ {
			w := float64(h + 1 - abs(i-j))
			wsum += w
			for m, v := range x[j] {
				out[i][m] += w * v
			}
		}
		for m := range out[i] {
			out[i][m] /= wsum
		}
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// frameLabels gives the (normalised) flite phone at the centre of each of
// n frames spaced hopMS apart.
func frameLabels(phones []flite.Phone, hopMS float64, n int) []string {
	out := make([]string, n)
	j := 0
	for i := range out {
		t := float64(i) * hopMS / 1000
		for j < len(phones) && phones[j].End <= t {
			j++
		}
		out[i] = align.Silence
		if j < len(phones) {
			out[i] = align.Normalize(phones[j].Name)
		}
	}
	return out
}

// segmentMeans replaces each frame's correction by the mean correction of
// its phone segment (a run of frames with the same label), in place. Each
// phone then takes the speaker's spectral shape for that phone as a whole,
// while the base voice's movement within it (formant transitions, which
// carry much of the intelligibility) survives; frame-by-frame replacement
// cost twice the word errors for the same likeness (docs/engine.md).
func segmentMeans(delta [][]float64, labels []string) {
	for a := 0; a < len(delta); {
		b := a + 1
		for b < len(delta) && labels[b] == labels[a] {
			b++
		}
		mean := make([]float64, len(delta[a]))
		for _, d := range delta[a:b] {
			for m, v := range d {
				mean[m] += v / float64(b-a)
			}
		}
		for _, d := range delta[a:b] {
			for m := range d {
				d[m] = mean[m]
			}
		}
		a = b
	}
}
