package voice

// Profile is a speaker's voice profile: everything the engine keeps of the
// reference audio. It is built by Engine.Clone and stored as the compact
// binary form of MarshalBinary; docs/engine.md describes that format.
// Log-F0 values are natural logs of Hz; spectra are mel-cepstra of the
// spectral envelope (natural-log amplitude) at profileRate.
type Profile struct {
	// ParamsHash identifies the analysis settings the profile was built
	// with. Profiles from other settings still load; it tells a service
	// that keeps the cleaned audio when a rebuild would change the profile.
	ParamsHash    uint32
	SpeechSeconds float32 // net speech analysed
	Quality       float32 // 0–100 upload quality score, 0 when unknown
	SNR           float32 // dB, 0 when unknown
	Prosody       Prosody
	Spectrum      Spectrum
	Source        Source
	Base          BaseFit
	// Pool holds the labelled speech frames for phone-aware selection;
	// nil when no reference could be labelled (Engine A alone then).
	Pool *Pool
	// UpperBand is the speaker's band above 8 kHz, learned from references
	// recorded at 22.05 kHz and above; nil: the default table of speech.
	UpperBand *UpperBand
}

// UpperBand is the level of the band above 8 kHz the engine renders, per
// phone class (vowel, sonorant, fricative, stop, silence: highband.go):
// the power density (dB) of each 500 Hz band from 7 kHz up against that
// of 1–4 kHz, as measured on the speaker and blended toward the default
// table by how much of each class was heard.
type UpperBand struct {
	Seconds float32 // labelled wide-band speech it was learned from
	Levels  [hbClasses][]float32
}

// Prosody holds the speaker's pitch and timing statistics.
type Prosody struct {
	LogF0Median float32 // median log-F0 of voiced frames
	LogF0SD     float32 // 1.4826·MAD of log-F0
	LogF0P05    float32
	LogF0P95    float32
	VoicedRatio float32 // voiced frames over speech frames
	// SyllableRate is syllables per second of speech (0 when unknown).
	SyllableRate float32
	PauseMedian  float32 // seconds (0 when unknown)
}

// Spectrum holds spectral-envelope statistics, per voicing class.
type Spectrum struct {
	Alpha        float32   // all-pass constant of the mel-cepstra
	VoicedMean   []float32 // mean mel-cepstrum c0…cM of voiced frames
	VoicedStd    []float32
	UnvoicedMean []float32
	UnvoicedStd  []float32
	// GV is the global variance of each mel-cepstral coefficient over
	// voiced frames, averaged per utterance.
	GV []float32
	// LTAS is the long-term average spectrum in dB on mel-spaced bands up
	// to the Nyquist frequency.
	LTAS     []float32
	Formants [4]float32 // median F1–F4 in Hz, 0 when not found
}

// Source holds excitation statistics.
type Source struct {
	// Aperiodicity is the mean band aperiodicity in dB over voiced frames,
	// one value per coded band.
	Aperiodicity []float32
}

// BaseFit is how the chosen base voice is mapped onto the speaker.
type BaseFit struct {
	Voice string // flite voice name
	// BaseLogF0Median and BaseLogF0SD are the base voice's own log-F0
	// statistics, the source side of the F0 mapping.
	BaseLogF0Median float32
	BaseLogF0SD     float32
	Warp            float32 // VTLN warp factor a (1 = none)
	// EQVoiced and EQUnvoiced are smooth mel-cepstral corrections added to
	// the warped base envelopes (target mean minus warped base mean).
	EQVoiced   []float32
	EQUnvoiced []float32
	// ApOffset is added to the base voice's band aperiodicity (dB).
	ApOffset []float32
	Distance float32 // mel-cepstral distance between the means, dB
	// RateRatio is the speaker's speaking time over the base voice's for
	// the same words (>1: slower); 0 or 1 when unknown.
	RateRatio float32
}
