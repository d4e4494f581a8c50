package speaker

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/speechtest"
)

func TestSilenceHasNoPrint(t *testing.T) {
	for _, level := range []float32{0, 1e-6} {
		p := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 5*16000)}
		for i := range p.Samples {
			p.Samples[i] = level * float32(i%7-3)
		}
		if _, err := Extract(p); !errors.Is(err, ErrTooLittleSpeech) {
			t.Errorf("level %g: err %v, want ErrTooLittleSpeech", level, err)
		}
	}
	if _, err := Extract(&audio.PCM{}); !errors.Is(err, ErrTooLittleSpeech) {
		t.Errorf("empty: err %v", err)
	}
}

func TestNoiseIsNotAVoice(t *testing.T) {
	sp := speechtest.Speakers(t)
	speech, err := Extract(speechtest.Load(t, speechtest.WAVs(t, sp[0])[0]))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := &audio.PCM{Rate: 16000, Channels: 1, Samples: make([]float32, 6*16000)}
	for i := range n.Samples {
		n.Samples[i] = float32(rng.NormFloat64() * 0.1)
	}
	noise, err := Extract(n)
	if err != nil {
		t.Fatal(err)
	}
	if d := Distance(speech, noise); d <= Threshold {
		t.Errorf("speech vs white noise: distance %.2f, within Threshold %.2f", d, Threshold)
	}
	if d := Distance(speech, speech); d > 1e-9 {
		t.Errorf("a print against itself: %g, want 0", d)
	}
}

func TestPrintRoundTrip(t *testing.T) {
	sp := speechtest.Speakers(t)
	p, err := Extract(speechtest.Load(t, speechtest.WAVs(t, sp[1])[0]))
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var q Print
	if err := q.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if d := Distance(p, &q); d > 1e-9 || q.Frames != p.Frames {
		t.Errorf("round trip changed the print: distance %g, frames %d→%d", d, p.Frames, q.Frames)
	}
	b[len(b)-1] = 0xff // the last covariance term becomes NaN
	b[len(b)-2] = 0xff
	if err := q.UnmarshalBinary(b); !errors.Is(err, ErrBadPrint) {
		t.Errorf("NaN in print: err %v", err)
	}
	if d := Distance(p, &Print{Frames: 1, Mean: make([]float64, 3)}); !math.IsInf(d, 1) {
		t.Errorf("malformed print: distance %g, want +Inf", d)
	}
}

func FuzzUnmarshalPrint(f *testing.F) {
	good, _ := fromFrames([][]float64{make([]float64, numCeps), onesRow()}).MarshalBinary()
	f.Add(good)
	f.Add([]byte(printMagic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Print
		if err := p.UnmarshalBinary(b); err != nil {
			return
		}
		out, err := p.MarshalBinary()
		if err != nil {
			t.Fatalf("decoded print does not encode: %v", err)
		}
		if string(out) != string(b) {
			t.Fatal("round trip changed the bytes")
		}
		_ = Distance(&p, &p)
	})
}

func onesRow() []float64 {
	r := make([]float64, numCeps)
	for i := range r {
		r[i] = 1
	}
	return r
}
