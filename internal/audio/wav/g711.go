package wav

// G.711 companding, as in the ITU reference implementation: μ-law and A-law
// bytes decode to 16-bit linear values, scaled here to [-1, 1].

var muLawTable, aLawTable [256]float32

func init() {
	for i := range 256 {
		muLawTable[i] = float32(muLawToLinear(byte(i))) / (1 << 15)
		aLawTable[i] = float32(aLawToLinear(byte(i))) / (1 << 15)
	}
}

func muLawToLinear(u byte) int32 {
	u = ^u
	t := (int32(u&0x0F)<<3 + 0x84) << ((u & 0x70) >> 4)
	if u&0x80 != 0 {
		return 0x84 - t
	}
	return t - 0x84
}

func aLawToLinear(a byte) int32 {
	a ^= 0x55
	t := int32(a&0x0F) << 4
	switch seg := (a & 0x70) >> 4; seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t = (t + 0x108) << (seg - 1)
	}
	if a&0x80 != 0 {
		return t
	}
	return -t
}

// linearToMuLaw encodes a 16-bit linear sample.
func linearToMuLaw(s int32) byte {
	const bias, clip = 0x84, 32635
	var sign byte
	if s < 0 {
		s, sign = -s, 0x80
	}
	if s > clip {
		s = clip
	}
	s += bias
	exp := byte(7)
	for mask := int32(0x4000); s&mask == 0 && exp > 0; mask >>= 1 {
		exp--
	}
	mant := byte(s>>(exp+3)) & 0x0F
	return ^(sign | exp<<4 | mant)
}

func fromMuLaw(dst []float32, src []byte) {
	for i := range dst {
		dst[i] = muLawTable[src[i]]
	}
}

func fromALaw(dst []float32, src []byte) {
	for i := range dst {
		dst[i] = aLawTable[src[i]]
	}
}
