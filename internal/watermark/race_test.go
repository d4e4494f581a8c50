//go:build race

package watermark

// raceEnabled: the race detector slows the DSP about tenfold, so the
// measurement tests skip under it.
const raceEnabled = true
