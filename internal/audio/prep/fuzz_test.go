package prep

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// FuzzPrepare feeds arbitrary audio (any length, common rates, one or two
// channels, full-scale noise, silence, DC) through Analyze and Prepare:
// nothing may panic, and the results must be finite and in range.
func FuzzPrepare(f *testing.F) {
	p := synthetic(f, "slt", 1, 16000)
	seed := []byte{0, 0}
	for _, v := range p.Samples[8000:12000] {
		seed = binary.LittleEndian.AppendUint16(seed, uint16(int16(v*32767)))
	}
	f.Add(seed)
	f.Add([]byte{3, 1, 0xff, 0x7f, 0xff, 0x7f, 0, 0x80})
	f.Add([]byte{1, 0})
	rates := []int{16000, 8000, 44100, 48000, 22050, 11025, 96000, 100}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		in := &audio.PCM{Rate: rates[int(data[0])%len(rates)], Channels: 1 + int(data[1])%2}
		body := data[2:]
		for i := 0; i+1 < len(body); i += 2 {
			in.Samples = append(in.Samples, float32(int16(binary.LittleEndian.Uint16(body[i:])))/32768)
		}
		in.Samples = in.Samples[:len(in.Samples)/in.Channels*in.Channels]
		r := Analyze(in)
		out, r2 := Prepare(in, DefaultOptions())
		for _, rep := range []Report{r, r2} {
			for _, v := range []float64{rep.DurationSeconds, rep.SpeechSeconds, rep.LoudnessLUFS, rep.TruePeakDBTP, rep.SNRDB, rep.ClippingRatio} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("non-finite report field: %+v", rep)
				}
			}
			if rep.Score < 0 || rep.Score > 100 || rep.Warnings == nil {
				t.Fatalf("report out of range: %+v", rep)
			}
		}
		if out.Rate != 16000 || out.Channels != 1 {
			t.Fatalf("output %d Hz %d ch", out.Rate, out.Channels)
		}
		for _, v := range out.Samples {
			if math.IsNaN(float64(v)) || v > 1 || v < -1 {
				t.Fatalf("output sample %v", v)
			}
		}
	})
}
