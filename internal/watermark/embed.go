package watermark

import (
	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// Strength of the mark in the whitened domain, as a fraction of the
// whitened speech's level: the pilot, the data, and the most the pilot may
// bend to cancel the speech's own correlation with it. Together they keep
// the mark about 31 dB below the speech in every band (TestInaudible
// measures it).
var (
	pilotAmp  = 0.055
	dataAmp   = 0.035
	cancelCap = 0.5  // × pilotAmp
	segLen    = 4096 // samples at Rate over which the pilot's host correlation is cancelled
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
}

// NewEmbedder returns an Embedder for mono PCM at rate Hz.
func NewEmbedder(k Key, p Payload, rate int) *Embedder {
	g := gcd(rate, Rate)
	return &Embedder{seq: sequencesFor(k), bits: p.bits(), rate: rate, unit: rate / g, unit8: Rate / g}
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

// Flush returns the samples held back, unmarked (they are under a
// millisecond at the usual rates).
func (e *Embedder) Flush() []float32 {
	out := e.pending
	e.pending = nil
	return out
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
	n8 := len(x) / e.unit * e.unit8
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
// position pos of the mark.
func (e *Embedder) watermark(host []float64, pos int64) []float64 {
	spec := analyze(host)
	env := spec.envelope(1e-9)
	spec.shape(env, true)
	white := spec.synthesize()
	q := e.chips(white, pos)
	qs := analyze(q)
	qs.shape(env, false)
	return qs.synthesize()
}

// chips builds the whitened-domain mark: the pilot, bent per segment to
// cancel the host's correlation with it, plus the signed data chips.
func (e *Embedder) chips(white []float64, pos int64) []float64 {
	s := e.seq
	q := make([]float64, len(white))
	ap, ad := pilotAmp*whiteLevel, dataAmp*whiteLevel
	for start := 0; start < len(white); {
		seg := int(int64(segLen) - (pos+int64(start))%int64(segLen))
		end := min(start+seg, len(white))
		var hp, pp float64
		for i := start; i < end; i++ {
			c := s.pilot[(pos+int64(i))%Period]
			hp += white[i] * c
			pp++
		}
		// The detector sees the pilot band-limited: only the band's share
		// of its power correlates.
		rho := hp / (pp * bandShare)
		rho = max(-cancelCap*ap, min(cancelCap*ap, rho))
		for i := start; i < end; i++ {
			j := (pos + int64(i)) % Period
			q[i] = (ap-rho)*s.pilot[j] + ad*s.data[j]*e.bits[s.bitOf[j]]
		}
		start = end
	}
	return q
}

// bandShare is the fraction of a white sequence's power inside the band.
const bandShare = float64(hiBin-loBin+1) / float64(nBins-1)

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
