package voice

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/wav"
	"gonum.org/v1/gonum/dsp/fourier"
)

// TestBandwidthOfPhoneReference enrols two speakers from their recordings
// and from the same recordings through an 8 kHz line: the clean profiles
// must read as full band (their conversion unchanged), the telephone ones
// as cut near 4 kHz, where the line's band ends.
func TestBandwidthOfPhoneReference(t *testing.T) {
	if raceEnabled {
		t.Skip("numbers only; slow under the race detector")
	}
	e := New(Config{})
	for _, sp := range []string{"librispeech_1998", "vctk_p226"} {
		refs := loadRefs(t, sp, 12)
		phone := make([]Reference, len(refs))
		for i, r := range refs {
			phone[i] = Reference{Audio: dsp.Resample(dsp.Resample(r.Audio.Mono(), 8000), analysisRate)}
		}
		for _, c := range []struct {
			name   string
			refs   []Reference
			lo, hi float64
		}{{"clean", refs, analysisRate / 2, analysisRate / 2}, {"8 kHz", phone, 3000, 4300}} {
			b, err := e.Clone(context.Background(), c.refs)
			if err != nil {
				t.Fatalf("%s %s: %v", sp, c.name, err)
			}
			var p Profile
			if err := p.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			bw := ltasBandwidth(p.Spectrum.LTAS)
			t.Logf("%s %s: bandwidth %.0f Hz", sp, c.name, bw)
			if bw < c.lo || bw > c.hi {
				t.Errorf("%s %s: bandwidth %.0f Hz, want %.0f–%.0f", sp, c.name, bw, c.lo, c.hi)
			}
		}
	}
}

// TestPhoneReferenceUpperBand clones two speakers from their recordings
// and from the same recordings through an 8 kHz μ-law line, and compares
// the clones' long-term spectra. Below the line's band the telephone
// clone must match the full-band one; above it, where the engine fills in
// from speechUpperBand, it must stay nearer than it did. Before limitBand
// anchored the EQ's level, the telephone clones were 10–45 dB short from
// 4 to 8 kHz (RMS 28 and 21 dB over three sentences); with the anchored
// EQ and the fill 14.6 and 10.1 dB here (5.4 and 8.3 dB with the phone
// shifts anchored too, which cost likeness: fadeBand); with the phone
// means' dark band filled from the base voice's (fillDarkBand) 5.2 and
// 6.9 dB, and 0.71 and 0.63 dB below 3.4 kHz.
func TestPhoneReferenceUpperBand(t *testing.T) {
	if raceEnabled {
		t.Skip("numbers only; slow under the race detector")
	}
	e := New(Config{})
	ctx := context.Background()
	const text = "The birch canoe slid on the smooth planks. A pot of tea helps to pass the evening."
	for _, sp := range []string{"librispeech_1998", "vctk_p226"} {
		refs := loadRefs(t, sp, 30)
		var lt [2][]float64
		for k, rs := range [][]Reference{refs, phoneRefs(t, refs)} {
			b, err := e.Clone(ctx, rs)
			if err != nil {
				t.Fatal(err)
			}
			out, err := e.Synthesize(ctx, b, text, Options{Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			lt[k] = ltasDB(out)
		}
		lo, hi := rmsDiff(lt[0], lt[1], 1, 34), rmsDiff(lt[0], lt[1], 40, 80)
		t.Logf("%s: telephone clone against full-band clone, RMS dB: 0.1–3.4 kHz %.2f, 4–8 kHz %.2f", sp, lo, hi)
		if lo > 2 || hi > 10 {
			t.Errorf("%s: spectra %.2f dB (0.1–3.4 kHz, want ≤ 2) and %.2f dB (4–8 kHz, want ≤ 10) apart", sp, lo, hi)
		}
	}
}

// phoneRefs passes references through an 8 kHz μ-law line, as the
// evaluation's phone degradation does, and back to the analysis rate.
func phoneRefs(t *testing.T, refs []Reference) []Reference {
	out := make([]Reference, len(refs))
	for i, r := range refs {
		var b bytes.Buffer
		if err := wav.Encode(&b, dsp.Resample(r.Audio.Mono(), 8000), wav.MuLaw); err != nil {
			t.Fatal(err)
		}
		p, err := wav.Decode(&b, 0)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = Reference{Audio: dsp.Resample(p, analysisRate), Transcript: r.Transcript}
	}
	return out
}

// ltasDB is the mean log power (dB) of p's louder 32 ms frames per
// 100 Hz band up to 8 kHz, against its mean over 100–3400 Hz, measured at
// analysisRate whatever p's rate.
func ltasDB(p *audio.PCM) []float64 {
	x := dsp.Resample(p.Mono(), analysisRate).Samples
	const n = 512
	fft := fourier.NewFFT(n)
	bands := make([]float64, 80)
	cnt := make([]float64, 80)
	buf := make([]float64, n)
	for s := 0; s+n <= len(x); s += 160 {
		var e float64
		for i := range buf {
			w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/n)
			buf[i] = float64(x[s+i]) * w
			e += buf[i] * buf[i]
		}
		if e < 1e-4 {
			continue
		}
		c := fft.Coefficients(nil, buf)
		for k := 1; k < n/2; k++ {
			f := float64(k) * analysisRate / n
			b := int(f / 100)
			if b < 80 {
				bands[b] += 10 * math.Log10(real(c[k])*real(c[k])+imag(c[k])*imag(c[k])+1e-12)
				cnt[b]++
			}
		}
	}
	var m, nm float64
	for b := range bands {
		bands[b] /= math.Max(1, cnt[b])
		if b >= 1 && b < 34 {
			m += bands[b]
			nm++
		}
	}
	for b := range bands {
		bands[b] -= m / nm
	}
	return bands
}

// rmsDiff is the RMS difference of a and b over bands [lo, hi).
func rmsDiff(a, b []float64, lo, hi int) float64 {
	var s float64
	for i := lo; i < hi; i++ {
		s += (a[i] - b[i]) * (a[i] - b[i])
	}
	return math.Sqrt(s / float64(hi-lo))
}

// TestPhoneReferencePhoneShifts enrols two speakers from their
// recordings and from the same recordings through an 8 kHz μ-law line,
// and compares the phone-aware shifts each profile gives (similarity 1)
// over the band the line keeps, 300–3400 Hz, level included. The shifts
// drop c0, so a phone mean whose band above 4 kHz is dark carries that
// band's deficit, which is larger for the phones loud up there, as a
// boost of its lower band: each phone's level against the others moved
// with how much of it the line took away, not with the speaker. Before
// fillDarkBand: −18.0 and −16.9 dB, RMS 4.60 and 3.37 dB around it;
// with it −0.7 and −0.3 dB, RMS 4.12 and 1.55 dB.
func TestPhoneReferencePhoneShifts(t *testing.T) {
	if raceEnabled {
		t.Skip("numbers only; slow under the race detector")
	}
	e := New(Config{})
	for _, sp := range []string{"librispeech_1998", "vctk_p226"} {
		refs := loadRefs(t, sp, 30)
		var shifts [2]*phoneShift
		for k, rs := range [][]Reference{refs, phoneRefs(t, refs)} {
			b, err := e.Clone(context.Background(), rs)
			if err != nil {
				t.Fatal(err)
			}
			var p Profile
			if err := p.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if shifts[k] = newConversion(&p, 1, 0).phones; shifts[k] == nil {
				t.Fatalf("%s: no phone shifts", sp)
			}
		}
		off, rms, n := shiftBandRMS(shifts[0], shifts[1], 300, 3400)
		t.Logf("%s: telephone phone shifts against full-band ones, 0.3–3.4 kHz: %+.2f dB, RMS %.2f dB around it over %d phones", sp, off, rms, n)
		if n < 20 || math.Abs(off) > 3 || rms > 4.5 {
			t.Errorf("%s: phone shifts %+.2f dB (want within ±3) and %.2f dB RMS around it (want ≤ 4.5) apart over %d phones (want ≥ 20)", sp, off, rms, n)
		}
	}
}

// shiftBandRMS compares two profiles' phone shifts from lo to hi Hz,
// over the phones both have: their mean difference (dB; a level common
// to every phone, which the output's normalisation takes away) and the
// RMS difference around it (each phone's shape and level against the
// others).
func shiftBandRMS(a, b *phoneShift, lo, hi float64) (offset, rms float64, n int) {
	conv := newMcepConverter()
	nyq := float64(analysisRate) / 2
	var d []float64
	for k, da := range a.phone {
		db, ok := b.phone[k]
		if !ok {
			continue
		}
		ea, eb := conv.ToEnvelope(nil, da), conv.ToEnvelope(nil, db)
		for j := range ea {
			if f := float64(j) * nyq / float64(len(ea)-1); f >= lo && f <= hi {
				d = append(d, 10*math.Log10(ea[j]/eb[j]))
			}
		}
		n++
	}
	for _, v := range d {
		offset += v
	}
	offset /= math.Max(1, float64(len(d)))
	for _, v := range d {
		rms += (v - offset) * (v - offset)
	}
	return offset, math.Sqrt(rms / math.Max(1, float64(len(d)))), n
}

// TestApBandWeightWindow: D4C measures the 3 kHz band over a window
// reaching 6 kHz, so under a telephone line's or a narrow encoder's
// cutoff the speaker's aperiodicity offset there read the empty band too
// (+0.3 to +2.4 dB on five speakers) and must not be used; full-band
// references keep it whole.
func TestApBandWeightWindow(t *testing.T) {
	for _, c := range []struct{ cutoff, want float64 }{
		{3400, 0}, {4100, 0}, {5000, 0}, {analysisRate / 2, 1},
	} {
		if got := apBandWeight(0, c.cutoff); got != c.want {
			t.Errorf("apBandWeight(0, %.0f) = %.2f, want %.0f", c.cutoff, got, c.want)
		}
	}
}
