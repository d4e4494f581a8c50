package eval

import (
	"bytes"
	"slices"
	"testing"

	"github.com/voxclone/voxclone/internal/voice"
)

func TestDegradationsNamedOracle(t *testing.T) {
	d, err := DegradationsNamed("mp3_32+pool+gv", "noise20")
	if err != nil {
		t.Fatal(err)
	}
	if d[0].Name != "mp3_32+pool+gv" || d[1].Name != "noise20" {
		t.Errorf("names %q, %q", d[0].Name, d[1].Name)
	}
	if !slices.Equal(d[0].oracle, []string{"pool", "gv"}) || len(d[1].oracle) != 0 {
		t.Errorf("pieces %q, %q; want [pool gv] and none", d[0].oracle, d[1].oracle)
	}
	if _, err := DegradationsNamed("mp3_32+labels"); err == nil {
		t.Error("unknown piece accepted")
	}
	if _, err := DegradationsNamed("mp4+pool"); err == nil {
		t.Error("unknown degradation accepted")
	}
}

func TestApplyOracle(t *testing.T) {
	profile := func(warp, rate float32, gv float32) []byte {
		p := &voice.Profile{
			Prosody:  voice.Prosody{LogF0Median: 5.2, LogF0SD: 0.15, LogF0P05: 4.9, LogF0P95: 5.5, VoicedRatio: 0.5},
			Spectrum: voice.Spectrum{Alpha: 0.42, VoicedMean: []float32{1, 2}, VoicedStd: []float32{1, 1}, UnvoicedMean: []float32{1, 2}, UnvoicedStd: []float32{1, 1}, GV: []float32{gv, gv}},
			Source:   voice.Source{Aperiodicity: []float32{-20}},
			Base:     voice.BaseFit{Voice: "slt", BaseLogF0Median: 5.1, BaseLogF0SD: 0.12, Warp: warp, RateRatio: rate, EQVoiced: []float32{0, 0}, EQUnvoiced: []float32{0, 0}, ApOffset: []float32{0}},
		}
		b, err := p.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bad, clean := profile(0.95, 1.2, 0.9), profile(1.05, 1.0, 0.5)
	same, err := applyOracle(bad, clean, nil)
	if err != nil || !bytes.Equal(same, bad) {
		t.Fatalf("no pieces: changed the profile (%v)", err)
	}
	out, err := applyOracle(bad, clean, []string{"warp", "gv"})
	if err != nil {
		t.Fatal(err)
	}
	var p voice.Profile
	if err := p.UnmarshalBinary(out); err != nil {
		t.Fatal(err)
	}
	if p.Base.Warp != 1.05 || p.Spectrum.GV[0] != 0.5 || p.Base.RateRatio != 1.2 {
		t.Errorf("warp %v, gv %v, rate %v: want the clean warp and GV, the damaged rate", p.Base.Warp, p.Spectrum.GV, p.Base.RateRatio)
	}
}
