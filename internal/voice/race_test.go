//go:build race

package voice

// raceEnabled: the race detector slows the DSP about tenfold, so tests
// that only check numbers (no concurrency) skip under it.
const raceEnabled = true
