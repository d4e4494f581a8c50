package voice

import (
	"math"

	"github.com/voxclone/voxclone/internal/voice/align"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// Clarity (docs/engine.md, "Clarity: open-vocabulary intelligibility").
// The speaker's corrections are means over mostly vowel frames; applied to
// fricatives and bursts they smear the high band that carries /s/, /f/
// and the release of stops. Obstruent frames therefore keep the base
// voice's envelope above holdLoHz…holdHiHz.
const (
	holdLoHz = 1500
	holdHiHz = 2500
)

// Experiment switches, set by the variant builds measured in
// docs/engine.md; the defaults are the engine's behaviour.
var (
	holdObstruentHighBand = false
	baseAperiodicityD4C   = false
	gvSonorantsOnly       = false
	// holdUnvoicedFull makes unvoiced obstruent frames keep the base
	// envelope over the whole band; holdSmooth is the half-width of the
	// hold's smoothing over phone joins, in frames.
	holdUnvoicedFull = false
	holdSmooth       = smoothHalf
	// obstruentNoShift leaves obstruents out of the phone-aware shift:
	// they keep Engine A's warp and EQ, which every frame shares.
	obstruentNoShift = false
)

func skipPhoneShift(label string) bool { return obstruentNoShift && isObstruent(label) }

// obstruentHold remembers the base envelopes of obstruent frames so that
// their high band can be restored after the conversion.
type obstruentHold struct {
	weight []float64   // per frame, 0…1, smoothed over phone joins
	base   [][]float64 // copies of the frames with weight > 0
	bin    []float64   // per bin, 0 below holdLoHz, 1 above holdHiHz
	full   []bool      // per frame: hold the whole band (unvoiced)
}

// holdObstruents copies the frames of env that lie in (or next to)
// obstruents; nil when there are none or the hold is off.
func holdObstruents(env [][]float64, f0 []float64, labels []string) *obstruentHold {
	if !holdObstruentHighBand || len(labels) != len(env) || len(env) == 0 {
		return nil
	}
	w := make([][]float64, len(env))
	for i, l := range labels {
		w[i] = []float64{0}
		if isObstruent(l) {
			w[i][0] = 1
		}
	}
	sm := smoothFrames(w, holdSmooth)
	h := &obstruentHold{weight: make([]float64, len(env)), base: make([][]float64, len(env)), full: make([]bool, len(env))}
	for i := range env {
		h.weight[i] = sm[i][0]
		h.full[i] = holdUnvoicedFull && f0[i] <= 0 && isObstruent(labels[i])
		if h.weight[i] > 0 {
			h.base[i] = append([]float64(nil), env[i]...)
		}
	}
	h.bin = make([]float64, len(env[0]))
	nyq := float64(analysisRate) / 2
	for j := range h.bin {
		f := float64(j) * nyq / float64(len(h.bin)-1)
		h.bin[j] = clamp((f-holdLoHz)/(holdHiHz-holdLoHz), 0, 1)
	}
	return h
}

// restore blends the held frames' high band back toward the base voice,
// in place (geometric blend, as the corrections are multiplicative).
func (h *obstruentHold) restore(env [][]float64) {
	if h == nil {
		return
	}
	for i, b := range h.base {
		if b == nil {
			continue
		}
		for j := range env[i] {
			bw := h.bin[j]
			if h.full[i] {
				bw = 1
			}
			if a := h.weight[i] * bw; a > 0 {
				env[i][j] = math.Pow(env[i][j], 1-a) * math.Pow(b[j], a)
			}
		}
	}
}

func isObstruent(label string) bool {
	switch align.Class(label) {
	case align.ClassFricative, align.ClassStop, align.ClassAffricate:
		return true
	}
	return false
}

// voicedAperiodicity returns the aperiodicity the vocoder uses: the
// conversion's fixed template for voiced frames, or (experiment) D4C run
// on the base voice itself with its own F0, so steady vowels stay
// harmonic and voiced fricatives keep their noise.
func (c *conversion) voicedAperiodicity(x, baseF0, f0 []float64, fftSize int) ([][]float64, error) {
	if !baseAperiodicityD4C {
		return world.Aperiodicity(x, analysisRate, f0, synthHop, fftSize,
			world.AperiodicityOptions{Mode: world.Template, TemplateDB: c.apDB})
	}
	ap, err := world.Aperiodicity(x, analysisRate, baseF0, synthHop, fftSize, world.AperiodicityOptions{})
	if err != nil {
		return nil, err
	}
	for i := range ap {
		if i < len(f0) && f0[i] <= 0 {
			for j := range ap[i] {
				ap[i][j] = 1 - 1e-12
			}
		}
	}
	return ap, nil
}

// gvVoicing returns the F0 track applyGV sees: with gvSonorantsOnly,
// obstruent frames count as unvoiced, so the global-variance gain is
// measured and applied over sonorants only and leaves voiced fricatives
// and stops as the earlier steps left them.
func gvVoicing(f0 []float64, labels []string) []float64 {
	if !gvSonorantsOnly || len(labels) != len(f0) {
		return f0
	}
	out := append([]float64(nil), f0...)
	for i, l := range labels {
		if isObstruent(l) {
			out[i] = 0
		}
	}
	return out
}
