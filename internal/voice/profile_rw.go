package voice

import (
	"encoding/binary"
	"errors"
	"math"
)

// pwriter appends little-endian fields; the first error sticks.
type pwriter struct {
	b   []byte
	err error
}

func (w *pwriter) raw(b []byte) { w.b = append(w.b, b...) }
func (w *pwriter) u16(v uint16) { w.b = binary.LittleEndian.AppendUint16(w.b, v) }
func (w *pwriter) u32(v uint32) { w.b = binary.LittleEndian.AppendUint32(w.b, v) }

func (w *pwriter) f32(vs ...float32) {
	for _, v := range vs {
		w.u32(math.Float32bits(v))
	}
}

func (w *pwriter) arr(a []float32) {
	if len(a) > maxArray {
		w.err = errors.New("voice: profile array too long")
		return
	}
	w.u16(uint16(len(a)))
	w.f32(a...)
}

func (w *pwriter) str(s string) {
	if len(s) > 255 {
		w.err = errors.New("voice: profile string too long")
		return
	}
	w.b = append(w.b, byte(len(s)))
	w.b = append(w.b, s...)
}

// section writes tag, a length placeholder, the payload, then the length.
func (w *pwriter) section(tag [4]byte, payload func(*pwriter)) {
	w.raw(tag[:])
	at := len(w.b)
	w.u32(0)
	payload(w)
	binary.LittleEndian.PutUint32(w.b[at:], uint32(len(w.b)-at-4))
}

// preader reads little-endian fields; past the end it records an error
// and returns zeros, so callers check err once.
type preader struct {
	b   []byte
	err error
}

var errShort = errors.New("truncated")

func (r *preader) take(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.err = errShort
		return nil
	}
	p := r.b[:n]
	r.b = r.b[n:]
	return p
}

func (r *preader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.LittleEndian.Uint16(p)
	}
	return 0
}

func (r *preader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *preader) f32(dst ...*float32) {
	for _, d := range dst {
		*d = math.Float32frombits(r.u32())
	}
}

// arr reads a counted float array; the count is checked against the bytes
// left before anything is allocated.
func (r *preader) arr() []float32 {
	n := int(r.u16())
	if r.err != nil || n == 0 {
		return nil
	}
	if n > maxArray || 4*n > len(r.b) {
		r.err = errShort
		return nil
	}
	a := make([]float32, n)
	for i := range a {
		r.f32(&a[i])
	}
	return a
}

func (r *preader) str() string {
	p := r.take(1)
	if p == nil {
		return ""
	}
	return string(r.take(int(p[0])))
}

func (r *preader) section() (tag [4]byte, payload []byte) {
	copy(tag[:], r.take(4))
	n := r.u32()
	if r.err != nil || uint64(n) > uint64(len(r.b)) {
		r.err = errShort
		return tag, nil
	}
	return tag, r.take(int(n))
}
