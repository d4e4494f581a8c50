package voice

import (
	"math"
	"testing"

	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice/mcep"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// synthPool builds a pool with n voiced frames per phone; phone k's
// mel-cepstra sit around centre[k] with a small deterministic spread.
func synthPool(phones []string, centre []float64, n int) *Pool {
	p := &Pool{Dim: mcepOrder + 1, Bands: 1, Phones: phones}
	p.alloc(n * len(phones))
	for k := range phones {
		for j := range n {
			i := k*n + j
			p.Phone[i], p.LogF0[i] = uint8(k), 5
			for m := range p.Dim {
				p.MCep[i*p.Dim+m] = quantF16(centre[k] + 0.1*math.Sin(float64(3*i+m)))
			}
		}
	}
	return p
}

func TestFrameLabels(t *testing.T) {
	phones := []flite.Phone{{Name: "pau", End: 0.01}, {Name: "ax", End: 0.02}, {Name: "s", End: 0.03}}
	got := frameLabels(phones, 5, 8)
	want := []string{"pau", "pau", "ah", "ah", "s", "s", "pau", "pau"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("labels %v, want %v", got, want)
		}
	}
}

// identityConversion has no warp and a flat EQ, so the base means reach
// the phone shift unchanged.
func identityConversion() *conversion {
	bins := world.FFTSizeFor(analysisRate, 0)/2 + 1
	flat := make([]float64, bins)
	for i := range flat {
		flat[i] = 1
	}
	return &conversion{warp: newWarpMap(bins, 1), eq: [2][]float64{flat, flat}, conv: mcep.NewConverter(bins, mcepOrder, mcepAlpha)}
}

// flatMean is a phoneMean of n frames whose c1…cM all equal v.
func flatMean(n int, v float64) phoneMean {
	m := phoneMean{N: n, Mean: make([]float64, mcepOrder+1)}
	for i := 1; i < len(m.Mean); i++ {
		m.Mean[i] = v
	}
	return m
}

func TestPhoneShiftIsMAPEstimate(t *testing.T) {
	// The speaker: 8 voiced "aa" frames around 1, 8 voiced "iy" around -1.
	pool := synthPool([]string{"aa", "iy"}, []float64{1, -1}, 8)
	base := &phoneTable{
		Phones: map[string]phoneMean{"aa/v": flatMean(50, 0), "iy/v": flatMean(50, 0), "m/v": flatMean(50, 0)},
		Classes: map[string]phoneMean{
			"vowel-back/v": flatMean(50, 0), "vowel-front/v": flatMean(50, 0.5), "nasal/v": flatMean(50, 0),
		},
	}
	s := newPhoneShift(identityConversion(), pool, base, 1)
	mean := func(d []float64) float64 {
		sum := 0.0
		for _, v := range d[1:] {
			sum += v / mcepOrder
		}
		return sum
	}
	// Class level: n/(n+r) of the observed difference, toward no shift.
	backClass := 8.0 / (8 + relevance) * (1 - 0)
	frontClass := 8.0 / (8 + relevance) * (-1 - 0.5)
	cases := []struct {
		name, phone string
		voiced      int
		want        float64 // NaN: no shift
	}{
		{"PhoneMAP", "aa", 1, (8*(1-0) + relevance*backClass) / (8 + relevance)},
		{"PhoneMAPFront", "iy", 1, (8*(-1-0) + relevance*frontClass) / (8 + relevance)},
		{"ClassFallback", "ao", 1, backClass}, // the speaker never said "ao"
		{"NoSuchSound", "m", 1, math.NaN()},   // no nasal in the pool
		{"Pause", "pau", 1, math.NaN()},
		{"OtherVoicing", "aa", 0, math.NaN()}, // the pool's "aa" frames are voiced
	}
	for _, c := range cases {
		d := s.at(c.phone, c.voiced)
		if math.IsNaN(c.want) {
			if d != nil {
				t.Errorf("%s: shift %.3f, want none", c.name, mean(d))
			}
			continue
		}
		if d == nil || math.Abs(mean(d)-c.want) > 0.01 {
			t.Errorf("%s: shift %v, want %.3f", c.name, d, c.want)
			continue
		}
		if d[0] != 0 {
			t.Errorf("%s: level c0 moved by %.3f", c.name, d[0])
		}
	}
	if newPhoneShift(identityConversion(), pool, base, 0) != nil || newPhoneShift(identityConversion(), nil, base, 1) != nil {
		t.Error("no weight or no pool should mean no shift")
	}
}

func TestPhoneShiftAppliesWeightAndSmooths(t *testing.T) {
	pool := synthPool([]string{"aa"}, []float64{1}, 200)
	base := &phoneTable{Phones: map[string]phoneMean{"aa/v": flatMean(50, 0)}, Classes: map[string]phoneMean{"vowel-back/v": flatMean(50, 0)}}
	c := identityConversion()
	s := newPhoneShift(c, pool, base, 0.5)
	const n = 20
	env := make([][]float64, n)
	f0 := make([]float64, n)
	labels := make([]string, n)
	for i := range env {
		env[i] = c.conv.ToEnvelope(nil, make([]float64, mcepOrder+1))
		f0[i], labels[i] = 120, "aa"
		if i < n/2 {
			labels[i] = "pau"
		}
	}
	s.apply(c, env, f0, labels)
	c1 := func(i int) float64 { return c.conv.FromEnvelope(nil, env[i])[1] }
	full := 0.5 * shiftGain * s.at("aa", 1)[1]
	if got := c1(n - 1); math.Abs(got-full) > 0.02 {
		t.Errorf("inside the phone c1 = %.3f, want half the shift times shiftGain %.3f", got, full)
	}
	if got := c1(0); math.Abs(got) > 1e-6 {
		t.Errorf("pause moved: c1 = %.3f", got)
	}
	if edge := c1(n / 2); edge <= 0.1*full || edge >= 0.9*full {
		t.Errorf("phone edge c1 = %.3f, want a ramp between 0 and %.3f", edge, full)
	}
}
