package wav

import (
	"bytes"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// FuzzDecode checks that no input panics, and that what decodes is
// consistent and no larger than the input allows.
func FuzzDecode(f *testing.F) {
	f.Add(build(tagPCM, 1, 16000, 2, false, 4, []byte{1, 2, 3, 4}))
	f.Add(build(tagFloat, 2, 48000, 4, true, 0xFFFFFFFF, make([]byte, 64)))
	f.Add(build(tagMuLaw, 1, 8000, 1, false, 0, []byte{1, 2, 3}))
	f.Add(build(tagPCM, 2, 44100, 3, true, 12, make([]byte, 12)))
	var b bytes.Buffer
	Encode(&b, &audio.PCM{Rate: 8000, Channels: 1, Samples: []float32{0.1, -0.2, 0.3}}, Float32)
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeBytes(data, 1<<20)
		if err != nil {
			return
		}
		if len(p.Samples)%p.Channels != 0 || len(p.Samples) > len(data) {
			t.Fatalf("%d samples, %d channels from %d bytes", len(p.Samples), p.Channels, len(data))
		}
		q, err := Decode(bytes.NewReader(data), 1<<20)
		if err != nil || len(q.Samples) != len(p.Samples) {
			t.Fatalf("streaming decode disagrees: %v", err)
		}
	})
}
