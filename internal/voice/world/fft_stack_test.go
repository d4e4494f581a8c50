package world

import (
	"math/rand"
	"os"
	"slices"
	"syscall"
	"testing"
	"unsafe"

	"github.com/voxclone/voxclone/internal/fftpack"
	"gonum.org/v1/gonum/dsp/fourier"
)

// TestFFTStackOffset times a 1,024-point transform pair (as prep's pitch
// check and CheapTrick use it) with the caller's frame at ≈ 540 stack
// offsets over 4 KiB, for gonum's fourier.FFT and for internal/fftpack,
// and logs the offsets where one runs more than 1.3× its median. On the
// development machine (Intel Xeon, AVX-512) gonum's ran 4.5–9× slower in a
// window of ≈ 50 bytes and 1.4–1.5× in another: perf puts the samples on
// fftpack.radf4's reloads of the index struct it copies to the stack for
// every element access, which 4K-alias the accesses to the page-aligned
// work arrays. internal/fftpack (pointer receivers, no copies) ran at half
// gonum's median everywhere. A whole clone cost 0.4–1.1 CPU-s more when
// gonum's FFTs landed in a window (docs/performance.md).
// It is a diagnostic, not a check: VOXCLONE_STACKSCAN=1 runs it (≈ 1 min of CPU).
func TestFFTStackOffset(t *testing.T) {
	if os.Getenv("VOXCLONE_STACKSCAN") == "" {
		t.Skip("set VOXCLONE_STACKSCAN=1 to scan")
	}
	g, p := fourier.NewFFT(1024), fftpack.NewFFT(1024)
	scanStackOffsets(t, "gonum", func(c []complex128, x []float64) ([]complex128, []float64) {
		c = g.Coefficients(c, x)
		return c, g.Sequence(x, c)
	})
	scanStackOffsets(t, "internal/fftpack", func(c []complex128, x []float64) ([]complex128, []float64) {
		c = p.Coefficients(c, x)
		return c, p.Sequence(x, c)
	})
}

func scanStackOffsets(t *testing.T, name string, pair func([]complex128, []float64) ([]complex128, []float64)) {
	const reps = 1500
	rng := rand.New(rand.NewSource(1))
	buf := make([]float64, 1024)
	type point struct {
		off uintptr
		us  float64
	}
	var pts []point
	for depth := 0; depth < 108; depth++ {
		for _, leaf := range stackLeaves {
			var sp uintptr
			c0 := cpuSeconds()
			stackPad(depth, leaf, func(s uintptr) {
				sp = s
				var coef []complex128
				for range reps {
					clear(buf)
					for i := range buf[:400] {
						buf[i] = rng.NormFloat64()
					}
					coef, buf = pair(coef, buf)
				}
			})
			pts = append(pts, point{sp % 4096, (cpuSeconds() - c0) / reps * 1e6})
		}
	}
	us := make([]float64, len(pts))
	for i, p := range pts {
		us[i] = p.us
	}
	slices.Sort(us)
	med := us[len(us)/2]
	t.Logf("%s: %d offsets, median %.1f µs per transform pair (with refilling the input), max %.1f µs", name, len(pts), med, us[len(us)-1])
	slices.SortFunc(pts, func(a, b point) int { return int(a.off) - int(b.off) })
	for _, p := range pts {
		if p.us > 1.3*med {
			t.Logf("%s: offset %4d mod 4096: %.1f µs (%.1f×)", name, p.off, p.us, p.us/med)
		}
	}
}

var stackSink byte

// The leaves add 0, 8, … 32 bytes of frame, so with stackPad's frames
// the scan steps through offsets 8 bytes apart.
var stackLeaves = []func(func(uintptr)){
	func(f func(uintptr)) { stackLeaf0(f) }, func(f func(uintptr)) { stackLeaf1(f) },
	func(f func(uintptr)) { stackLeaf2(f) }, func(f func(uintptr)) { stackLeaf3(f) },
	func(f func(uintptr)) { stackLeaf4(f) },
}

//go:noinline
func stackLeaf0(f func(uintptr)) { var a [1]byte; stackSink += a[0]; f(uintptr(unsafe.Pointer(&a))) }

//go:noinline
func stackLeaf1(f func(uintptr)) { var a [9]byte; stackSink += a[0]; f(uintptr(unsafe.Pointer(&a))) }

//go:noinline
func stackLeaf2(f func(uintptr)) { var a [17]byte; stackSink += a[0]; f(uintptr(unsafe.Pointer(&a))) }

//go:noinline
func stackLeaf3(f func(uintptr)) { var a [25]byte; stackSink += a[0]; f(uintptr(unsafe.Pointer(&a))) }

//go:noinline
func stackLeaf4(f func(uintptr)) { var a [33]byte; stackSink += a[0]; f(uintptr(unsafe.Pointer(&a))) }

// stackPad calls leaf(f) from n frames (≈ 40 bytes each) deeper.
//
//go:noinline
func stackPad(n int, leaf func(func(uintptr)), f func(uintptr)) {
	var pad [8]byte
	pad[n%8] = byte(n)
	if n == 0 {
		leaf(f)
	} else {
		stackPad(n-1, leaf, f)
	}
	stackSink += pad[(n+3)%8]
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
