package world

import (
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

// readWAV is a minimal test-only reader for the 16-bit mono PCM files in the
// shared speech set: it walks the RIFF chunks and returns samples in ±1.
func readWAV(t testing.TB, path string) ([]float64, int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, fs, err := parseWAV16(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return x, fs
}

func parseWAV16(b []byte) ([]float64, int, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a RIFF/WAVE file")
	}
	var fs, channels, bits int
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8 : min(len(b), p+8+size)]
		switch id {
		case "fmt ":
			if len(body) < 16 {
				return nil, 0, errors.New("short fmt chunk")
			}
			channels = int(binary.LittleEndian.Uint16(body[2:]))
			fs = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if bits != 16 || channels != 1 {
				return nil, 0, errors.New("want 16-bit mono PCM")
			}
			x := make([]float64, len(body)/2)
			for i := range x {
				x[i] = float64(int16(binary.LittleEndian.Uint16(body[2*i:]))) / 32768
			}
			return x, fs, nil
		}
		p += 8 + size + size&1
	}
	return nil, 0, errors.New("no data chunk")
}
