package watermark

import (
	"crypto/sha256"
	"math/rand/v2"
	"sync"
)

// sequences are a key's chip sequences, one period long.
type sequences struct {
	pilot [Period]float64 // ±1
	data  [Period]float64 // ±1
	bitOf [Period]uint8   // which data bit each data chip carries
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
	chips("pilot", s.pilot[:])
	chips("data", s.data[:])
	r := rand.New(rand.NewChaCha8(sha256.Sum256(append(k[:], "bits"...))))
	for i := range s.bitOf {
		s.bitOf[i] = uint8(i % dataBits)
	}
	r.Shuffle(Period, func(i, j int) { s.bitOf[i], s.bitOf[j] = s.bitOf[j], s.bitOf[i] })
	v, _ := seqCache.LoadOrStore(k, s)
	return v.(*sequences)
}
