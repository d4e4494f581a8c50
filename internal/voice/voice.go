// Package voice is the voice engine: it builds a voice profile from a
// speaker's reference audio and speaks text in that voice over a base
// synthesizer. It knows nothing of HTTP, SQL or JSON APIs; the service layer
// stores the profile bytes it returns and hands them back to Synthesize.
package voice

import (
	"github.com/voxclone/voxclone/internal/audio"
)

// Reference is one sample of the target speaker: decoded audio and, when the
// user gave one, the words spoken in it.
type Reference struct {
	Audio      *audio.PCM
	Transcript string
}

// Options tune one synthesis. The zero value means "defaults".
type Options struct {
	// Speed is the speaking-rate factor, 0.5–2.0; 0 means 1.
	Speed float64
	// Pitch shifts the voice by this many semitones (−12…12).
	Pitch float64
	// Similarity trades likeness (1) for clarity (0); nil means the engine's
	// measured default, DefaultSimilarity.
	Similarity *float64
	// LoudnessLUFS is the integrated loudness of the output (BS.1770);
	// 0 means −16 LUFS, the usual podcast target. True peak stays ≤ −1 dBTP.
	LoudnessLUFS float64
	// Seed makes any randomized step repeatable; same input and seed give
	// the same output.
	Seed int64
}
