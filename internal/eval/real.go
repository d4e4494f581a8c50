package eval

import (
	"context"
	"runtime"
	"sync"
)

// realSpeech is one speaker's real speech, prepared for scoring.
type realSpeech struct {
	raw, norm       [][][]float64 // held-out features per utterance, without and with CMVN
	refRaw, refNorm [][][]float64 // the same for the reference half
	// floor and refFloor are the secondary CMVN features (floorFrames),
	// nil for utterances with too few such frames.
	floor, refFloor [][][]float64
	heldOut, ref    [][]float32 // the 16 kHz audio, for F0
}

// prepareReal computes the identification features of every speaker's
// utterances. The held-out half trains the identifier; the reference half,
// which the identifier never sees, measures its ceiling.
func prepareReal(ctx context.Context, speakers []Speaker, workers int) ([]realSpeech, error) {
	out := make([]realSpeech, len(speakers))
	err := forEach(ctx, len(speakers), workers, func(i int) error {
		fx := newMFCCExtractor()
		r := &out[i]
		for _, u := range speakers[i].HeldOut {
			if err := ctx.Err(); err != nil {
				return err
			}
			x := to16k(u.Audio).Samples
			r.heldOut = append(r.heldOut, x)
			if raw, norm, floor := fx.allFeatures(x); raw != nil { // else too little speech
				r.raw, r.norm = append(r.raw, raw), append(r.norm, norm)
				r.floor = append(r.floor, floor)
			}
		}
		for _, u := range speakers[i].Reference {
			x := to16k(u.Audio).Samples
			r.ref = append(r.ref, x)
			if raw, norm, floor := fx.allFeatures(x); raw != nil {
				r.refRaw, r.refNorm = append(r.refRaw, raw), append(r.refNorm, norm)
				r.refFloor = append(r.refFloor, floor)
			}
		}
		return nil
	})
	return out, err
}

// medianF0 is the robust median F0 over several utterances.
func medianF0(utts [][]float32) float64 {
	pt := newPitchTracker()
	var f0s []float64
	for _, x := range utts {
		f0s = append(f0s, pt.voicedF0s(x)...)
	}
	return robustMedianF0(f0s)
}

// forEach runs fn(0…n-1) on at most workers goroutines and returns the
// first error; after an error no new items start.
func forEach(parent context.Context, n, workers int, fn func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	next := make(chan int)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue // handed out just before the cancel: drain, do not start
				}
				if err := fn(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil {
		firstErr = parent.Err()
	}
	return firstErr
}
