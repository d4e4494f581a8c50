package fftpack

import (
	"math"
	"math/rand"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// TestSameAsGonum checks that every output bit equals gonum's, over sizes
// that exercise each radix (2, 3, 4, 5 and the general one) and odd
// lengths.
func TestSameAsGonum(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 25, 49, 60, 77, 100, 128, 243, 255, 256, 320, 480, 512, 1000, 1024, 1025, 2048, 4096} {
		seq := make([]float64, n)
		for i := range seq {
			seq[i] = rng.NormFloat64()
		}
		want := fourier.NewFFT(n).Coefficients(nil, seq)
		got := NewFFT(n).Coefficients(nil, seq)
		for i := range want {
			if math.Float64bits(real(got[i])) != math.Float64bits(real(want[i])) ||
				math.Float64bits(imag(got[i])) != math.Float64bits(imag(want[i])) {
				t.Fatalf("n=%d: coefficient %d is %v, gonum %v", n, i, got[i], want[i])
			}
		}
		wantSeq := fourier.NewFFT(n).Sequence(nil, want)
		gotSeq := NewFFT(n).Sequence(nil, want)
		for i := range wantSeq {
			if math.Float64bits(gotSeq[i]) != math.Float64bits(wantSeq[i]) {
				t.Fatalf("n=%d: sample %d is %v, gonum %v", n, i, gotSeq[i], wantSeq[i])
			}
		}
	}
}

// TestDCTSameAsGonum does the same for the DCT, at the sizes the engine
// uses (FFT bins) and a few others.
func TestDCTSameAsGonum(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for _, n := range []int{2, 3, 4, 5, 9, 17, 25, 33, 65, 100, 129, 257, 513, 1025, 2049} {
		src := make([]float64, n)
		for i := range src {
			src[i] = rng.NormFloat64()
		}
		want := fourier.NewDCT(n).Transform(nil, src)
		got := NewDCT(n).Transform(nil, src)
		for i := range want {
			if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
				t.Fatalf("n=%d: value %d is %v, gonum %v", n, i, got[i], want[i])
			}
		}
	}
}

func BenchmarkFFT1024(b *testing.B) {
	seq := make([]float64, 1024)
	for i := range seq[:400] {
		seq[i] = float64(i%17) - 8
	}
	b.Run("gonum", func(b *testing.B) {
		f := fourier.NewFFT(1024)
		c := make([]complex128, 513)
		for b.Loop() {
			f.Coefficients(c, seq)
			f.Sequence(seq, c)
			for i := range seq {
				seq[i] /= 1024
			}
		}
	})
	b.Run("fftpack", func(b *testing.B) {
		f := NewFFT(1024)
		c := make([]complex128, 513)
		for b.Loop() {
			f.Coefficients(c, seq)
			f.Sequence(seq, c)
			for i := range seq {
				seq[i] /= 1024
			}
		}
	})
}
