package align

import "strings"

// Phone classes returned by Class. A caller that finds no frames of a phone
// falls back to frames of the same class.
const (
	ClassFrontVowel   = "vowel-front"
	ClassCentralVowel = "vowel-central"
	ClassBackVowel    = "vowel-back"
	ClassDiphthong    = "diphthong"
	ClassNasal        = "nasal"
	ClassStop         = "stop"
	ClassAffricate    = "affricate"
	ClassFricative    = "fricative"
	ClassApproximant  = "approximant"
	ClassSilence      = "silence"
	ClassUnknown      = "unknown"
)

// Silence is flite's name for a pause; every non-speech label of the
// recogniser (silence, noise, breath) becomes it.
const Silence = "pau"

// phoneClass lists the 39 ARPAbet phones of the CMU dictionary, which are
// also flite's cmu_us phone names (in lowercase).
var phoneClass = map[string]string{
	"iy": ClassFrontVowel, "ih": ClassFrontVowel, "ey": ClassFrontVowel,
	"eh": ClassFrontVowel, "ae": ClassFrontVowel,
	"ah": ClassCentralVowel, "er": ClassCentralVowel,
	"aa": ClassBackVowel, "ao": ClassBackVowel, "uh": ClassBackVowel,
	"uw": ClassBackVowel, "ow": ClassBackVowel,
	"ay": ClassDiphthong, "aw": ClassDiphthong, "oy": ClassDiphthong,
	"m": ClassNasal, "n": ClassNasal, "ng": ClassNasal,
	"p": ClassStop, "b": ClassStop, "t": ClassStop, "d": ClassStop,
	"k": ClassStop, "g": ClassStop,
	"ch": ClassAffricate, "jh": ClassAffricate,
	"f": ClassFricative, "v": ClassFricative, "th": ClassFricative,
	"dh": ClassFricative, "s": ClassFricative, "z": ClassFricative,
	"sh": ClassFricative, "zh": ClassFricative, "hh": ClassFricative,
	"l": ClassApproximant, "r": ClassApproximant, "w": ClassApproximant,
	"y":     ClassApproximant,
	Silence: ClassSilence,
}

// Phones returns the speech phone names labels can carry (without "pau"),
// in a fixed order.
func Phones() []string {
	return strings.Fields(allPhones)
}

const allPhones = "aa ae ah ao aw ay b ch d dh eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh t th uh uw v w y z zh"

// Class returns the broad class of a flite or ARPAbet phone name (either
// case; stress digits are ignored): one of the Class* constants, or
// ClassUnknown for a name outside the set. flite's silence "pau" and
// pocketsphinx fillers are ClassSilence.
func Class(phone string) string {
	if c, ok := phoneClass[Normalize(phone)]; ok {
		return c
	}
	return ClassUnknown
}

// Normalize maps a recogniser or flite phone label to the 39 names of
// Phones: lowercase ARPAbet without stress digits, flite's schwa "ax" as
// "ah" (as the CMU dictionary writes it), and "pau" for silence and every
// filler (SIL, +NSN+, +SPN+, <sil>, [NOISE] …).
func Normalize(phone string) string {
	p := strings.ToLower(strings.TrimRight(phone, "012"))
	if _, ok := phoneClass[p]; ok {
		return p
	}
	switch {
	case p == "ax": // flite's schwa; the dictionary writes it AH
		return "ah"
	case p == "axr":
		return "er"
	case p == "sil", p == "h#", p == "pau", p == "sp",
		strings.HasPrefix(p, "+"), strings.HasPrefix(p, "<"), strings.HasPrefix(p, "["):
		return Silence
	}
	return p
}
