package watermark

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// Strength of the mark in the whitened domain, as a fraction of the
// whitened speech's level: the pilot and the data. Together they keep the
// mark about 30.6 dB below the speech in the band where it is loudest
// relative to the speech (TestInaudible measures it): with the caps on
// each band (hostCap, edgeCap) they could be 3.2 dB higher than with the
// fixed trim of the lowest band that came before.
//
// The data have half the power they had (0.0140 → 0.0098) and the pilot
// the rest (0.0305 → 0.0321, the same total, the same worst band): the
// pilot is what finds the mark, and in the pilot's fold the data are
// only noise. On 3-s excerpts one a second (223; no transform / Opus
// 24 kbps / AAC 64 kbps / μ-law / noise 20 dB SNR) the pilot's mean score
// rose 3–6% (10.58 → 11.07, 6.34 → 6.54, 8.99 → 9.54, 8.94 → 9.36,
// 6.52 → 6.83). Naming the synthesis takes twice the audio it did (its
// correlation over 25 s fell from 6.6–16.6 to 4.2–12.2 standard
// deviations); a quarter of the power (0.0070) gained a little more
// (Opus 6.64, noise 6.96) at four times the audio, and made readData
// pick the wrong place of four in two 25-s cuts of twenty.
var (
	pilotAmp = 0.0321
	dataAmp  = 0.0098
)

// whiteLevel is the per-sample RMS of the whitened speech: a sqrt-Hann
// frame of unit-magnitude bins, overlap-added.
// (measured on white noise).
const whiteLevel = 0.0826

// Embedder marks a stream of mono PCM piece by piece, carrying the mark's
// position from one piece to the next, so that a stream cut anywhere reads
// like one signal. It holds back at most a few samples (fewer than
// Rate/gcd of the rates) to keep pieces on the mark's sample grid.
type Embedder struct {
	seq     *sequences
	bits    [dataBits]float64
	rate    int
	unit    int   // output samples per grid step
	unit8   int   // samples at Rate per grid step
	pos8    int64 // samples at Rate marked so far
	pending []float32
	data    *[Period / hop][]complex128 // the signed data chips' frames
}

// NewEmbedder returns an Embedder for mono PCM at rate Hz.
func NewEmbedder(k Key, p Payload, rate int) *Embedder {
	g := gcd(rate, Rate)
	e := &Embedder{seq: sequencesFor(k), bits: p.bits(), rate: rate, unit: rate / g, unit8: Rate / g}
	// Pieces start on the mark's frame grid, so that their frames are
	// frames of the periodic sequences, whose spectra are computed once.
	step8 := e.unit8 / gcd(e.unit8, hop) * hop
	e.unit, e.unit8 = step8/e.unit8*e.unit, step8
	e.data = e.seq.dataFrames(&e.bits)
	return e
}

// Write marks the samples and returns those ready: all of them but for a
// remainder shorter than the grid step, which the next Write or Flush
// returns. The result may share no memory with x.
func (e *Embedder) Write(x []float32) []float32 {
	buf := append(e.pending, x...)
	n := len(buf) / e.unit * e.unit
	out := e.mark(buf[:n])
	e.pending = append([]float32(nil), buf[n:]...)
	return out
}

// Flush marks and returns the samples held back (at most 32 ms at the
// usual rates; a few samples at the very end may stay unmarked).
func (e *Embedder) Flush() []float32 {
	buf := e.pending
	e.pending = nil
	g := gcd(e.rate, Rate)
	n := len(buf) / (e.rate / g) * (e.rate / g)
	out := e.mark(buf[:n])
	return append(out, buf[n:]...)
}

// Embed marks a whole signal (mixed to mono if it is not).
func Embed(k Key, p Payload, pcm *audio.PCM) *audio.PCM {
	m := pcm.Mono()
	e := NewEmbedder(k, p, m.Rate)
	out := e.Write(m.Samples)
	out = append(out, e.Flush()...)
	return &audio.PCM{Rate: m.Rate, Channels: 1, Samples: out}
}

// mark marks one piece of whole grid steps.
func (e *Embedder) mark(x []float32) []float32 {
	out := make([]float32, len(x))
	copy(out, x)
	if len(x) == 0 {
		return out
	}
	g := gcd(e.rate, Rate)
	n8 := len(x) / (e.rate / g) * (Rate / g)
	pos := e.pos8
	e.pos8 += int64(n8)
	if dsp.PeakAbs(x) == 0 {
		return out
	}
	x8 := dsp.Resample(&audio.PCM{Rate: e.rate, Channels: 1, Samples: x}, Rate).Samples
	host := make([]float64, n8)
	for i := range host {
		if i < len(x8) {
			host[i] = float64(x8[i])
		}
	}
	w8 := e.watermark(host, pos)
	wf := make([]float32, len(w8))
	for i, v := range w8 {
		wf[i] = float32(v)
	}
	w := dsp.Resample(&audio.PCM{Rate: Rate, Channels: 1, Samples: wf}, e.rate).Samples
	for i := range out {
		if i < len(w) {
			out[i] += w[i]
		}
	}
	return out
}

// watermark returns the mark for host (at Rate), whose first sample is at
// position pos of the mark, a multiple of hop: the mark's frames are the
// periodic pilot's and data's frames, shaped per bin. (An informed
// embedder that bent the pilot per half second to cancel the host's own
// correlation with it found slightly fewer 3-s excerpts, 70.7% against
// 71.6% with no transform, and was dropped.)
func (e *Embedder) watermark(host []float64, pos int64) []float64 {
	spec := analyze(host)
	env := spec.envelope(1e-9)
	shape := markShape(spec, env, detectorGain(spec, env, wienerFloor, 0))
	pilot := e.seq.pilotFrames()
	frame := func(t int) int { return int(((pos+int64(t*hop-hop))%Period+Period)%Period) / hop }
	ap, ad := complex(pilotAmp*whiteLevel, 0), complex(dataAmp*whiteLevel, 0)
	for t, f := range spec.frames {
		p, d := pilot[frame(t)], e.data[frame(t)]
		for k := range f {
			if k < loBin || k > hiBin {
				f[k] = 0
				continue
			}
			f[k] = complex(shape[t][k], 0) * (ap*p[k] + ad*d[k])
		}
		evenOut(f, shape[t][:], real(ap)*real(ap)+real(ad)*real(ad))
	}
	return spec.synthesize()
}

// chipPower is the expected power of a bin of a windowed ±1 sequence's
// frame: the window's energy.
const chipPower = frameLen / 2

// evenOut scales each band of the mark's frame f to the energy it has on
// average, shape²·amp²·chipPower: a frame of the pilot, which repeats every
// PilotPeriod, is one of only a few, so its chance dips and peaks in a
// band would otherwise stay in the band's level over a whole output
// (the worst band then varied from −29.6 to −30.7 dB with the key). A
// band is at most doubled, so that one the frame nearly misses is not
// blown up.
func evenOut(f []complex128, shape []float64, amp2 float64) {
	for b := 0; b+1 < len(shapeBands); b++ {
		var got, want float64
		for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
			got += real(f[j])*real(f[j]) + imag(f[j])*imag(f[j])
			want += shape[j] * shape[j] * amp2 * chipPower
		}
		if got == 0 {
			continue
		}
		g := complex(min(2, math.Sqrt(want/got)), 0)
		for j := shapeBands[b]; j < shapeBands[b+1]; j++ {
			f[j] *= g
		}
	}
}

// bandShare is the fraction of a white sequence's power inside the band.
const bandShare = float64(hiBin-loBin+1) / float64(nBins-1)

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
