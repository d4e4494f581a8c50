package watermark

// Payload is the 32 bits a mark carries. The caller decides what they
// mean (voxclone: an instance tag and a synthesis serial).
type Payload uint32

// dataBits is the number of bits the data sequence carries: the payload
// and its CRC-8.
const dataBits = 40

// bits returns the payload and its CRC as ±1 signs, most significant first.
func (p Payload) bits() [dataBits]float64 {
	v := uint64(p)<<8 | uint64(crc8(p))
	var b [dataBits]float64
	for i := range b {
		if v>>(dataBits-1-i)&1 == 1 {
			b[i] = 1
		} else {
			b[i] = -1
		}
	}
	return b
}

// fromSoft decides the bits from soft values and reports whether the CRC
// agrees.
func fromSoft(soft []float64) (Payload, bool) {
	var v uint64
	for _, s := range soft {
		v <<= 1
		if s > 0 {
			v |= 1
		}
	}
	p := Payload(v >> 8)
	return p, crc8(p) == byte(v)
}

// crc8 is CRC-8 (polynomial 0x07) over the payload's four bytes, big endian,
// inverted so that an all-zero payload does not have an all-zero CRC.
func crc8(p Payload) byte {
	var c byte
	for _, b := range [4]byte{byte(p >> 24), byte(p >> 16), byte(p >> 8), byte(p)} {
		c ^= b
		for range 8 {
			if c&0x80 != 0 {
				c = c<<1 ^ 0x07
			} else {
				c <<= 1
			}
		}
	}
	return ^c
}
