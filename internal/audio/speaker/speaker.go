// Package speaker tells whether two recordings are of the same voice. Each
// recording is summarised as a Print — the mean and covariance of its mel
// cepstra over speech frames — and two prints are compared by the
// Bhattacharyya distance between those Gaussians. It needs no background
// model or training data; its equal-error rate is measured on real speech
// by the package tests and reported in docs/trust.md.
package speaker

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
)

// MinSpeech is the least speech a print is made from: fewer frames give a
// covariance too noisy to compare.
const MinSpeech = 2.0 // seconds

// ErrTooLittleSpeech is returned for recordings with less than MinSpeech of
// speech.
var ErrTooLittleSpeech = errors.New("speaker: too little speech to compare voices")

// Print is one recording's voice summary.
type Print struct {
	Frames int       // speech frames it was made from
	Mean   []float64 // numCeps
	Cov    []float64 // numCeps × numCeps, row-major, symmetric
}

// Extract makes the print of a recording of any rate and channel count.
func Extract(p *audio.PCM) (*Print, error) {
	if p == nil || p.Rate <= 0 || p.Channels <= 0 {
		return nil, ErrTooLittleSpeech
	}
	m := p.Mono()
	if m.Rate != rate {
		m = dsp.Resample(m, rate)
	}
	ceps := newExtractor().speechCeps(m.Samples)
	if float64(len(ceps)) < MinSpeech*rate/frameHop {
		return nil, ErrTooLittleSpeech
	}
	return fromFrames(ceps), nil
}

func fromFrames(x [][]float64) *Print {
	d := numCeps
	pr := &Print{Frames: len(x), Mean: make([]float64, d), Cov: make([]float64, d*d)}
	for _, r := range x {
		for j, v := range r {
			pr.Mean[j] += v
		}
	}
	n := float64(len(x))
	for j := range pr.Mean {
		pr.Mean[j] /= n
	}
	for _, r := range x {
		for i := 0; i < d; i++ {
			di := r[i] - pr.Mean[i]
			for j := i; j < d; j++ {
				pr.Cov[i*d+j] += di * (r[j] - pr.Mean[j])
			}
		}
	}
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			v := pr.Cov[i*d+j] / n
			pr.Cov[i*d+j], pr.Cov[j*d+i] = v, v
		}
	}
	return pr
}

func (p *Print) sym() *mat.SymDense {
	d := len(p.Mean)
	s := mat.NewSymDense(d, nil)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			s.SetSym(i, j, p.Cov[i*d+j])
		}
		// A ridge keeps near-singular covariances (clipped or synthetic
		// audio) invertible.
		s.SetSym(i, i, s.At(i, i)+covRidge)
	}
	return s
}

const covRidge = 1e-3

// Distance is the Bhattacharyya distance between the two prints'
// Gaussians: 0 for identical prints, larger for more different voices. It
// is +Inf when either print is unusable.
func Distance(a, b *Print) float64 {
	if !a.valid() || !b.valid() || len(a.Mean) != len(b.Mean) {
		return math.Inf(1)
	}
	sa, sb := a.sym(), b.sym()
	avg := mat.NewSymDense(len(a.Mean), nil)
	avg.AddSym(sa, sb)
	avg.ScaleSym(0.5, avg)
	var ca, cb, cm mat.Cholesky
	if !ca.Factorize(sa) || !cb.Factorize(sb) || !cm.Factorize(avg) {
		return math.Inf(1)
	}
	diff := mat.NewVecDense(len(a.Mean), nil)
	for i := range a.Mean {
		diff.SetVec(i, a.Mean[i]-b.Mean[i])
	}
	var sol mat.VecDense
	if err := cm.SolveVecTo(&sol, diff); err != nil {
		return math.Inf(1)
	}
	meanTerm := mat.Dot(diff, &sol) / 8
	shapeTerm := 0.5 * (cm.LogDet() - 0.5*(ca.LogDet()+cb.LogDet()))
	return meanTerm + shapeTerm
}

func (p *Print) valid() bool {
	if p == nil || p.Frames <= 0 || len(p.Mean) != numCeps || len(p.Cov) != numCeps*numCeps {
		return false
	}
	for _, v := range p.Mean {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	for _, v := range p.Cov {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// Threshold is the largest distance still taken as the same voice: the
// equal-error point measured by TestEqualErrorRate on the speech set.
const Threshold = 1.4
