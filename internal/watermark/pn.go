package watermark

import (
	"crypto/sha256"
	"math/rand/v2"
	"sync"

	"github.com/voxclone/voxclone/internal/fftpack"
)

// sequences are a key's chip sequences, one period long.
type sequences struct {
	pilot  [Period]float64 // ±1, repeating every PilotPeriod
	legacy [Period]float64 // ±1, the pilot of marks made before it repeated
	data   [Period]float64 // ±1
	bitOf  [Period]uint8   // which data bit each data chip carries

	pilotOnce sync.Once
	pilotSpec [Period / hop][]complex128 // the pilot's frames, see frames
}

// pilotFrames returns the pilot's short-time spectra at every frame
// position of a period.
func (s *sequences) pilotFrames() *[Period / hop][]complex128 {
	s.pilotOnce.Do(func() { s.pilotSpec = frames(func(i int) float64 { return s.pilot[i] }) })
	return &s.pilotSpec
}

// dataFrames returns the spectra of the data chips signed by bits.
func (s *sequences) dataFrames(bits *[dataBits]float64) *[Period / hop][]complex128 {
	f := frames(func(i int) float64 { return s.data[i] * bits[s.bitOf[i]] })
	return &f
}

// frames returns the windowed spectra of the periodic sequence chip, one
// per frame position j (the frame starting at sample j·hop of the period).
func frames(chip func(i int) float64) [Period / hop][]complex128 {
	fft := fftPool.Get().(*fftpack.FFT)
	defer fftPool.Put(fft)
	var out [Period / hop][]complex128
	buf := make([]float64, frameLen)
	for j := range out {
		for i := range buf {
			buf[i] = chip((j*hop+i)%Period) * window[i]
		}
		out[j] = fft.Coefficients(nil, buf)
	}
	return out
}

var seqCache sync.Map // Key → *sequences

// sequencesFor derives (once per key) the pilot, the data chips and the
// keyed assignment of chips to bits.
func sequencesFor(k Key) *sequences {
	if s, ok := seqCache.Load(k); ok {
		return s.(*sequences)
	}
	s := new(sequences)
	chips := func(label string, dst []float64) {
		r := rand.New(rand.NewChaCha8(sha256.Sum256(append(k[:], label...))))
		for i := range dst {
			dst[i] = float64(int(r.Uint32()&1)*2 - 1)
		}
	}
	chips("pilot", s.legacy[:])
	chips("pilot/short", s.pilot[:PilotPeriod])
	for i := PilotPeriod; i < Period; i++ {
		s.pilot[i] = s.pilot[i-PilotPeriod]
	}
	chips("data", s.data[:])
	r := rand.New(rand.NewChaCha8(sha256.Sum256(append(k[:], "bits"...))))
	for i := range s.bitOf {
		s.bitOf[i] = uint8(i % dataBits)
	}
	r.Shuffle(Period, func(i, j int) { s.bitOf[i], s.bitOf[j] = s.bitOf[j], s.bitOf[i] })
	v, _ := seqCache.LoadOrStore(k, s)
	return v.(*sequences)
}
