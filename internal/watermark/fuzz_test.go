package watermark

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// FuzzDetect feeds the detector arbitrary samples (NaN, infinities, huge
// values, any rate and length): it reads audio from strangers, so it must
// neither panic nor return nonsense.
func FuzzDetect(f *testing.F) {
	f.Add(uint16(8000), []byte{})
	f.Add(uint16(16000), make([]byte, 4*4000))
	f.Add(uint16(1), []byte{0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0x7f}) // NaN, +Inf
	f.Add(uint16(44100), binary.LittleEndian.AppendUint32(nil, math.Float32bits(1e30)))
	f.Fuzz(func(t *testing.T, rate uint16, raw []byte) {
		if rate == 0 {
			rate = 1
		}
		s := make([]float32, len(raw)/4)
		for i := range s {
			s[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		r := Detect(testKey, &audio.PCM{Rate: int(rate), Channels: 1, Samples: s})
		if math.IsNaN(r.Confidence) || r.Confidence < 0 || r.Confidence > 1 || r.Lag < 0 || r.Lag >= Period {
			t.Fatalf("result %+v", r)
		}
	})
}
