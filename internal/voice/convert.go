package voice

import (
	"math"
	"sync"

	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/voice/mcep"
	"github.com/voxclone/voxclone/internal/voice/world"
)

// Conversion limits (docs/engine.md).
const (
	minF0Ratio = 0.6 // bounds on σ_target/σ_base in the log-F0 mapping
	maxF0Ratio = 1.6
	maxGVGain  = 1.3 // GV may sharpen each coefficient's deviations this much
	minGVGain  = 0.8
	synthHop   = 5.0 // ms, vocoder frame period of the base voice's analysis
)

// conversion maps base-voice vocoder parameters onto the speaker. It holds
// scratch buffers, so one conversion serves one goroutine.
type conversion struct {
	muT, muS, ratio, shift float64 // log-F0 mapping
	warp                   *warpMap
	eq                     [2][]float64 // power multipliers per bin: voiced, unvoiced
	gv                     []float64    // target GV
	gvStrength             float64
	apDB                   []float64 // voiced band aperiodicity for the template
	conv                   *mcep.Converter
	phones                 *phoneShift // phone-aware shift; nil without a pool
	// band is the per-bin share of the speaker's corrections kept: nil
	// for a full-band reference, else 0 above its bandwidth (bandwidth.go).
	band []float64
	// highBand is the upper band's table: the profile's, else the default
	// (highband.go).
	highBand *highBandTable
	// allVoiced centres sentences on all their voiced frames, as profiles
	// measured before pitch statistics kept to periodic frames expect.
	allVoiced bool
}

// newConversion prepares the mapping for a profile. sim in [0, 1] scales
// every spectral change (warp, EQ, GV, aperiodicity and the phone-aware
// shift) alike, which measured better than staging them (docs/engine.md,
// "Similarity"). pitch is the user's shift in semitones.
func newConversion(p *Profile, sim, pitch float64) *conversion {
	bins := world.FFTSizeFor(analysisRate, 0)/2 + 1
	c := &conversion{
		muT:   float64(p.Prosody.LogF0Median),
		muS:   float64(p.Base.BaseLogF0Median),
		ratio: clamp(float64(p.Prosody.LogF0SD)/math.Max(1e-3, float64(p.Base.BaseLogF0SD)), minF0Ratio, maxF0Ratio),
		shift: pitch * math.Ln2 / 12,
		warp:  newWarpMap(bins, math.Pow(float64(p.Base.Warp), sim)),
		gv:    f64s(p.Spectrum.GV), gvStrength: sim,
		conv:      newMcepConverter(),
		allVoiced: allVoicedPitch(p.ParamsHash),
		highBand:  p.UpperBand.table(),
	}
	for k, eq := range [][]float32{p.Base.EQVoiced, p.Base.EQUnvoiced} {
		d := make([]float64, mcepOrder+1)
		for m := range d {
			if m < len(eq) {
				d[m] = float64(eq[m]) * sim
			}
		}
		c.eq[k] = c.conv.ToEnvelope(nil, d)
	}
	bs, err := bases()
	base := bs[p.Base.Voice]
	cutoff := ltasBandwidth(p.Spectrum.LTAS)
	c.band = bandWeights(bins, cutoff)
	c.limitEQ(base, sim)
	if base != nil {
		c.phones = newPhoneShift(c, p.Pool, base.Phones, sim)
	}
	c.apDB = make([]float64, world.NumBands(analysisRate))
	for i := range c.apDB {
		if err == nil && base != nil && i < len(base.Aperiodicity) && i < len(p.Base.ApOffset) {
			c.apDB[i] = base.Aperiodicity[i] + sim*apBandWeight(i, cutoff)*float64(p.Base.ApOffset[i])
		} else if i < len(p.Source.Aperiodicity) {
			c.apDB[i] = float64(p.Source.Aperiodicity[i])
		}
	}
	return c
}

// limitEQ keeps the EQ to a band-limited reference's band (nothing for
// a full-band one). Above it, the EQ moves the base voice's mean
// envelope of each voicing class to speech's (speechUpperBand).
func (c *conversion) limitEQ(base *speakerStats, sim float64) {
	if c.band == nil {
		return
	}
	for k := range c.eq {
		var fill []float64
		if base != nil {
			mean := [][]float64{base.VoicedMean, base.UnvoicedMean}[k]
			fill = upperBandFill(c.warp.apply(nil, c.conv.ToEnvelope(nil, mean)), 1-k)
			for j := range fill {
				fill[j] *= sim
			}
		}
		limitBand(c.eq[k], c.band, fill)
	}
}

// worker returns a copy of c for one goroutine: the mapping (EQ, phone
// shifts, targets) is shared read-only, while the mel-cepstral converter
// and the warp's scratch row are the copy's own. Deriving the mapping
// (the phone shifts alone cost ≈4 ms) is done once per voice and
// settings, not per sentence or goroutine.
func (c *conversion) worker() *conversion {
	s := *c
	s.conv = newMcepConverter()
	w := *c.warp
	w.logs = make([]float64, len(w.logs))
	s.warp = &w
	return &s
}

// mcepTables is the engine's mel-cepstral converter, whose warping tables
// every other converter shares (mcep.Converter.Clone).
var mcepTables = sync.OnceValue(func() *mcep.Converter {
	return mcep.NewConverter(world.FFTSizeFor(analysisRate, 0)/2+1, mcepOrder, mcepAlpha)
})

// newMcepConverter returns a converter of the engine's shape for one
// goroutine.
func newMcepConverter() *mcep.Converter { return mcepTables().Clone() }

// shareable drops what only newConversion itself needed, the mel-cepstral
// converter, from a conversion kept between streams: each goroutine that
// maps frames makes its own (worker).
func (c *conversion) shareable() *conversion {
	c.conv = nil
	return c
}

// minUttVoiced is the least voiced frames (5 ms) a sentence needs for its
// own log-F0 median to replace the base voice's global one.
const minUttVoiced = 40

// mapF0 applies the log-F0 mean/variance mapping, keeping the contour. The
// source median is the sentence's own: flite's level moves from sentence to
// sentence, and the spread ratio would amplify that offset (a sentence 9%
// above the voice's median landed 3 semitones sharp for a wide-ranged
// speaker). The speaker's median is then what every sentence is centred on.
// Like the speaker's, the sentence's median is taken over its clearly
// periodic frames (periodic, from periodicFrames): rms ends phrases in
// weakly voiced, low frames that pulled its all-frame median up to
// 1.1 semitones below the pitch heard, and the ratio then raised the clone
// by as much again.
func (c *conversion) mapF0(f0 []float64, periodic []bool) {
	if c.allVoiced || periodic == nil {
		periodic = make([]bool, len(f0)) // none: periodicLogF0 falls back to all
	}
	logs := periodicLogF0(f0, periodic)
	mu := c.muS
	if len(logs) >= minUttVoiced {
		mu = quantile(logs, 0.5)
	}
	for i, f := range f0 {
		if f > 0 {
			f0[i] = math.Exp(c.muT + c.ratio*(math.Log(f)-mu) + c.shift)
		}
	}
}

// allVoicedPitch reports whether a profile's pitch statistics came from all
// voiced frames: those of the analysis versions before periodic frames.
func allVoicedPitch(hash uint32) bool {
	return hash >= 0x5643_0001 && hash <= 0x5643_0004
}

// mapEnvelopes warps and equalises every frame in place, shifts each phone
// toward the speaker's version of it (labels: the base voice's phone per
// frame; nil skips it), then restores the speaker's global variance over
// the voiced frames. c is only read, so streams may share it. The frames
// are split over the free cores (world.ForSpans), each span with its own
// worker; every frame gets the same operations in the same order as in
// one loop, so the result does not depend on the split.
func (c *conversion) mapEnvelopes(env [][]float64, f0 []float64, labels []string) {
	world.ForSpans(len(env), func(lo, hi int) {
		w := c.worker()
		for i := lo; i < hi; i++ {
			w.warpAndEQ(env[i], voicing(f0[i]))
		}
	})
	if c.phones != nil && len(labels) == len(env) && len(env) > 0 {
		c.phones.apply(c, env, f0, labels)
	}
	c.applyGV(env, f0)
}

// warpAndEQ applies Engine A's warp and the EQ of a voicing class (1
// voiced, 0 unvoiced) to one power envelope, in place. It uses c's
// scratch: one goroutine per conversion (worker).
func (c *conversion) warpAndEQ(e []float64, voiced int) {
	c.warp.apply(e, e)
	eq := c.eq[1-voiced] // eq holds voiced, then unvoiced
	for j := range e {
		e[j] *= eq[j]
	}
}

// applyGV scales each mel-cepstral coefficient's deviation from the
// utterance mean toward the speaker's global variance (voiced frames).
// The frames' mel-cepstra and corrections are computed in parallel; the
// statistics are summed in frame order.
func (c *conversion) applyGV(env [][]float64, f0 []float64) {
	if len(c.gv) != mcepOrder+1 || c.gvStrength == 0 {
		return
	}
	mcs := make([][]float64, len(env)) // nil for unvoiced frames
	world.ForSpans(len(env), func(lo, hi int) {
		conv := newMcepConverter()
		for i := lo; i < hi; i++ {
			if f0[i] > 0 {
				mcs[i] = conv.FromEnvelope(nil, env[i])
			}
		}
	})
	mom := newMoments(mcepOrder + 1)
	for _, mc := range mcs {
		if mc != nil {
			mom.add(mc, 1)
		}
	}
	if mom.n < 20 {
		return
	}
	mu, vr := mom.mean(), mom.variance()
	gain := make([]float64, len(mu))
	for m := 1; m < len(gain); m++ {
		g := clamp(math.Sqrt(c.gv[m]/math.Max(vr[m], 1e-12)), minGVGain, maxGVGain)
		gain[m] = math.Pow(g, c.gvStrength) - 1
	}
	world.ForSpans(len(env), func(lo, hi int) {
		conv := newMcepConverter()
		d := make([]float64, len(mu))
		mult := make([]float64, len(env[0]))
		for i := lo; i < hi; i++ {
			if mcs[i] == nil {
				continue
			}
			for m := 1; m < len(d); m++ {
				d[m] = gain[m] * (mcs[i][m] - mu[m])
			}
			conv.ToEnvelope(mult, d)
			for j := range env[i] {
				env[i][j] *= mult[j]
			}
		}
	})
}

// unvoicedPhones are flite phones spoken without voicing; frames inside
// them are forced unvoiced so fricatives do not buzz.
var unvoicedPhones = map[string]bool{
	"pau": true, "p": true, "t": true, "k": true, "f": true, "th": true,
	"s": true, "sh": true, "hh": true, "ch": true,
}

// maskUnvoiced zeroes F0 in frames that fall inside unvoiced phones.
func maskUnvoiced(f0 []float64, phones []flite.Phone, hopMS float64) {
	start := 0.0
	for _, ph := range phones {
		if unvoicedPhones[ph.Name] {
			lo := int(math.Ceil(start * 1000 / hopMS))
			hi := int(ph.End * 1000 / hopMS)
			for i := max(0, lo); i <= min(hi, len(f0)-1); i++ {
				f0[i] = 0
			}
		}
		start = ph.End
	}
}
