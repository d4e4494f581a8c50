package speaker

import (
	"encoding/binary"
	"errors"
	"math"
)

// The stored form of a print: a magic, the frame count, the mean and the
// upper triangle of the covariance as little-endian float64s. It has one
// fixed length, so a stored print is read without trusting any length in it.
const (
	printMagic = "VXSP1"
	triangle   = numCeps * (numCeps + 1) / 2
	printSize  = len(printMagic) + 4 + 8*(numCeps+triangle)
)

// ErrBadPrint is returned for bytes that are not a stored print.
var ErrBadPrint = errors.New("speaker: not a voice print")

// MarshalBinary encodes the print.
func (p *Print) MarshalBinary() ([]byte, error) {
	if !p.valid() {
		return nil, ErrBadPrint
	}
	b := make([]byte, 0, printSize)
	b = append(b, printMagic...)
	b = binary.LittleEndian.AppendUint32(b, uint32(min(p.Frames, math.MaxUint32)))
	for _, v := range p.Mean {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	for i := 0; i < numCeps; i++ {
		for j := i; j < numCeps; j++ {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p.Cov[i*numCeps+j]))
		}
	}
	return b, nil
}

// UnmarshalBinary decodes a print written by MarshalBinary.
func (p *Print) UnmarshalBinary(b []byte) error {
	if len(b) != printSize || string(b[:len(printMagic)]) != printMagic {
		return ErrBadPrint
	}
	b = b[len(printMagic):]
	q := Print{Frames: int(binary.LittleEndian.Uint32(b)), Mean: make([]float64, numCeps), Cov: make([]float64, numCeps*numCeps)}
	b = b[4:]
	next := func() float64 {
		v := math.Float64frombits(binary.LittleEndian.Uint64(b))
		b = b[8:]
		return v
	}
	for i := range q.Mean {
		q.Mean[i] = next()
	}
	for i := 0; i < numCeps; i++ {
		for j := i; j < numCeps; j++ {
			v := next()
			q.Cov[i*numCeps+j], q.Cov[j*numCeps+i] = v, v
		}
	}
	if !q.valid() {
		return ErrBadPrint
	}
	*p = q
	return nil
}
