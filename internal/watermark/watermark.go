// Package watermark hides a keyed 32-bit payload in speech and finds it
// again. It is pure signal processing: PCM in, PCM or a verdict out; it knows
// nothing of HTTP, SQL or JSON.
//
// The mark lives in the voice band (156–3,400 Hz) of the signal seen at
// 8 kHz, so it survives what keeps speech intelligible: lossy codecs,
// μ-law, resampling, gain and noise. It is a keyed pseudo-random chip
// sequence spread over time and frequency, shaped by the speech's own
// short-time spectrum (so it sits a fixed distance below the speech in
// every band and vanishes in silence), repeating every Period samples so
// that any excerpt of a few seconds holds whole copies of it:
//
//   - a pilot sequence, repeating every PilotPeriod samples, that the
//     detector correlates against at every lag to find the mark and its
//     alignment;
//   - a data sequence whose chips are shared out among the payload's 40
//     bits (32 of payload and a CRC-8) by a keyed permutation, signed by
//     each bit.
//
// Detection whitens the input by its own smoothed spectrum, folds it modulo
// the period, cross-correlates with the pilot through one FFT and, at the
// best lag, reads the bits and checks the CRC. In excerpts of 6 s and
// more it also looks for the pilot of marks made before the pilot
// repeated within the period (one 8,192-chip pilot), so that those are
// still found. How much audio that takes
// depends on the mark's strength; docs/trust.md has the measurements.
package watermark

import (
	"crypto/sha256"
	"errors"
)

// Rate is the sample rate the mark is defined at; other rates are
// resampled to it.
const Rate = 8000

// Period is the length, in samples at Rate, after which the mark repeats.
const Period = 8192

// PilotPeriod is the length after which the pilot repeats. The detector
// tries every lag of the pilot; the fewer lags, the lower the best score
// unmarked audio reaches by chance, and the lower the threshold can be.
const PilotPeriod = 2048

// KeySize is the size of a Key in bytes.
const KeySize = 32

// Key is the secret that decides the mark's sequences. Without it the
// mark can be neither found nor forged.
type Key [KeySize]byte

// ErrKey is returned for a key of the wrong size.
var ErrKey = errors.New("watermark: key must be 32 bytes")

// KeyFrom derives a Key from secret material of any length (at least 16
// bytes), such as a configured string.
func KeyFrom(secret []byte) (Key, error) {
	if len(secret) < 16 {
		return Key{}, ErrKey
	}
	return sha256.Sum256(append([]byte("voxclone watermark v1\x00"), secret...)), nil
}
