package voice

import (
	"context"
	"fmt"
	"math"
	"math/cmplx"
	"os"
	"testing"

	"github.com/voxclone/voxclone/internal/voice/align"
)

func fftRec(a []complex128) {
	n := len(a)
	if n == 1 {
		return
	}
	ev, od := make([]complex128, n/2), make([]complex128, n/2)
	for i := 0; i < n/2; i++ {
		ev[i], od[i] = a[2*i], a[2*i+1]
	}
	fftRec(ev)
	fftRec(od)
	for k := 0; k < n/2; k++ {
		t := cmplx.Exp(complex(0, -2*math.Pi*float64(k)/float64(n))) * od[k]
		a[k], a[k+n/2] = ev[k]+t, ev[k]-t
	}
}

var diagBands = [][2]float64{{0, 1000}, {1000, 2000}, {2000, 4000}, {4000, 6000}, {6000, 8000}}

func bandDB(x []float64, rate int, t float64) []float64 {
	n := 512
	c := int(t * float64(rate))
	a := make([]complex128, n)
	for i := 0; i < 400; i++ {
		j := c - 200 + i
		if j >= 0 && j < len(x) {
			w := 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/399)
			a[i] = complex(x[j]*w, 0)
		}
	}
	fftRec(a)
	out := make([]float64, len(diagBands))
	for b, r := range diagBands {
		s := 1e-12
		for k := 0; k <= n/2; k++ {
			f := float64(k) * float64(rate) / float64(n)
			if f >= r[0] && f < r[1] {
				s += real(a[k] * cmplx.Conj(a[k]))
			}
		}
		out[b] = 10 * math.Log10(s)
	}
	return out
}

// TestClarityBands prints, per phone class of the base synthesis, the
// clone's band levels (relative to its 1–2 kHz band) minus the base
// voice's, for the default and each clarity experiment
// (docs/engine.md, "Clarity"). Diagnostic only: set
// CLARITY_DIAG_SPEAKER to a speaker of the shared speech folder.
func TestClarityBands(t *testing.T) {
	spk := os.Getenv("CLARITY_DIAG_SPEAKER")
	if spk == "" {
		t.Skip()
	}
	prof, err := New(Config{}).Clone(context.Background(), firstSeconds(loadRefs(t, spk, 60), 60))
	if err != nil {
		t.Fatal(err)
	}
	var p Profile
	if err := p.UnmarshalBinary(prof); err != nil {
		t.Fatal(err)
	}
	t.Logf("voice %s apOffset %v srcAp %v", p.Base.Voice, p.Base.ApOffset, p.Source.Aperiodicity)
	text := "She sells sea shells; the fifth sixth thief fished for stuff at six past four."
	variants := []struct {
		name       string
		e1, e2, e3 bool
		sim        float64
	}{{"default", false, false, false, 1}, {"sim0", false, false, false, 0}, {"e1", true, false, false, 1}, {"e2", false, true, false, 1}, {"e3", false, false, true, 1}, {"e1b", false, true, true, 1}}
	for _, v := range variants {
		holdObstruentHighBand, baseAperiodicityD4C, gvSonorantsOnly = v.e1 || v.e2 && v.e3, v.e2 && !v.e3, v.e3 && !v.e2
		holdUnvoicedFull = v.e2 && v.e3
		if holdUnvoicedFull {
			holdSmooth = 1
		}
		e := New(Config{})
		conv := newConversion(&p, v.sim, 0)
		pcm, r, err := e.speak(context.Background(), &p, conv, text, sanitize(Options{}), 1)
		if err != nil {
			t.Fatal(err)
		}
		y := toFloat64(pcm.Samples)
		b := resampleTo(toFloat64(r.Audio.Samples), r.Audio.Rate, analysisRate)
		sum := map[string][]float64{}
		cnt := map[string]int{}
		start := 0.0
		for _, ph := range r.Phones {
			cl := "son"
			if isObstruent(align.Normalize(ph.Name)) {
				cl = align.Class(align.Normalize(ph.Name))
				if unvoicedPhones[ph.Name] {
					cl += "/u"
				} else {
					cl += "/v"
				}
			}
			if align.Normalize(ph.Name) == align.Silence {
				start = ph.End
				continue
			}
			for tt := start + 0.01; tt < ph.End-0.01; tt += 0.005 {
				by, bb := bandDB(y, analysisRate, tt), bandDB(b, analysisRate, tt)
				if sum[cl] == nil {
					sum[cl] = make([]float64, len(diagBands))
				}
				for k := range by {
					sum[cl][k] += (by[k] - by[1]) - (bb[k] - bb[1])
				}
				cnt[cl]++
			}
			start = ph.End
		}
		for cl, s := range sum {
			line := fmt.Sprintf("%-8s %-14s n=%3d", v.name, cl, cnt[cl])
			for k := range s {
				line += fmt.Sprintf(" %6.1f", s[k]/float64(cnt[cl]))
			}
			t.Log(line)
		}
	}
	holdObstruentHighBand, baseAperiodicityD4C, gvSonorantsOnly = false, false, false
}
