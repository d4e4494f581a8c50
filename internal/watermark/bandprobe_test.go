package watermark

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// weighMultipliers returns the spectrum of x in the detector's framing
// (as whiten frames an excerpt of len(x) samples) and, per frame and bin,
// the real factor weigh (with its bin limit) multiplies the bin by.
func weighMultipliers(x []float64) (framing, [][]float64) {
	var peak float64
	for _, v := range x {
		peak = max(peak, math.Abs(v))
	}
	spec := weighed(x, peak)
	orig := analyzeWith(x, spec.fr).frames
	mult := make([][]float64, len(orig))
	for t := range orig {
		mult[t] = make([]float64, nBins)
		for k := loBin; k <= hiBin; k++ {
			if a := math.Hypot(real(orig[t][k]), imag(orig[t][k])); a > 0 {
				mult[t][k] = math.Hypot(real(spec.frames[t][k]), imag(spec.frames[t][k])) / a
			}
		}
	}
	return spec.fr, mult
}

// to8k resamples p to Rate, as Detect does.
func to8k(p *audio.PCM) []float64 {
	s := dsp.Resample(p, Rate).Samples
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// bandSums accumulates, per band of shapeBands, the mark's weighed energy
// (ew), the received signal's (ec) and their cross term, the weights
// being the detector's for the received excerpt. With no transform alpha
// (cross/ew) is under 1: the whitening divides each bin by its own power,
// so bins where host and mark partly cancel count more.
type bandSums struct{ ew, ec, cross [nBands]float64 }

// add sums over 3-s excerpts of recv one a second; mark is the mark that
// was added, at Rate, aligned with recv.
func (s *bandSums) add(recv, mark []float64) {
	n := 3 * Rate
	for start := 137; start+n <= len(recv) && start+n <= len(mark); start += Rate {
		fr, mult := weighMultipliers(recv[start : start+n])
		c := analyzeWith(recv[start:start+n], fr)
		w := analyzeWith(mark[start:start+n], fr)
		for t := range c.frames {
			for b := range nBands {
				for k := shapeBands[b]; k < shapeBands[b+1]; k++ {
					m := mult[t][k] * mult[t][k]
					cv, wv := c.frames[t][k], w.frames[t][k]
					s.ew[b] += m * (real(wv)*real(wv) + imag(wv)*imag(wv))
					s.ec[b] += m * (real(cv)*real(cv) + imag(cv)*imag(cv))
					s.cross[b] += m * (real(cv)*real(wv) + imag(cv)*imag(wv))
				}
			}
		}
	}
}

// report gives per band alpha, the mark-to-residual ratio (the mark's
// projection against the rest of the received signal), and the band's
// share of the correlation and of the energy; z-ish is the correlation
// over the root of the energy, the score's form, summed over excerpts.
func (s *bandSums) report(name string) string {
	var b strings.Builder
	var tc, te float64
	for i := range nBands {
		tc += s.cross[i]
		te += s.ec[i]
	}
	fmt.Fprintf(&b, "%-10s alpha", name)
	for i := range nBands {
		fmt.Fprintf(&b, " %5.2f", s.cross[i]/s.ew[i])
	}
	fmt.Fprintf(&b, "\n%-10s MRR dB", "")
	for i := range nBands {
		kept := s.cross[i] * s.cross[i] / s.ew[i]
		fmt.Fprintf(&b, " %5.1f", 10*math.Log10(kept/(s.ec[i]-kept)))
	}
	fmt.Fprintf(&b, "\n%-10s cross%%", "")
	for i := range nBands {
		fmt.Fprintf(&b, " %5.1f", 100*s.cross[i]/tc)
	}
	fmt.Fprintf(&b, "\n%-10s energy%%", "")
	for i := range nBands {
		fmt.Fprintf(&b, " %5.1f", 100*s.ec[i]/te)
	}
	fmt.Fprintf(&b, "\n%-10s z-ish %.3f\n", "", tc/math.Sqrt(te))
	return b.String()
}

// capCounts counts, per band, the embedder's frames of host (at Rate) in
// which the envelope's target, hostCap, or edgeCap against the band below
// or above sets the band's mark: bandScales's limits, told apart.
func capCounts(host []float64) (counts [nBands][4]int) {
	spec := analyze(host)
	env := spec.envelope(1e-9)
	gain := detectorGain(spec, env, wienerFloor, 0)
	for t, f := range spec.frames {
		want, den, power := bandTerms(f, env, gain, t)
		for b := range nBands {
			if den[b] == 0 {
				continue
			}
			which, v := 0, want[b]
			if c := hostCap * power[b]; c < v {
				which, v = 1, c
			}
			if b > 0 && edgeCap*power[b-1] < v {
				which, v = 2, edgeCap*power[b-1]
			}
			if b+1 < nBands && edgeCap*power[b+1] < v {
				which = 3
			}
			counts[b][which]++
		}
	}
	return counts
}

// TestBandProbe (opt-in, VOXCLONE_WM_PROBE set) says where in frequency a
// transform takes the mark away: per band of shapeBands and per voice
// (VOXCLONE_WM_VOICES), over 3-s excerpts one a second, how much of the
// known mark the received signal holds (alpha: its projection on the
// mark, both weighed as the detector weighs the received excerpt), the
// mark-to-residual ratio, each band's share of the correlation and of
// the weighed energy, before and after each of VOXCLONE_WM_TRANSFORMS;
// and, on the clean output, which limit sets each band's mark in the
// embedder's frames. docs/trust.md, "Where Opus takes the mark", has
// what it found.
func TestBandProbe(t *testing.T) {
	if os.Getenv("VOXCLONE_WM_PROBE") == "" {
		t.Skip("set VOXCLONE_WM_PROBE to measure")
	}
	want := envOr("VOXCLONE_WM_VOICES", "cmuarctic_aew,slt,rms,librispeech_1998")
	trs := envOr("VOXCLONE_WM_TRANSFORMS", "none,opus 24k")
	var rep strings.Builder
	fmt.Fprintf(&rep, "bands from bin: %v\n", shapeBands)
	for i, v := range engineCorpus(t) {
		if !strings.Contains(","+want+",", ","+v.name+",") {
			continue
		}
		marked := markInPieces(v.pcm, testPayload(0, i))
		diff := &audio.PCM{Rate: v.pcm.Rate, Channels: 1, Samples: make([]float32, len(v.pcm.Samples))}
		for j := range diff.Samples {
			diff.Samples[j] = marked.Samples[j] - v.pcm.Samples[j]
		}
		w8 := to8k(diff)
		cc := capCounts(to8k(v.pcm))
		fmt.Fprintf(&rep, "%s caps (env/host/lower/upper):", v.name)
		for b := range nBands {
			fmt.Fprintf(&rep, " %d/%d/%d/%d", cc[b][0], cc[b][1], cc[b][2], cc[b][3])
		}
		rep.WriteString("\n")
		for _, tr := range transforms {
			if !strings.Contains(","+trs+",", ","+tr.name+",") {
				continue
			}
			var s bandSums
			s.add(to8k(tr.do(t, marked)), w8)
			rep.WriteString(s.report(v.name + " " + tr.name))
		}
	}
	t.Log(rep.String())
}

// TestBandWorst (opt-in, VOXCLONE_WM_PROBE set): per band of
// TestInaudible, the highest watermark-to-speech ratio over every voice
// and TestInaudible's nine keys, and the voice that gives it: how far
// each band is from the 30-dB bound, which a change of the caps moves.
func TestBandWorst(t *testing.T) {
	if os.Getenv("VOXCLONE_WM_PROBE") == "" {
		t.Skip("set VOXCLONE_WM_PROBE to measure")
	}
	corpus := engineCorpus(t)
	keys := []Key{testKey}
	for n := range 8 {
		k, _ := KeyFrom(fmt.Appendf(nil, "another key that is long enough %d", n))
		keys = append(keys, k)
	}
	worst := make([]float64, len(wsrBands))
	who := make([]string, len(wsrBands))
	for b := range worst {
		worst[b] = math.Inf(-1)
	}
	for _, k := range keys {
		for i, v := range corpus {
			for b, r := range bandRatios(k, Payload(i), v) {
				if r > worst[b] {
					worst[b], who[b] = r, v.name
				}
			}
		}
	}
	var rep strings.Builder
	for b := range wsrBands {
		fmt.Fprintf(&rep, "%v Hz: %.2f dB (%s)\n", wsrBands[b], worst[b], who[b])
	}
	t.Log(rep.String())
}
