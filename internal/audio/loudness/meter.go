package loudness

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// Meter measures the integrated loudness of audio that arrives in pieces,
// as a stream is produced: after any number of pieces, Integrated equals
// what the package-level Integrated returns for all of them joined. It
// keeps one number per 100 ms of audio (≈ 290 kB for an hour).
type Meter struct {
	ch      int
	step    int // frames per 100 ms
	filters []*kFilter
	filled  int     // frames in the current step
	acc     float64 // its weighted power sum
	steps   []float64
	total   float64 // weighted power sum of everything, for audio under 400 ms
	frames  int
}

// NewMeter returns a meter for audio at rate Hz with channels channels.
func NewMeter(rate, channels int) *Meter {
	m := &Meter{ch: channels, step: int(math.Round(float64(rate) / 10))}
	for range channels {
		m.filters = append(m.filters, newKFilter(float64(rate)))
	}
	return m
}

// Add measures the next piece, which must have the meter's rate and
// channel count.
func (m *Meter) Add(p *audio.PCM) {
	n := p.Frames()
	for off := 0; off < n; {
		k := min(m.step-m.filled, n-off)
		for c, f := range m.filters {
			pow := channelWeight(c, m.ch) * f.power(p.Samples[off*m.ch+c:(off+k)*m.ch], m.ch)
			m.acc += pow
			m.total += pow
		}
		m.filled += k
		m.frames += k
		off += k
		if m.filled == m.step {
			m.steps = append(m.steps, m.acc/float64(m.step))
			m.filled, m.acc = 0, 0
		}
	}
}

// Integrated returns the gated integrated loudness of everything added, in
// LUFS, or Silence. Under 400 ms it is measured as one ungated block, as
// the package-level Integrated does.
func (m *Meter) Integrated() float64 {
	if m.frames < 4*m.step {
		if m.frames == 0 {
			return Silence
		}
		l := offset + 10*math.Log10(m.total/float64(m.frames))
		if l <= absoluteGate {
			return Silence
		}
		return l
	}
	return integratedFromSteps(m.steps)
}

// Seconds is how much audio the meter has measured.
func (m *Meter) Seconds() float64 { return float64(m.frames) / float64(m.step) / 10 }
