package voice

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// samplePool is a small pool with two phones, voiced and unvoiced frames.
func samplePool() *Pool {
	p := &Pool{Dim: mcepOrder + 1, Bands: 1, Phones: []string{"aa", "s"}, Aligned: 2}
	p.alloc(3)
	for i := range 3 {
		p.Phone[i] = uint8(i % 2)
		p.Ap[i] = uint8(10 * i)
		for m := range p.Dim {
			p.MCep[i*p.Dim+m] = quantF16(float64(i) - 0.37*float64(m))
		}
	}
	p.LogF0[0], p.LogF0[2] = 5.1, 5.3
	p.Ap[1] = apUnknown
	return p
}

func TestProfileRoundTripWithPool(t *testing.T) {
	p := sampleProfile()
	p.Pool = samplePool()
	b, q := roundTrip(t, p)
	if !reflect.DeepEqual(p, q) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", q.Pool, p.Pool)
	}
	noPool, _ := sampleProfile().MarshalBinary()
	if got, want := len(b)-len(noPool), 8+4+(1+2)+(1+1)+4+4+3*p.Pool.frameBytes(); got != want {
		t.Errorf("pool section is %d bytes, want %d", got, want)
	}
}

func TestPoolRejectsDamage(t *testing.T) {
	cases := map[string]func(*Pool){
		"ErrPhoneID": func(p *Pool) { p.Phone[1] = 9 },
		"ErrLogF0":   func(p *Pool) { p.LogF0[0] = 12 },
		"ErrMCep":    func(p *Pool) { p.MCep[3] = float32(math.Inf(1)) },
		"ErrDim":     func(p *Pool) { p.Dim = 3; p.MCep = p.MCep[:9] },
	}
	for name, damage := range cases {
		pr := sampleProfile()
		pr.Pool = samplePool()
		damage(pr.Pool)
		b, err := pr.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var q Profile
		if err := q.UnmarshalBinary(b); !errors.Is(err, ErrBadProfile) {
			t.Errorf("%s: got %v, want ErrBadProfile", name, err)
		}
	}
}

func TestFloat16(t *testing.T) {
	for _, v := range []float64{0, 1, -1, 0.5, 3.14159, -17.25, 1e-6, 70000, -70000} {
		got := float64(quantF16(v))
		want := v
		switch {
		case math.Abs(v) >= 65504:
			want = math.Copysign(65504, v)
		case math.Abs(v) < 1.0/16384:
			want = 0
		}
		if math.Abs(got-want) > math.Abs(want)/1024+1e-12 {
			t.Errorf("f16(%g) = %g, want %g", v, got, want)
		}
	}
}
