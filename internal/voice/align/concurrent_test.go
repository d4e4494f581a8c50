package align

import (
	"sync"
	"testing"
)

// TestConcurrentDecoderLoads loads and frees decoders of both kinds from
// many goroutines at once, as a burst of concurrent clones and consent
// checks does when the pools are empty. pocketsphinx's ps_init is not
// safe to run concurrently: without newDecoder's lock this crashed the
// process (SIGSEGV inside ps_init) under load.
func TestConcurrentDecoderLoads(t *testing.T) {
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				kind := searchAlign
				if (i+round)%2 == 1 {
					kind = searchLoop
				}
				d, err := newDecoder(kind)
				if err != nil {
					errs <- err
					return
				}
				d.free()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
	}
}
