package codec

import (
	"bytes"
	"context"
	"encoding/binary"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
)

// tone is seconds of a sine of amplitude 0.5 at freq Hz.
func tone(rate int, freq, seconds float64) *audio.PCM {
	p := &audio.PCM{Rate: rate, Channels: 1, Samples: make([]float32, int(seconds*float64(rate)))}
	for i := range p.Samples {
		p.Samples[i] = float32(0.5 * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
	}
	return p
}

// s16le reads raw PCM as written by FormatPCM.
func s16le(data []byte) []float32 {
	x := make([]float32, len(data)/2)
	for i := range x {
		x[i] = float32(int16(binary.LittleEndian.Uint16(data[2*i:]))) / 32768
	}
	return x
}

// fitTone fits a sine at freq Hz by least squares to the middle 80% of x
// and returns its level in dB relative to amplitude 0.5, and the signal
// over the residual in dB.
func fitTone(x []float32, rate int, freq float64) (db, snr float64) {
	x = x[len(x)/10 : len(x)-len(x)/10]
	var ss, cc, sc, xs, xc float64
	for i, v := range x {
		s, c := math.Sincos(2 * math.Pi * freq * float64(i) / float64(rate))
		ss, cc, sc = ss+s*s, cc+c*c, sc+s*c
		xs, xc = xs+float64(v)*s, xc+float64(v)*c
	}
	det := ss*cc - sc*sc
	a, b := (xs*cc-xc*sc)/det, (xc*ss-xs*sc)/det
	var sig, res float64
	for i, v := range x {
		s, c := math.Sincos(2 * math.Pi * freq * float64(i) / float64(rate))
		fit := a*s + b*c
		sig, res = sig+fit*fit, res+(float64(v)-fit)*(float64(v)-fit)
	}
	return 20 * math.Log10(math.Hypot(a, b)/0.5), 10 * math.Log10(sig/res)
}

// levelDB is the RMS of the middle 80% of x in dB relative to a sine of
// amplitude 0.5.
func levelDB(x []float32) float64 {
	x = x[len(x)/10 : len(x)-len(x)/10]
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return 20 * math.Log10(math.Sqrt(s/float64(len(x)))/(0.5/math.Sqrt2))
}

// pcmBoth encodes p to raw PCM at rate twice: with Encode, and streamed in
// pieces of 0.37 s, which cut the signal mid-sound.
func pcmBoth(t *testing.T, p *audio.PCM, rate int) map[string][]float32 {
	t.Helper()
	opt := EncodeOptions{SampleRate: rate}
	var pieces []*audio.PCM
	step := int(0.37 * float64(p.Rate))
	for i := 0; i < p.Frames(); i += step {
		pieces = append(pieces, &audio.PCM{Rate: p.Rate, Channels: 1, Samples: p.Samples[i:min(i+step, p.Frames())]})
	}
	return map[string][]float32{
		"encode": s16le(encode(t, p, audio.FormatPCM, opt)),
		"stream": s16le(streamPieces(t, audio.FormatPCM, opt, pieces...)),
	}
}

// TestOutputRateKeepsBand: the engine's 24 kHz converted to a 16 or
// 22.05 kHz format keeps its band up to 0.875 and 0.9 of the new Nyquist
// frequency (7 kHz, 9.9 kHz) within 0.1 dB, where the analysis resampler
// (dsp.Resample) loses 2.0 and 3.6 dB; and a tone just above that
// frequency, which would fold back into the band, comes out at least 80 dB
// down (through dsp.Resample: −49 and −51 dB). Above 0.9 the sharp design
// rolls off too: 10.5 kHz at 22.05 kHz is −9 dB.
func TestOutputRateKeepsBand(t *testing.T) {
	for _, tc := range []struct {
		rate       int
		pass, stop float64
	}{{16000, 7000, 8400}, {22050, 9900, 11600}} {
		for how, x := range pcmBoth(t, tone(24000, tc.pass, 2), tc.rate) {
			db, snr := fitTone(x, tc.rate, tc.pass)
			if math.Abs(db) > 0.1 || snr < 80 {
				t.Errorf("%d Hz %s: %.0f Hz at %+.2f dB, SNR %.1f dB; want within 0.1 dB, ≥ 80 dB", tc.rate, how, tc.pass, db, snr)
			}
			t.Logf("%d Hz %s: %.0f Hz at %+.3f dB, SNR %.1f dB", tc.rate, how, tc.pass, db, snr)
		}
		for how, x := range pcmBoth(t, tone(24000, tc.stop, 2), tc.rate) {
			if db := levelDB(x); db > -80 {
				t.Errorf("%d Hz %s: %.0f Hz leaks at %.1f dB, want ≤ −80", tc.rate, how, tc.stop, db)
			} else {
				t.Logf("%d Hz %s: %.0f Hz at %.1f dB", tc.rate, how, tc.stop, db)
			}
		}
	}
}

// TestStreamEncoderMatchesEncode: a stream cut into pieces mid-sound
// carries the same samples as Encode of the whole, at every output rate
// the compatible routes ask for (the resampler's state runs across
// pieces; resampling each piece on its own would leave a seam at every
// cut).
func TestStreamEncoderMatchesEncode(t *testing.T) {
	src := speech(t, "slt", 3, 24000)
	var pieces []*audio.PCM
	for i, n := 0, 0; i < src.Frames(); i += n {
		n = min([]int{4801, 17, 12345, 1, 24000}[len(pieces)%5], src.Frames()-i)
		pieces = append(pieces, &audio.PCM{Rate: 24000, Channels: 1, Samples: src.Samples[i : i+n]})
	}
	for _, tc := range []struct {
		f    audio.Format
		rate int
	}{{audio.FormatPCM, 16000}, {audio.FormatPCM, 22050}, {audio.FormatPCM, 44100}, {audio.FormatULaw, 8000}, {audio.FormatWAV, 48000}, {audio.FormatFLAC, 16000}} {
		opt := EncodeOptions{SampleRate: tc.rate}
		whole, streamed := encode(t, src, tc.f, opt), streamPieces(t, tc.f, opt, pieces...)
		if tc.f == audio.FormatPCM {
			if !bytes.Equal(whole, streamed) {
				t.Errorf("pcm %d Hz: %d bytes streamed, %d encoded whole: not the same samples", tc.rate, len(streamed), len(whole))
			}
			continue
		}
		a, _, err := Decode(context.Background(), whole)
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := Decode(context.Background(), streamed)
		if err != nil {
			t.Fatal(err)
		}
		if a.Rate != tc.rate || b.Rate != tc.rate || len(a.Samples) != len(b.Samples) {
			t.Fatalf("%s %d Hz: whole %d Hz %d frames, streamed %d Hz %d frames", tc.f, tc.rate, a.Rate, a.Frames(), b.Rate, b.Frames())
		}
		for i := range a.Samples {
			if a.Samples[i] != b.Samples[i] {
				t.Errorf("%s %d Hz: frame %d streamed %v, whole %v", tc.f, tc.rate, i, b.Samples[i], a.Samples[i])
				break
			}
		}
	}
}
