package voice

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/voxclone/voxclone/internal/voice/align"
)

// Summary is what a user can read from a profile and act on: what was
// measured, how the base voice is mapped, and which sounds the frame pool
// knows too little of (`voxclone inspect me.voice` prints it as JSON).
type Summary struct {
	// Hints are plain advice on how a new recording would improve the
	// profile; never nil. First, so they lead the printed JSON.
	Hints         []string     `json:"hints"`
	ParamsHash    string       `json:"params_hash"`
	Current       bool         `json:"current_analysis"` // built with this engine's analysis
	SpeechSeconds float64      `json:"speech_seconds"`
	Quality       float64      `json:"quality_score"` // 0–100, 0 when unknown
	SNRDB         float64      `json:"snr_db"`        // 0 when unknown
	Pitch         PitchSummary `json:"pitch"`
	Base          BaseSummary  `json:"base"`
	FormantsHz    [4]float64   `json:"formants_hz"` // median F1–F4, 0 when not found
	// UpperBand says where the band above 8 kHz comes from: "learned"
	// from references recorded at 22.05 kHz or more, else "default".
	UpperBand string       `json:"upper_band"`
	Pool      *PoolSummary `json:"pool"` // nil: no frame pool, Engine A alone
}

// PitchSummary is the speaker's pitch in Hz and semitones.
type PitchSummary struct {
	MedianHz        float64 `json:"median_hz"`
	SpreadSemitones float64 `json:"spread_semitones"` // 1.4826·MAD of log-F0
	P05Hz           float64 `json:"p05_hz"`
	P95Hz           float64 `json:"p95_hz"`
	VoicedRatio     float64 `json:"voiced_ratio"`
}

// BaseSummary is how the base voice is mapped onto the speaker.
type BaseSummary struct {
	Voice    string  `json:"voice"`
	MedianHz float64 `json:"median_hz"` // the base voice's own pitch
	// ShiftSemitones is how far the F0 map moves the base voice's median.
	ShiftSemitones float64 `json:"pitch_shift_semitones"`
	Warp           float64 `json:"warp"`           // VTLN factor (>1: shorter vocal tract)
	EQDistanceDB   float64 `json:"eq_distance_db"` // mean-spectrum distance the EQ corrects
	// RateRatio is the speaker's speaking time over the base voice's
	// (>1: slower); 1 when no transcript let it be fitted.
	RateRatio float64 `json:"rate_ratio"`
}

// PoolSummary describes the frame pool the phone-aware shift draws on.
type PoolSummary struct {
	Seconds           float64 `json:"seconds"` // labelled speech (10 ms frames)
	AlignedSeconds    float64 `json:"aligned_seconds"`
	RecognizedSeconds float64 `json:"recognized_seconds"`
	// PhonesTotal is the number of phones labels can carry (align.Phones);
	// PhonesCovered, Thin, Missing and ClassOnly partition them.
	PhonesTotal   int `json:"phones_total"`
	PhonesCovered int `json:"phones_covered"` // trust ≥ 0.5
	// Thin phones have frames but trust < 0.5: their class's shift
	// outweighs their own. Missing phones have no frames at all.
	Thin    []string `json:"thin"`
	Missing []string `json:"missing"`
	// ClassOnly phones take their class's shift whatever the pool holds:
	// the base voice's calibration has too few frames of them.
	ClassOnly []string                `json:"class_only"`
	Phones    map[string]PhoneSummary `json:"phones"`
}

// PhoneSummary is one phone's share of the pool.
type PhoneSummary struct {
	Frames int `json:"frames"` // both voicings
	// Trust is the weight n/(n+relevance) the shift gives the phone's own
	// mean, n being its frames in the voicing the base voice mostly has
	// for it (the shift keeps voiced and unvoiced frames apart); 0 for
	// class-only phones.
	Trust float64 `json:"trust"`
}

// phoneExamples are the example words of the CMU Pronouncing Dictionary's
// phone table, so a hint says which sounds to say, not only their names.
var phoneExamples = map[string]string{
	"aa": "odd", "ae": "at", "ah": "hut", "ao": "ought", "aw": "cow", "ay": "hide",
	"b": "be", "ch": "cheese", "d": "dee", "dh": "thee", "eh": "Ed", "er": "hurt",
	"ey": "ate", "f": "fee", "g": "green", "hh": "he", "ih": "it", "iy": "eat",
	"jh": "gee", "k": "key", "l": "lee", "m": "me", "n": "knee", "ng": "ping",
	"ow": "oat", "oy": "toy", "p": "pee", "r": "read", "s": "sea", "sh": "she",
	"t": "tea", "th": "theta", "uh": "hood", "uw": "two", "v": "vee", "w": "we",
	"y": "yield", "z": "zee", "zh": "seizure",
}

// minQuality is prep's lowest "usable" score (prep.Report.Score).
const minQuality = 60

// IsProfile reports whether b starts like a voice profile (its magic);
// UnmarshalBinary still decides whether it is a valid one.
func IsProfile(b []byte) bool { return bytes.HasPrefix(b, []byte(profileMagic)) }

// Summary describes the profile for its owner.
func (p *Profile) Summary() *Summary {
	q := p.Prosody
	s := &Summary{
		ParamsHash: fmt.Sprintf("0x%08x", p.ParamsHash), Current: p.ParamsHash == paramsHash,
		SpeechSeconds: round(float64(p.SpeechSeconds), 1), Quality: round(float64(p.Quality), 0),
		SNRDB: round(float64(p.SNR), 1),
		Pitch: PitchSummary{
			MedianHz: hz(q.LogF0Median), SpreadSemitones: round(semitones(float64(q.LogF0SD)), 2),
			P05Hz: hz(q.LogF0P05), P95Hz: hz(q.LogF0P95), VoicedRatio: round(float64(q.VoicedRatio), 2),
		},
		Base: p.baseSummary(), UpperBand: "default",
	}
	if p.UpperBand != nil {
		s.UpperBand = "learned"
	}
	for i, f := range p.Spectrum.Formants {
		s.FormantsHz[i] = round(float64(f), 0)
	}
	var base *phoneTable
	if bs, err := bases(); err == nil && bs[p.Base.Voice] != nil {
		base = bs[p.Base.Voice].Phones
	}
	s.Pool = summarizePool(p.Pool, base)
	s.Hints = s.hints()
	return s
}

func (p *Profile) baseSummary() BaseSummary {
	b := p.Base
	rr := float64(b.RateRatio)
	if rr == 0 {
		rr = 1
	}
	return BaseSummary{
		Voice: b.Voice, MedianHz: hz(b.BaseLogF0Median),
		ShiftSemitones: round(semitones(float64(p.Prosody.LogF0Median-b.BaseLogF0Median)), 2),
		Warp:           round(float64(b.Warp), 3), EQDistanceDB: round(float64(b.Distance), 1),
		RateRatio: round(rr, 3),
	}
}

// summarizePool counts the pool's frames per phone and voicing and weighs
// each phone as the phone-aware shift will (newPhoneShift). base is the
// base voice's phone table; nil when this build does not know the voice,
// and then every phone is judged by its commoner voicing in the pool.
func summarizePool(pool *Pool, base *phoneTable) *PoolSummary {
	if pool == nil {
		return nil
	}
	sec := func(n int) float64 { return round(float64(n)*analysisPeriod/1000, 1) }
	s := &PoolSummary{
		Seconds: sec(pool.Len()), AlignedSeconds: sec(int(pool.Aligned)),
		RecognizedSeconds: sec(pool.Len() - int(pool.Aligned)),
		Phones:            map[string]PhoneSummary{},
		Thin:              []string{}, Missing: []string{}, ClassOnly: []string{},
	}
	counts := map[string][2]int{} // phone → frames unvoiced, voiced
	for i, ph := range pool.Phone {
		c := counts[pool.Phones[ph]]
		c[voicing(float64(pool.LogF0[i]))]++
		counts[pool.Phones[ph]] = c
	}
	phones := align.Phones()
	s.PhonesTotal = len(phones)
	for _, ph := range phones {
		c := counts[ph]
		v, ok := lookedUpVoicing(ph, c, base)
		n := c[v]
		e := PhoneSummary{Frames: c[0] + c[1]}
		if ok {
			e.Trust = round(float64(n)/float64(n+relevance), 2)
		}
		s.Phones[ph] = e
		switch {
		case !ok:
			s.ClassOnly = append(s.ClassOnly, ph)
		case n >= relevance:
			s.PhonesCovered++
		case e.Frames == 0:
			s.Missing = append(s.Missing, ph)
		default:
			s.Thin = append(s.Thin, ph)
		}
	}
	return s
}

// lookedUpVoicing is the voicing (0 unvoiced, 1 voiced) under which
// synthesis mostly looks phone ph up: the one the base voice has most
// frames of, among those with a usable base mean. ok is false when the
// base voice has no usable mean of ph at all, so the shift never uses the
// phone's own frames.
func lookedUpVoicing(ph string, spk [2]int, base *phoneTable) (v int, ok bool) {
	if base == nil {
		if spk[1] >= spk[0] {
			return 1, true
		}
		return 0, true
	}
	best := -1
	for vo := range 2 {
		if m, has := base.Phones[phoneKey(ph, vo)]; has && m.N >= minBaseFrames && m.N > best {
			v, best = vo, m.N
		}
	}
	return v, best >= 0
}

// hints turns the summary into advice, most useful first.
func (s *Summary) hints() []string {
	h := []string{}
	if !s.Current {
		h = append(h, fmt.Sprintf("made by an older analysis (params hash %s): clone again from the original samples to use the current one", s.ParamsHash))
	}
	if s.Quality > 0 && s.Quality < minQuality {
		h = append(h, fmt.Sprintf("quality score %.0f/100: re-record; each sample's quality report says what is wrong with it", s.Quality))
	}
	if s.Pool == nil || s.Pool.Seconds == 0 {
		return append(h, "no sounds could be labelled in the samples, so only the overall voice is copied, not how each sound is said: clone again from at least 10 s of clear speech (labelling needs the pocketsphinx English model where the voice is cloned)")
	}
	// The profile does not record whether a transcript was given, only
	// which seconds the aligner labelled; a given transcript that did not
	// fit the audio (other words, or speech too fast to align) lands here
	// too, so the advice names both causes.
	if s.Pool.RecognizedSeconds > s.Pool.AlignedSeconds {
		h = append(h, fmt.Sprintf("%.0f s of the samples had no transcript that fitted the audio, so their sounds were recognised, which mistakes about one sound in three: give each sample the exact text that is said in it, read at an everyday pace", s.Pool.RecognizedSeconds))
	}
	if few := append(slices.Clone(s.Pool.Missing), s.Pool.Thin...); len(few) > 0 {
		h = append(h, s.recordMoreHint(few))
	}
	return h
}

func (s *Summary) recordMoreHint(phones []string) string {
	words := make([]string, len(phones))
	for i, ph := range phones {
		words[i] = fmt.Sprintf("%s (%s)", ph, phoneExamples[ph])
	}
	msg := fmt.Sprintf("record more speech containing: %s; a sound heard for less than %.2f s mostly borrows how similar sounds are said",
		strings.Join(words, ", "), relevance*analysisPeriod/1000)
	if s.SpeechSeconds >= labelSeconds {
		msg += fmt.Sprintf(" (only the first %.0f s of samples are labelled, so give that recording first)", labelSeconds)
	}
	return msg
}

func hz(logF0 float32) float64 {
	if logF0 == 0 {
		return 0
	}
	return round(math.Exp(float64(logF0)), 1)
}

func semitones(dLog float64) float64 { return dLog * 12 / math.Ln2 }

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}
