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
	if _, err := DegradationsNamed("mp3_32+means"); err == nil {
		t.Error("unknown piece accepted")
	}
	if _, err := DegradationsNamed("mp4+pool"); err == nil {
		t.Error("unknown degradation accepted")
	}
}

// testProfile is a small valid profile, changed by edit, marshalled.
func testProfile(t *testing.T, edit func(*voice.Profile)) []byte {
	t.Helper()
	p := &voice.Profile{
		Prosody:  voice.Prosody{LogF0Median: 5.2, LogF0SD: 0.15, LogF0P05: 4.9, LogF0P95: 5.5, VoicedRatio: 0.5},
		Spectrum: voice.Spectrum{Alpha: 0.42, VoicedMean: []float32{1, 2}, VoicedStd: []float32{1, 1}, UnvoicedMean: []float32{1, 2}, UnvoicedStd: []float32{1, 1}, GV: []float32{1, 1}},
		Source:   voice.Source{Aperiodicity: []float32{-20}},
		Base:     voice.BaseFit{Voice: "slt", BaseLogF0Median: 5.1, BaseLogF0SD: 0.12, Warp: 1, RateRatio: 1, EQVoiced: []float32{0, 0}, EQUnvoiced: []float32{0, 0}, ApOffset: []float32{0}},
	}
	edit(p)
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestApplyOracle(t *testing.T) {
	profile := func(warp, rate float32, gv float32) []byte {
		return testProfile(t, func(p *voice.Profile) {
			p.Base.Warp, p.Base.RateRatio, p.Spectrum.GV = warp, rate, []float32{gv, gv}
		})
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

// testPool builds a marshalable pool of 25-coefficient frames: frame k
// has the phone phones[k], is voiced when voiced[k], and its cepstrum
// is spec(k) in c1 and c2.
func testPool(phones []string, voiced []bool, spec func(k int) (float32, float32)) *voice.Pool {
	p := &voice.Pool{Dim: 25, Bands: 1}
	ids := map[string]uint8{}
	for k, ph := range phones {
		id, ok := ids[ph]
		if !ok {
			id = uint8(len(p.Phones))
			ids[ph] = id
			p.Phones = append(p.Phones, ph)
		}
		p.Phone = append(p.Phone, id)
		lf := float32(0)
		if voiced[k] {
			lf = 5
		}
		p.LogF0 = append(p.LogF0, lf)
		p.Ap = append(p.Ap, 40)
		mc := make([]float32, 25)
		mc[1], mc[2] = spec(k)
		p.MCep = append(p.MCep, mc...)
	}
	return p
}

// TestPoolHalves: the clean clone's pool reads the same four sounds as
// the damaged one, but held longer (its second sound lasts three frames,
// not one), labelled otherwise and undamaged. "labels" must give every
// damaged frame its matching clean frame's phone and voicing and keep
// its spectrum, "phones" the phone alone, and "frames" the reverse.
func TestPoolHalves(t *testing.T) {
	sound := []float32{0, 4, -4, 8} // c1 of the four sounds
	bad := testPool([]string{"aa", "s", "m", "iy"}, []bool{true, false, true, true},
		func(k int) (float32, float32) { return sound[k] + 0.5, -1 }) // damaged: c1 off by 0.5, c2 by 1
	cleanAt := []int{0, 1, 1, 1, 2, 3}
	clean := testPool([]string{"ah", "z", "z", "z", "n", "iy"}, []bool{true, true, true, true, true, false},
		func(k int) (float32, float32) { return sound[cleanAt[k]], 0 })
	profile := func(p *voice.Pool) []byte {
		return testProfile(t, func(pr *voice.Profile) { pr.Pool = p })
	}
	swap := func(piece string) *voice.Pool {
		out, err := applyOracle(profile(bad), profile(clean), []string{piece})
		if err != nil {
			t.Fatal(err)
		}
		var p voice.Profile
		if err := p.UnmarshalBinary(out); err != nil {
			t.Fatal(err)
		}
		if p.Pool.Len() != bad.Len() {
			t.Fatalf("%s: %d frames, want the damaged clone's %d", piece, p.Pool.Len(), bad.Len())
		}
		return p.Pool
	}
	labels := []string{"ah", "z", "n", "iy"}
	voicedWant := []bool{true, true, true, false}
	p := swap("labels")
	for k := range bad.Len() {
		if ph := p.Phones[p.Phone[k]]; ph != labels[k] || (p.LogF0[k] > 0) != voicedWant[k] {
			t.Errorf("labels: frame %d is %q voiced %v, want the clean %q voiced %v", k, ph, p.LogF0[k] > 0, labels[k], voicedWant[k])
		}
		if c1, c2 := p.Frame(k)[1], p.Frame(k)[2]; c1 != sound[k]+0.5 || c2 != -1 {
			t.Errorf("labels: frame %d spectrum (%v, %v), want the damaged (%v, -1)", k, c1, c2, sound[k]+0.5)
		}
	}
	p = swap("phones")
	for k := range bad.Len() {
		if ph := p.Phones[p.Phone[k]]; ph != labels[k] || p.LogF0[k] != bad.LogF0[k] {
			t.Errorf("phones: frame %d is %q (logF0 %v), want the clean %q with the damaged logF0 %v", k, ph, p.LogF0[k], labels[k], bad.LogF0[k])
		}
		if c1 := p.Frame(k)[1]; c1 != sound[k]+0.5 {
			t.Errorf("phones: frame %d c1 %v, want the damaged %v", k, c1, sound[k]+0.5)
		}
	}
	p = swap("frames")
	for k := range bad.Len() {
		if ph, want := p.Phones[p.Phone[k]], bad.Phones[bad.Phone[k]]; ph != want || p.LogF0[k] != bad.LogF0[k] {
			t.Errorf("frames: frame %d is %q (logF0 %v), want the damaged %q (%v)", k, ph, p.LogF0[k], want, bad.LogF0[k])
		}
		if c1, c2 := p.Frame(k)[1], p.Frame(k)[2]; c1 != sound[k] || c2 != 0 {
			t.Errorf("frames: frame %d spectrum (%v, %v), want the clean (%v, 0)", k, c1, c2, sound[k])
		}
	}
}
