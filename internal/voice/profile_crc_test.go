package voice

import (
	"encoding/binary"
	"hash/crc32"
)

// withCRC appends a valid checksum to b, so fuzzing reaches the parser.
func withCRC(b []byte) []byte {
	out := append([]byte(nil), b...)
	return binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(out))
}
