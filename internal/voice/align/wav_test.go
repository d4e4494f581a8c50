package align

import (
	"encoding/binary"
	"os"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// readWAV reads the 16-bit PCM WAV files of the shared speech set.
func readWAV(t testing.TB, path string) *audio.PCM {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		t.Fatalf("%s: not a WAV file", path)
	}
	var rate, ch, bits int
	for p := 12; p+8 <= len(b); {
		id, n := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8 : min(len(b), p+8+n)]
		switch id {
		case "fmt ":
			ch = int(binary.LittleEndian.Uint16(body[2:]))
			rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if bits != 16 {
				t.Fatalf("%s: %d-bit samples", path, bits)
			}
			s := make([]float32, len(body)/2)
			for i := range s {
				s[i] = float32(int16(binary.LittleEndian.Uint16(body[2*i:]))) / 32768
			}
			return (&audio.PCM{Rate: rate, Channels: ch, Samples: s}).Mono()
		}
		p += 8 + n + n%2
	}
	t.Fatalf("%s: no data chunk", path)
	return nil
}

// load16k reads a recording of the shared set, or returns nil when it is
// not at 16 kHz.
func load16k(t testing.TB, path string) *audio.PCM {
	t.Helper()
	p := readWAV(t, path)
	if p.Rate != Rate {
		return nil
	}
	return p
}
