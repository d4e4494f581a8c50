package world

import (
	"errors"
	"fmt"
	"math"
)

// Errors returned for unusable input. Callers test them with errors.Is.
var (
	// ErrRate is returned for a sample rate below 8000 Hz or above 192 kHz.
	ErrRate = errors.New("world: unsupported sample rate")
	// ErrShape is returned when parameter streams disagree in length or a
	// row does not have FFTSize/2+1 bins.
	ErrShape = errors.New("world: inconsistent parameter shapes")
	// ErrNotFinite is returned when the input signal holds NaN or ±Inf.
	ErrNotFinite = errors.New("world: input is not finite")
)

// DefaultFramePeriod is the analysis hop in milliseconds.
const DefaultFramePeriod = 5.0

// Params is a vocoder analysis: everything Synthesize needs. Callers may
// edit the streams in place (F0 mapping, envelope warping) as long as the
// shapes stay consistent; frames may be added or dropped to change timing,
// in which case Samples should be updated (or set to 0 to derive it).
type Params struct {
	// Rate is the sample rate in Hz.
	Rate int
	// FramePeriod is the hop between frames in milliseconds.
	FramePeriod float64
	// Samples is the length in samples of the analysed signal and of the
	// synthesised one; 0 means "derive from the frame count".
	Samples int
	// FFTSize is the transform length the envelope and aperiodicity rows
	// are sampled for; every row has FFTSize/2+1 bins, bin k at k·Rate/FFTSize Hz.
	FFTSize int
	// F0 is the fundamental frequency in Hz per frame; 0 marks unvoiced.
	F0 []float64
	// Envelope is the spectral envelope per frame as a power spectrum
	// (linear, not dB), scaled so that white noise of unit variance
	// has an envelope of 1.
	Envelope [][]float64
	// Aperiodicity is, per frame and bin, the aperiodic share of the
	// amplitude in [0, 1]: 0 fully periodic, 1 pure noise.
	Aperiodicity [][]float64
}

// NumFrames returns the number of frames WORLD-style analysis produces for
// n samples at rate fs and the given frame period (ms): one frame every
// period from sample 0 through the end.
func NumFrames(n, fs int, framePeriod float64) int {
	if n <= 0 || fs <= 0 || framePeriod <= 0 {
		return 0
	}
	return int(1000*float64(n)/float64(fs)/framePeriod) + 1
}

// FFTSizeFor returns the envelope FFT size for rate fs: the smallest power
// of two above three periods of f0Floor Hz (1024 at 16 and 24 kHz with
// the default floor of 71 Hz).
func FFTSizeFor(fs int, f0Floor float64) int {
	if f0Floor <= 0 {
		f0Floor = DefaultEnvelopeF0Floor
	}
	return pow2Above(3*float64(fs)/f0Floor + 1)
}

// OutputSamples is the number of samples Synthesize produces for p.
func (p *Params) OutputSamples() int {
	if p.Samples > 0 {
		return p.Samples
	}
	if len(p.F0) == 0 {
		return 0
	}
	return int(float64(len(p.F0)-1)*p.FramePeriod/1000*float64(p.Rate)) + 1
}

// Validate checks that the streams have consistent shapes and sane scalars.
func (p *Params) Validate() error {
	if err := checkRate(p.Rate); err != nil {
		return err
	}
	if p.FramePeriod <= 0 || p.FFTSize < 16 || p.FFTSize&(p.FFTSize-1) != 0 {
		return fmt.Errorf("%w: frame period %g ms, FFT size %d", ErrShape, p.FramePeriod, p.FFTSize)
	}
	n := len(p.F0)
	if len(p.Envelope) != n || (p.Aperiodicity != nil && len(p.Aperiodicity) != n) {
		return fmt.Errorf("%w: %d F0 frames, %d envelope, %d aperiodicity",
			ErrShape, n, len(p.Envelope), len(p.Aperiodicity))
	}
	bins := p.FFTSize/2 + 1
	for i := range n {
		if len(p.Envelope[i]) != bins || (p.Aperiodicity != nil && len(p.Aperiodicity[i]) != bins) {
			return fmt.Errorf("%w: frame %d does not have %d bins", ErrShape, i, bins)
		}
	}
	return nil
}

// AnalyzeOptions tune Analyze. The zero value means defaults throughout.
type AnalyzeOptions struct {
	F0           F0Options
	Envelope     EnvelopeOptions
	Aperiodicity AperiodicityOptions
}

// Analyze runs F0, Envelope and Aperiodicity on x (mono samples, nominal
// range ±1) at rate fs. Empty input gives empty streams, not an error.
func Analyze(x []float64, fs int, opt AnalyzeOptions) (*Params, error) {
	f0, err := F0(x, fs, opt.F0)
	if err != nil {
		return nil, err
	}
	period := opt.F0.framePeriod()
	env, err := Envelope(x, fs, f0, period, opt.Envelope)
	if err != nil {
		return nil, err
	}
	fftSize := opt.Envelope.fftSize(fs)
	ap, err := Aperiodicity(x, fs, f0, period, fftSize, opt.Aperiodicity)
	if err != nil {
		return nil, err
	}
	return &Params{
		Rate: fs, FramePeriod: period, Samples: len(x), FFTSize: fftSize,
		F0: f0, Envelope: env, Aperiodicity: ap,
	}, nil
}

func checkRate(fs int) error {
	if fs < 8000 || fs > 192000 {
		return fmt.Errorf("%w: %d Hz", ErrRate, fs)
	}
	return nil
}

func checkInput(x []float64, fs int) error {
	if err := checkRate(fs); err != nil {
		return err
	}
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ErrNotFinite
		}
	}
	return nil
}

// frameTimes returns the frame centres in seconds.
func frameTimes(n int, framePeriod float64) []float64 {
	t := make([]float64, n)
	for i := range t {
		t[i] = float64(i) * framePeriod / 1000
	}
	return t
}

// Clone returns a deep copy of p, so one analysis can feed several edits.
func (p *Params) Clone() *Params {
	q := *p
	q.F0 = append([]float64(nil), p.F0...)
	q.Envelope = cloneRows(p.Envelope)
	q.Aperiodicity = cloneRows(p.Aperiodicity)
	return &q
}

func cloneRows(m [][]float64) [][]float64 {
	if m == nil {
		return nil
	}
	out := make([][]float64, len(m))
	for i, r := range m {
		out[i] = append([]float64(nil), r...)
	}
	return out
}
