package voice

import (
	"math"

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

// hbOffset is a phone's level above 8 kHz against its class's row (dB).
// The fricative row is an alveolar sibilant's (s, z): the other
// fricatives put far less of their noise there, palato-alveolars (a
// longer front cavity, its resonance near 2.5 kHz, inside 1–4 kHz) and
// the flat, weak non-sibilants, voiced ones weakest. One row for all of
// them made a sentence's fricatives follow the references' mix of them
// (vctk_p225 and vctk_p226's held-back fricatives, dominated by "sh",
// lie 4.6 and 8.7 dB under their references, dominated by "s"). Means
// over the three wide-band speakers of the development set, interior
// frames (TestHighBandTable; per speaker within ±5 dB of the mean for
// sh, ch, jh, within ±13 for the non-sibilants).
func hbOffset(label string) float64 {
	switch label {
	case "sh", "zh", "ch", "jh":
		return -24.6
	case "f", "th":
		return -11.7
	case "v", "dh":
		return -20.6
	}
	return 0
}

// highBandTable holds, per class, the power density (dB) of each
// highBandStep band from highBandFrom up to OutputRate/2 against that of
// 1–4 kHz, both summed over the class's frames.
type highBandTable [hbClasses][]float64

// defaultHighBand is the table of speech in general: the mean over the
// three speakers of the development set recorded above 16 kHz
// (vctk_p225 and vctk_p226 at 48 kHz, ljspeech_LJ at 22.05 kHz, whose
// bands above 10.5 kHz continue its own by the others' slope), phones
// from the engine's aligner, frames whose neighbours are of their class,
// the fricative row an s's (hbOffset; TestHighBandTable -highband.table
// prints it). The speakers differ from it by up to ±14 dB (docs/engine.md).
var defaultHighBand = highBandTable{
	hbVowel:     {-25.9, -23.2, -24.4, -28.2, -30.1, -32.2, -31.0, -31.1, -32.5, -32.6},
	hbSonorant:  {-20.3, -20.4, -21.8, -25.8, -26.4, -28.9, -28.9, -29.4, -30.3, -29.7},
	hbFricative: {8.4, 11.3, 11.4, 8.6, 7.7, 6.5, 6.3, 4.8, 2.3, 2.8},
	hbStop:      {-6.6, -4.7, -4.2, -7.5, -9.9, -10.3, -10.9, -11.2, -11.7, -12.3},
	hbSilence:   {-13.3, -13.6, -15.5, -16.9, -17.2, -19.1, -18.9, -18.2, -17.7, -18.2},
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
	target := highBandTargets(p.Envelope, labels, tab, srcHz)
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

// highBandTargets is, per frame and table band, the level (dB) the band
// gets: the frame's own mean 1–4 kHz power plus its phone's row (its
// class's, plus hbOffset), the rows averaged in dB over highBandSmooth
// frames either side so a phone boundary crossfades the two bands. Away
// from a boundary each frame so has its phone's ratio. (The levels
// themselves were once averaged with the neighbours', in dB: a geometric
// mean, short of the power wherever the level moves within the window,
// so stops, their closure beside the burst, rendered 2–5 dB under their
// row.)
func highBandTargets(env [][]float64, labels []string, tab *highBandTable, hz float64) [][]float64 {
	class, offset := make([]int, len(env)), make([]float64, len(env))
	for i := range env {
		class[i] = hbVowel
		if i < len(labels) {
			class[i], offset[i] = hbClass(labels[i]), hbOffset(labels[i])
		}
	}
	lo, hi := int(math.Ceil(1000/hz)), int(4000/hz)
	out := make([][]float64, len(env))
	for i, e := range env {
		var sum float64
		for k := lo; k <= hi; k++ {
			sum += e[k]
		}
		ref := dB(sum / float64(hi-lo+1))
		first, last := max(0, i-highBandSmooth), min(len(env)-1, i+highBandSmooth)
		out[i] = make([]float64, len(tab[hbVowel]))
		for b := range out[i] {
			var r float64
			for k := first; k <= last; k++ {
				r += tab[class[k]][b] + offset[k]
			}
			out[i][b] = ref + r/float64(last-first+1)
		}
	}
	return out
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
