package voice

import (
	"errors"
	"fmt"
	"math"

	"github.com/voxclone/voxclone/internal/voice/world"
)

// Pool is the speaker's frame pool: one entry per 10 ms speech frame of
// the labelled references. The phone-aware shift uses its per-phone means;
// the frames themselves are kept for later methods such as unit
// selection. Values are kept exactly as the profile stores them
// (mel-cepstra as float16), so a pool survives MarshalBinary/UnmarshalBinary
// unchanged.
type Pool struct {
	Dim    int      // mel-cepstral coefficients per frame (order + 1)
	Bands  int      // coded aperiodicity bands per frame
	Phones []string // phone table; frames refer to it by index
	// Per frame: phone index, log-F0 (0 when unvoiced), coded aperiodicity
	// (Bands bytes: 0.25 dB steps below 0 dB, apUnknown when not measured)
	// and the mel-cepstrum (Dim values).
	Phone []uint8
	LogF0 []float32
	Ap    []uint8
	MCep  []float32
	// Aligned counts the frames labelled from a transcript; the others
	// were labelled by phone recognition.
	Aligned uint32
}

// apUnknown marks a frame whose aperiodicity was not analysed (D4C runs on
// every apStride-th voiced frame only).
const apUnknown = 255

// Pool format limits.
const (
	poolVersion   = 1
	maxPoolPhones = 64
	maxPhoneName  = 8
	// maxPoolFrames bounds the frames read from a profile: ten minutes of
	// speech, far beyond what Clone labels.
	maxPoolFrames = 60000
	maxMCepAbs    = 100 // |mel-cepstrum| bound; real values stay under 20
)

// Len returns the number of frames.
func (p *Pool) Len() int { return len(p.Phone) }

// Frame returns frame i's mel-cepstrum (shared, do not modify).
func (p *Pool) Frame(i int) []float32 { return p.MCep[i*p.Dim : (i+1)*p.Dim] }

// frameBytes is the encoded size of one frame.
func (p *Pool) frameBytes() int { return 1 + 4 + p.Bands + 2*p.Dim }

func (p *Pool) write(w *pwriter) {
	w.b = append(w.b, poolVersion, byte(p.Dim), byte(p.Bands), byte(len(p.Phones)))
	for _, s := range p.Phones {
		w.str(s)
	}
	w.u32(p.Aligned)
	w.u32(uint32(p.Len()))
	for i := range p.Phone {
		w.b = append(w.b, p.Phone[i])
		w.f32(p.LogF0[i])
		w.raw(p.Ap[i*p.Bands : (i+1)*p.Bands])
		for _, v := range p.Frame(i) {
			w.u16(f16Bits(v))
		}
	}
}

// readPool decodes a POOL section. Every count is checked against the
// bytes left before anything is allocated.
func readPool(r *preader) (*Pool, error) {
	h := r.take(4)
	if h == nil {
		return nil, errShort
	}
	if h[0] != poolVersion {
		return nil, nil // a future pool layout: ignore it, Engine A still works
	}
	p := &Pool{Dim: int(h[1]), Bands: int(h[2])}
	if p.Dim != mcepOrder+1 || p.Bands > 8 || int(h[3]) > maxPoolPhones {
		return nil, errors.New("pool layout")
	}
	for range int(h[3]) {
		s := r.str()
		if len(s) == 0 || len(s) > maxPhoneName {
			return nil, errors.New("pool phone name")
		}
		p.Phones = append(p.Phones, s)
	}
	p.Aligned = r.u32()
	n := int(r.u32())
	if r.err != nil || n > maxPoolFrames || n*p.frameBytes() > len(r.b) || int(p.Aligned) > n {
		return nil, errShort
	}
	p.alloc(n)
	for i := range n {
		p.Phone[i] = r.take(1)[0]
		r.f32(&p.LogF0[i])
		copy(p.Ap[i*p.Bands:], r.take(p.Bands))
		for j := range p.Dim {
			p.MCep[i*p.Dim+j] = f16Float(r.u16())
		}
	}
	return p, p.validate()
}

func (p *Pool) alloc(n int) {
	p.Phone, p.LogF0 = make([]uint8, n), make([]float32, n)
	p.Ap, p.MCep = make([]uint8, n*p.Bands), make([]float32, n*p.Dim)
}

// validate rejects values the selection could not use safely.
func (p *Pool) validate() error {
	lo, hi := float64(float32(math.Log(world.DefaultF0Floor))), float64(float32(math.Log(world.DefaultF0Ceil)))
	for i, ph := range p.Phone {
		f := float64(p.LogF0[i])
		if int(ph) >= len(p.Phones) || math.IsNaN(f) || (f != 0 && (f < lo || f > hi)) {
			return fmt.Errorf("pool frame %d", i)
		}
	}
	for _, v := range p.MCep {
		if math.IsNaN(float64(v)) || math.Abs(float64(v)) > maxMCepAbs {
			return errors.New("pool mel-cepstrum out of range")
		}
	}
	return nil
}

// f16Bits rounds v to IEEE half precision (nearest, ties away from zero;
// magnitudes beyond 65504 saturate, below 2^-14 flush to zero).
func f16Bits(v float32) uint16 {
	b := math.Float32bits(v)
	sign := uint16(b>>16) & 0x8000
	a := math.Abs(float64(v))
	switch {
	case math.IsNaN(float64(v)):
		return 0x7e00
	case a >= 65504:
		return sign | 0x7bff
	case a < 1.0/16384:
		return sign
	}
	exp := int(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	h := uint32(exp)<<10 | mant>>13
	if mant&0x1000 != 0 { // round half up on the dropped bits
		h++
	}
	return sign | uint16(min(h, 0x7bff))
}

// f16Float expands a half-precision value (subnormals read as zero;
// infinities and NaN come out as NaN, which validate rejects).
func f16Float(h uint16) float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch exp {
	case 0:
		return math.Float32frombits(sign)
	case 31:
		return float32(math.NaN())
	}
	return math.Float32frombits(sign | (exp-15+127)<<23 | mant<<13)
}

// quantF16 is the value v becomes after a float16 round trip.
func quantF16(v float64) float32 { return f16Float(f16Bits(float32(v))) }
