package mfcc

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

const numCeps = 20

func tone(freq float64, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(0.5 * math.Sin(2*math.Pi*freq*float64(i)/Rate))
	}
	return x
}

// A pure tone's energy lands in the mel band whose centre is nearest it.
func TestMelBandOfTone(t *testing.T) {
	e := New(numCeps)
	lo, hi := HzToMel(20), HzToMel(Rate/2)
	for _, f := range []float64{300, 1000, 2500, 6000} {
		logmel, _ := e.LogMel(tone(f, FrameLen))
		best := 0
		for b := range logmel {
			if logmel[b] > logmel[best] {
				best = b
			}
		}
		want, dist := 0, math.Inf(1)
		for b := 0; b < MelBands; b++ {
			c := MelToHz(lo + (hi-lo)*float64(b+1)/float64(MelBands+1))
			if d := math.Abs(c - f); d < dist {
				want, dist = b, d
			}
		}
		if best != want {
			t.Errorf("%g Hz: loudest band %d, want %d", f, best, want)
		}
	}
}

// The cepstra match a direct computation: naive DFT, triangles from the
// natural-log mel formula, and a plain cosine sum.
func TestCepstraMatchDirectComputation(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, FrameLen)
	for i := range x {
		x[i] = float32(0.3*math.Sin(2*math.Pi*440*float64(i)/Rate) + 0.05*rng.NormFloat64())
	}
	ceps, _ := New(numCeps).Cepstra(x)
	want := directMFCC(x)
	for k := 0; k < numCeps; k++ {
		if math.Abs(ceps[0][k]-want[k]) > 1e-6*math.Max(1, math.Abs(want[k])) {
			t.Errorf("c%d = %.8f, direct %.8f", k+1, ceps[0][k], want[k])
		}
	}
}

func directMFCC(x []float32) []float64 {
	frame := make([]complex128, FFTSize)
	for i := 0; i < FrameLen; i++ {
		prev := 0.0
		if i > 0 {
			prev = float64(x[i-1])
		}
		w := 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/(FrameLen-1))
		frame[i] = complex((float64(x[i])-0.97*prev)*w, 0)
	}
	power := make([]float64, FFTSize/2+1)
	for k := range power {
		var s complex128
		for n, v := range frame {
			s += v * cmplx.Exp(complex(0, -2*math.Pi*float64(k*n)/FFTSize))
		}
		power[k] = real(s)*real(s) + imag(s)*imag(s)
	}
	mel := func(f float64) float64 { return 1127 * math.Log(1+f/700) }
	inv := func(m float64) float64 { return 700 * (math.Exp(m/1127) - 1) }
	logmel := make([]float64, MelBands)
	for b := range logmel {
		step := (mel(Rate/2) - mel(20)) / (MelBands + 1)
		l, c, r := inv(mel(20)+step*float64(b)), inv(mel(20)+step*float64(b+1)), inv(mel(20)+step*float64(b+2))
		var s float64
		for k, p := range power {
			f := float64(k) * Rate / FFTSize
			if f > l && f < r {
				s += p * math.Min((f-l)/(c-l), (r-f)/(r-c))
			}
		}
		logmel[b] = math.Log(s + 1e-10)
	}
	out := make([]float64, numCeps)
	for k := range out {
		for m, v := range logmel {
			out[k] += v * math.Cos(math.Pi*float64(k+1)*(float64(m)+0.5)/MelBands)
		}
		out[k] *= math.Sqrt(2.0 / MelBands)
	}
	return out
}
