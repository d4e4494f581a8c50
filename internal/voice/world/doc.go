// Package world is a pure-Go analysis/resynthesis vocoder in the style of
// WORLD (Morise, Yokomori & Ozawa, IEICE 2016). It splits speech into three
// frame-rate parameter streams and rebuilds a waveform from them:
//
//   - F0: fundamental frequency in Hz per frame, 0 where unvoiced
//     (DIO candidates refined by StoneMask, plus a periodicity check).
//   - Envelope: the spectral envelope as a power spectrum per frame
//     (CheapTrick: pitch-adaptive window, F0-synchronous smoothing).
//   - Aperiodicity: the ratio of aperiodic to total amplitude per frequency
//     bin, 0 (periodic) … 1 (noise) (D4C, or a cheap voicing template).
//
// Frames sit at t = i·FramePeriod from the first sample. Envelope and
// aperiodicity rows have FFTSize/2+1 bins spanning 0…Rate/2.
//
// Each stage is a separate function (F0, Envelope, Aperiodicity,
// Synthesize) so callers can skip or replace stages; Analyze runs them all.
// Functions are safe for concurrent use; none keeps state between calls.
package world
