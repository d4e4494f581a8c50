package speechtest

import (
	"encoding/binary"
	"math/rand/v2"
)

// GarbageMP3 returns size bytes of what a hostile upload looks like: MPEG-1
// Layer III frame headers (128 kbit/s, 44.1 kHz, stereo), each where the
// previous frame's length says, with random bytes in between. It sniffs as
// MP3, and at 9.6 MB claims about ten minutes of audio. The same seed gives
// the same bytes.
func GarbageMP3(size int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]byte, size)
	for i := range out {
		out[i] = byte(r.Uint32())
	}
	const header = 0xFFFB9000 // sync, MPEG-1, layer III, no CRC, 128 kbit/s, 44.1 kHz, no padding
	const frameLen = 144000 * 128 / 44100
	for off := 0; off+4 <= size; off += frameLen {
		binary.BigEndian.PutUint32(out[off:], header)
	}
	return out
}

// SilentMP3 returns valid MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz,
// stereo) that decode to sec seconds of silence: all-zero side
// information and no Huffman data. It is a cheap long file, for the
// length limits.
func SilentMP3(sec float64) []byte {
	const frameLen = 144000 * 128 / 44100
	n := int(sec*44100/1152) + 1
	out := make([]byte, n*frameLen)
	for off := 0; off < len(out); off += frameLen {
		binary.BigEndian.PutUint32(out[off:], 0xFFFB9000)
	}
	return out
}
