package voice

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/voice/align"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// The full band (docs/engine.md, "Output rate and the band above 8 kHz").
// The base voice is analysed and converted at analysisRate, whose band ends
// at 8 kHz (flite's own near 7.5), but the engine renders at OutputRate:
// each frame's envelope is carried over to the wider rate up to
// highBandFrom and, above it, set from a table of the band's level against
// the same frame's 1–4 kHz level, per phone class. Fricatives and breath
// so reach 11–12 kHz, vowels keep the steep fall of real speech.
const (
	// highBandFrom is where the table's first band starts.
	highBandFrom = 7000.0
	// fadeFrom and fadeTo are where the carried-over envelope hands over
	// to the table. Below 8 kHz is what a 16 kHz copy of the output keeps:
	// handing over from 7 kHz instead, the speaker's converted 7–8 kHz gave
	// way to speech in general (voxclone eval margin_norm 0.197 against
	// 0.215; docs/engine.md).
	fadeFrom = 7700.0
	fadeTo   = 8300.0
	// highBandStep is the table's band width (Hz).
	highBandStep = 500.0
	// highBandApDB is the aperiodicity (dB of amplitude) the table's band
	// gets in voiced frames: above 8 kHz the harmonics of real speech are
	// lost in its noise.
	highBandApDB = -1.0
	// highBandSmooth is how many frames either side the table's level is
	// averaged over: a phone boundary then fades over ±5 ms instead of
	// switching in one 5 ms frame (±10 ms took 1 dB from short stops).
	highBandSmooth = 1
)

// Phone classes of the upper-band table.
const (
	hbVowel     = iota // vowels and diphthongs
	hbSonorant         // nasals and approximants
	hbFricative        // fricatives and affricates
	hbStop             // stops (closure and burst)
	hbSilence          // pauses and breath
	hbClasses
)

// hbClassNames name the classes in test and tool output.
var hbClassNames = [hbClasses]string{"vowel", "sonorant", "fricative", "stop", "silence"}

// hbClass is the upper-band class of a phone label.
func hbClass(label string) int {
	switch align.Class(label) {
	case align.ClassFrontVowel, align.ClassCentralVowel, align.ClassBackVowel, align.ClassDiphthong:
		return hbVowel
	case align.ClassNasal, align.ClassApproximant:
		return hbSonorant
	case align.ClassFricative, align.ClassAffricate:
		return hbFricative
	case align.ClassStop:
		return hbStop
	}
	return hbSilence
}

// highBandTable holds, per class, the power density (dB) of each
// highBandStep band from highBandFrom up to OutputRate/2 against that of
// 1–4 kHz, both summed over the class's frames.
type highBandTable [hbClasses][]float64

// defaultHighBand is the table of speech in general: the mean over the
// three speakers of the development set recorded above 16 kHz
// (vctk_p225 and vctk_p226 at 48 kHz, ljspeech_LJ at 22.05 kHz, whose
// bands above 10.5 kHz continue its own by the others' slope), phones
// from the engine's aligner (TestHighBandTable -highband.table prints
// it). The speakers differ from it by up to ±14 dB (docs/engine.md).
var defaultHighBand = highBandTable{
	hbVowel:     {-25.0, -22.5, -22.9, -26.8, -28.5, -30.4, -29.5, -30.1, -31.0, -31.0},
	hbSonorant:  {-19.7, -19.4, -19.5, -23.6, -24.8, -27.1, -26.1, -28.2, -28.1, -28.0},
	hbFricative: {3.3, 6.1, 6.2, 3.5, 2.5, 1.3, 1.1, -0.3, -2.7, -2.3},
	hbStop:      {-7.6, -5.5, -5.0, -8.3, -10.7, -11.2, -11.7, -12.0, -12.4, -13.0},
	hbSilence:   {-13.4, -13.5, -15.6, -17.3, -17.6, -19.4, -19.5, -18.8, -18.4, -18.9},
}

// widen carries converted parameters at analysisRate over to OutputRate
// (same frames, FFTSizeFor(OutputRate) bins), the band above highBandFrom
// from tab; labels are the frames' phones (nil: all as vowels).
func widen(p *world.Params, labels []string, tab *highBandTable) *world.Params {
	n := world.FFTSizeFor(OutputRate, 0)
	bins := n/2 + 1
	hz := float64(OutputRate) / float64(n)
	srcHz := float64(p.Rate) / float64(p.FFTSize)
	// A power envelope is scaled to white noise of unit variance at its own
	// rate: the same sound has rate/2 times the density per bin.
	gainDB := 10 * math.Log10(float64(OutputRate)/float64(p.Rate))
	target := highBandTargets(p.Envelope, p.F0, labels, tab, srcHz)
	out := &world.Params{Rate: OutputRate, FramePeriod: p.FramePeriod, FFTSize: n, F0: p.F0,
		Envelope: make([][]float64, len(p.F0)), Aperiodicity: make([][]float64, len(p.F0))}
	if p.Samples > 0 {
		out.Samples = int(math.Round(float64(p.Samples) * float64(OutputRate) / float64(p.Rate)))
	}
	apHigh := math.Pow(10, highBandApDB/20)
	gain := float64(OutputRate) / float64(p.Rate)
	// Where each output bin reads the source row (the same for every
	// frame): widening costs a fifth of a sentence's CPU when each bin
	// takes logarithms, so below the hand-over the envelope is
	// interpolated as power and only the upper bins take exp.
	last := p.FFTSize / 2
	idx, wt, fade := make([]int, bins), make([]float64, bins), make([]float64, bins)
	for j := range bins {
		f := float64(j) * hz
		// Above the source's band its last bin continues it.
		x := min(f/srcHz, float64(last))
		idx[j] = min(int(x), last-1)
		wt[j] = x - float64(idx[j])
		g := clamp((f-fadeFrom)/(fadeTo-fadeFrom), 0, 1)
		fade[j] = 0.5 - 0.5*math.Cos(math.Pi*g)
	}
	for i := range p.F0 {
		env, ap := make([]float64, bins), make([]float64, bins)
		src, srcAp := p.Envelope[i], p.Aperiodicity[i]
		for j := range bins {
			k, w := idx[j], wt[j]
			e := ((1-w)*src[k] + w*src[k+1]) * gain
			a := (1-w)*srcAp[k] + w*srcAp[k+1]
			if g := fade[j]; g > 0 {
				l := (1-g)*dB(e) + g*(bandAt(target[i], float64(j)*hz)+gainDB)
				e = math.Exp(l * math.Ln10 / 10)
				a = (1-g)*a + g*math.Max(a, apHigh)
			}
			env[j], ap[j] = e, a
		}
		out.Envelope[i], out.Aperiodicity[i] = env, ap
	}
	return out
}

func dB(v float64) float64 { return 10 * math.Log10(math.Max(v, 1e-30)) }

// passthroughDB is how far (dB) the base voice's waveform kept in
// unvoiced frames (keepUnvoiced) comes out under the vocoder's rendering
// of the same envelope in 1–4 kHz: 1.0–1.2 dB in fricatives and stops on
// both base voices (slt, rms). The upper band is set against what is
// heard.
const passthroughDB = 1.0

// highBandTargets is, per frame and table band, the level (dB) the band
// gets: the frame's mean 1–4 kHz power (as rendered: passthroughDB less
// in unvoiced frames) plus its class's row, averaged over highBandSmooth
// frames either side, the rows first corrected so that each class
// measures as the table says (highBandCorrect).
func highBandTargets(env [][]float64, f0 []float64, labels []string, tab *highBandTable, hz float64) [][]float64 {
	ref, conv := make([]float64, len(env)), make([]float64, len(env))
	class := make([]int, len(env))
	lo, hi := int(math.Ceil(1000/hz)), int(4000/hz)
	for i, e := range env {
		var sum float64
		for k := lo; k <= hi; k++ {
			sum += e[k]
		}
		ref[i] = dB(sum / float64(hi-lo+1))
		conv[i] = dB(e[len(e)-1])
		class[i] = hbVowel
		if i < len(labels) {
			class[i] = hbClass(labels[i])
		}
		if i < len(f0) && f0[i] <= 0 && class[i] != hbSilence {
			// What is heard below the hand-over there is the base
			// voice's own waveform (unvoiced.go), not the envelope.
			// Silence is left as it was (highBandCorrect).
			ref[i] -= passthroughDB
			conv[i] -= passthroughDB
		}
	}
	rows := highBandCorrect(ref, conv, class, tab)
	out := make([][]float64, len(env))
	smoothTargets(out, ref, class, rows)
	return out
}

// smoothTargets fills out with each frame's 1–4 kHz level plus its
// class's row, averaged in dB over highBandSmooth frames either side: a
// phone boundary so fades over ±5 ms instead of switching in one frame.
func smoothTargets(out [][]float64, ref []float64, class []int, rows *highBandTable) {
	for i := range out {
		lo, hi := max(0, i-highBandSmooth), min(len(ref)-1, i+highBandSmooth)
		if out[i] == nil {
			out[i] = make([]float64, len(rows[class[i]]))
		}
		for b := range out[i] {
			var s float64
			for k := lo; k <= hi; k++ {
				s += ref[k] + rows[class[k]][b]
			}
			out[i][b] = s / float64(hi-lo+1)
		}
	}
}

// measureWeights are the power weights of the 5 ms frames around a
// frame's centre in a 25 ms Hann window (how the table is measured:
// TestHighBandTable, highband_learn.go): cos²(π·t/25 ms) at t = 0, ±5,
// ±10 ms.
var measureWeights = [...]float64{0.0955, 0.6545, 1, 0.6545, 0.0955}

const (
	// highBandPasses is how many times highBandCorrect re-measures.
	highBandPasses = 3
	// maxHighBandCorrection bounds a class's correction (dB): a class
	// of a few frames between loud neighbours measures mostly theirs.
	maxHighBandCorrection = 6.0
)

// highBandCorrect returns the rows to render so that, per class and band
// from 8 kHz up, the sentence's band measured as the table is measured
// (25 ms windows over the frames' 1–4 kHz and band levels, summed over the
// class's frames) lands on tab. ref and conv are each frame's 1–4 kHz
// level and the level of its envelope's top bin (what the hand-over fades
// from), in dB. Three things take the rendered band under its row: the
// smoothing and the window's reach into neighbouring phones (most for a
// class between louder neighbours: a stop's burst before a vowel), the
// hand-over, which takes most of 8.0–8.3 kHz from the loudest band of the
// 8–12 kHz, and the interpolation between band centres, which rounds off
// that band's peak. Together 0.6–1.5 dB, measured on the base voice
// (TestHighBandRendersTable). Silence keeps the table's rows: its frames
// hold nothing of the base voice's own, what is measured there is the
// neighbouring phones' edges, and correcting it took slt's silence from
// +0.6 to −2.1 dB of the table.
func highBandCorrect(ref, conv []float64, class []int, tab *highBandTable) *highBandTable {
	rows := new(highBandTable)
	for c := range hbClasses {
		rows[c] = slices.Clone(tab[c])
	}
	n := len(ref)
	if n == 0 {
		return rows
	}
	bands := len(tab[0])
	first := int((8000 - highBandFrom) / highBandStep) // bands below the hand-over's end keep the table
	pRef := make([]float64, n)
	for i, v := range ref {
		pRef[i] = math.Pow(10, v/10)
	}
	// Each class's 1–4 kHz as measured (windows that fit the sentence):
	// fixed.
	var lo [hbClasses]float64
	h := len(measureWeights) / 2
	for i := h; i < n-h; i++ {
		for k, w := range measureWeights {
			lo[class[i]] += w * pRef[i+k-h]
		}
	}
	targets := make([][]float64, n)
	p := make([][]float64, n)
	for i := range p {
		p[i] = make([]float64, bands)
	}
	for range highBandPasses {
		smoothTargets(targets, ref, class, rows)
		for i := range n {
			for b := first; b < bands; b++ {
				p[i][b] = renderedBand(targets[i], conv[i], b)
			}
		}
		for b := first; b < bands; b++ {
			var hi [hbClasses]float64
			for i := h; i < n-h; i++ {
				for k, w := range measureWeights {
					hi[class[i]] += w * p[i+k-h][b]
				}
			}
			for c := range hbSilence {
				if lo[c] <= 0 || hi[c] <= 0 {
					continue
				}
				got := 10 * math.Log10(hi[c]/lo[c])
				rows[c][b] = clamp(rows[c][b]+tab[c][b]-got, tab[c][b]-maxHighBandCorrection, tab[c][b]+maxHighBandCorrection)
			}
		}
	}
	return rows
}

// renderedBand is the mean power of band b of row as widen renders it
// (interpolated between band centres, handed over from conv dB below
// fadeTo), sampled every highBandStep/5.
func renderedBand(row []float64, conv float64, b int) float64 {
	const points = 5
	var s float64
	for k := range points {
		f := highBandFrom + (float64(b)+(float64(k)+0.5)/points)*highBandStep
		l := bandAt(row, f)
		if f < fadeTo {
			g := clamp((f-fadeFrom)/(fadeTo-fadeFrom), 0, 1)
			g = 0.5 - 0.5*math.Cos(math.Pi*g)
			l = (1-g)*conv + g*l
		}
		s += math.Pow(10, l/10)
	}
	return s / points
}

// bandAt interpolates a row of band levels (centres highBandFrom +
// (b+½)·highBandStep) at f Hz, flat beyond the first and last centre.
func bandAt(row []float64, f float64) float64 {
	x := (f-highBandFrom)/highBandStep - 0.5
	if x <= 0 {
		return row[0]
	}
	k := int(x)
	if k >= len(row)-1 {
		return row[len(row)-1]
	}
	w := x - float64(k)
	return (1-w)*row[k] + w*row[k+1]
}
