package world

import (
	"runtime"
	"sync"
)

// synthBatch is how many pulses or noise segments each worker renders
// between two in-order additions: enough to amortise starting the
// goroutines, few enough that the responses waiting to be added (8 KB
// each at 16 kHz) stay in cache.
const synthBatch = 32

// renderInOrder renders items 0..n-1 and calls add with each rendered
// item, in item order. Before each batch of items [lo, hi) it calls draw
// (when not nil) on this goroutine, for what must be made in order, such
// as noise from one seeded source. render writes an item's response to out
// and returns a value for add and whether there is anything to add. With
// more than one core the rendering (the FFTs) is split over them, each
// worker writing to buffers of its own, while the additions into the
// output stay in the order one loop makes them: the output is the same,
// bit for bit, however many cores there are. It shortens the vocoder's
// wall time for a stream's first chunk, which is waited for while a core
// may be free.
func (s *synth) renderInOrder(n int, draw func(lo, hi int), render func(w *synthWorker, k int, out []float64) (float64, bool), add func(k int, out []float64, v float64)) {
	parts := max(1, min(runtime.GOMAXPROCS(0), n/minSpanFrames))
	workers := s.workerPool(parts)
	m := parts * synthBatch
	bufs := make([][]float64, 1)
	if parts > 1 {
		bufs = make([][]float64, m)
	}
	for i := range bufs {
		bufs[i] = make([]float64, s.n)
	}
	vals, oks := make([]float64, m), make([]bool, m)
	for base := 0; base < n; base += m {
		cnt := min(m, n-base)
		if draw != nil {
			draw(base, base+cnt)
		}
		if parts == 1 {
			for k := base; k < base+cnt; k++ {
				if v, ok := render(workers[0], k, bufs[0]); ok {
					add(k, bufs[0], v)
				}
			}
			continue
		}
		var wg sync.WaitGroup
		for p, w := range workers {
			lo, hi := p*cnt/parts, (p+1)*cnt/parts
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := lo; j < hi; j++ {
					vals[j], oks[j] = render(w, base+j, bufs[j])
				}
			}()
		}
		wg.Wait()
		for j := range cnt {
			if oks[j] {
				add(base+j, bufs[j], vals[j])
			}
		}
	}
}

// workerPool returns n workers, kept between the periodic and the
// aperiodic pass: their FFT and DCT plans cost as much to make as dozens
// of pulses.
func (s *synth) workerPool(n int) []*synthWorker {
	for len(s.workers) < n {
		s.workers = append(s.workers, s.newWorker())
	}
	return s.workers[:n]
}
