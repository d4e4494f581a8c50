package watermark

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"gonum.org/v1/gonum/dsp/fourier"
)

// wsrBands are the bands the watermark-to-speech ratio is measured in:
// about a third of an octave each, covering the mark's 156–3,400 Hz.
var wsrBands = [][2]float64{{150, 200}, {200, 250}, {250, 300}, {300, 400}, {400, 500}, {500, 630}, {630, 800},
	{800, 1000}, {1000, 1250}, {1250, 1600}, {1600, 2000}, {2000, 2500}, {2500, 3150}, {3150, 3400}}

// bandEnergies sums |X|² of 32-ms frames of x (at rate) per band, over
// frames; frameEnergies keeps them per frame.
func bandEnergies(x []float32, rate int) (total []float64, perFrame [][]float64) {
	const n = 512
	fft := fourier.NewFFT(n)
	buf := make([]float64, n)
	total = make([]float64, len(wsrBands))
	for start := 0; start+n <= len(x); start += n / 2 {
		for i := range buf {
			buf[i] = float64(x[start+i]) * (0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/n))
		}
		c := fft.Coefficients(nil, buf)
		fr := make([]float64, len(wsrBands))
		for k, v := range c {
			f := float64(k) * float64(rate) / n
			for b, band := range wsrBands {
				if f >= band[0] && f < band[1] {
					fr[b] += real(v)*real(v) + imag(v)*imag(v)
				}
			}
		}
		for b := range fr {
			total[b] += fr[b]
		}
		perFrame = append(perFrame, fr)
	}
	return total, perFrame
}

// TestInaudible measures the watermark (marked minus unmarked) against the
// speech in every band it uses, over each voice's whole output: it must be
// at least 30 dB below. It also reports the share of speech frames where a
// band's ratio is above −30 dB (frames within 30 dB of the loudest).
func TestInaudible(t *testing.T) {
	if raceEnabled {
		t.Skip("measurement; too slow under -race")
	}
	var report strings.Builder
	worst := math.Inf(-1)
	corpus := engineCorpus(t)
	for i, v := range corpus {
		marked := markInPieces(v.pcm, Payload(i))
		diff := &audio.PCM{Rate: v.pcm.Rate, Channels: 1, Samples: make([]float32, len(v.pcm.Samples))}
		for j := range diff.Samples {
			diff.Samples[j] = marked.Samples[j] - v.pcm.Samples[j]
		}
		hs, hf := bandEnergies(v.pcm.Samples, v.pcm.Rate)
		ws, wf := bandEnergies(diff.Samples, v.pcm.Rate)
		fmt.Fprintf(&report, "%-18s", v.name)
		for b := range wsrBands {
			r := 10 * math.Log10(ws[b]/hs[b])
			worst = max(worst, r)
			fmt.Fprintf(&report, " %6.1f", r)
			if r > -30 {
				t.Errorf("%s: band %v Hz: watermark %.1f dB below the speech, want ≥ 30", v.name, wsrBands[b], -r)
			}
		}
		fmt.Fprintf(&report, "   frames over −30 dB: %.1f%%\n", 100*loudFramesOver(hf, wf))
	}
	t.Logf("watermark-to-speech ratio per band (dB), bands %v Hz; worst %.1f dB\n%s", wsrBands, worst, report.String())
	// The mark's spectra depend on the key; every key must keep the bound.
	var keys []string
	for n := range 8 {
		k, _ := KeyFrom(fmt.Appendf(nil, "another key that is long enough %d", n))
		w := worstBand(k, corpus)
		keys = append(keys, fmt.Sprintf("%.2f", w))
		if w > -30 {
			t.Errorf("key %d: watermark %.1f dB below the speech in its loudest band, want ≥ 30", n, -w)
		}
	}
	t.Logf("worst band with eight other keys (dB): %s", strings.Join(keys, " "))
}

// worstBand is the highest watermark-to-speech ratio of any band and voice
// with key k (in dB).
func worstBand(k Key, corpus []engineVoice) float64 {
	worst := math.Inf(-1)
	for i, v := range corpus {
		for _, r := range bandRatios(k, Payload(i), v) {
			worst = max(worst, r)
		}
	}
	return worst
}

// bandRatios is the watermark-to-speech ratio of each of wsrBands (in dB)
// in v's output marked with k and p.
func bandRatios(k Key, p Payload, v engineVoice) []float64 {
	e := NewEmbedder(k, p, v.pcm.Rate)
	m := append(e.Write(v.pcm.Samples), e.Flush()...)
	diff := make([]float32, len(v.pcm.Samples))
	for j := range diff {
		diff[j] = m[j] - v.pcm.Samples[j]
	}
	hs, _ := bandEnergies(v.pcm.Samples, v.pcm.Rate)
	ws, _ := bandEnergies(diff, v.pcm.Rate)
	r := make([]float64, len(wsrBands))
	for b := range wsrBands {
		r[b] = 10 * math.Log10(ws[b]/hs[b])
	}
	return r
}

// loudFramesOver is the share of (frame, band) cells of speech frames
// (within 30 dB of the loudest) where the ratio is above −30 dB.
func loudFramesOver(host, wm [][]float64) float64 {
	var peak float64
	for _, f := range host {
		var e float64
		for _, v := range f {
			e += v
		}
		peak = max(peak, e)
	}
	var cells, over int
	for t, f := range host {
		var e float64
		for _, v := range f {
			e += v
		}
		if e < peak/1000 {
			continue
		}
		for b := range f {
			cells++
			if wm[t][b] > f[b]/1000 {
				over++
			}
		}
	}
	return float64(over) / float64(max(cells, 1))
}
