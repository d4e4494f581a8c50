package world

import (
	"runtime"
	"sync"
)

// minSpanFrames is the fewest frames worth a goroutine of their own.
const minSpanFrames = 64

// ForSpans calls fn on consecutive spans [lo, hi) covering 0..n, in
// parallel on up to GOMAXPROCS goroutines, and returns when all are done.
// The per-frame analyses are independent of each other, so splitting them
// gives the same result; it shortens the wall time of a stream's first
// chunk, which is waited for while the other cores may be free. fn must
// keep its scratch buffers to itself. The engine's spectral conversion
// splits its frames the same way.
func ForSpans(n int, fn func(lo, hi int)) {
	parts := min(runtime.GOMAXPROCS(0), n/minSpanFrames)
	if parts <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*n/parts, (p+1)*n/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}
