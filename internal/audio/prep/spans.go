package prep

import (
	"math"
	"slices"

	"github.com/voxclone/voxclone/internal/audio"
)

// Spans relates prepared audio to the input it came from, so an analysis
// can look at the input's full band (above the prepared rate's Nyquist
// frequency) at the moments the prepared audio holds. PrepareSpans
// returns it.
type Spans struct {
	rate, inRate int
	parts        []Segment // kept stretches of the signal at rate (keptParts)
	offsets      []int     // where each part starts in the prepared output
	length       int       // prepared samples, before normalisation
	input        *audio.PCM
	frames       *frames
	denoise      bool
	full         []float32 // Denoised's result, once computed
}

// PrepareSpans is Prepare, and also returns how the output's samples map
// onto the input. The output and report are Prepare's.
func PrepareSpans(p *audio.PCM, opt Options) (*audio.PCM, Report, *Spans) {
	opt = opt.withDefaults()
	if p == nil || p.Frames() == 0 || p.Rate <= 0 {
		return &audio.PCM{Rate: opt.Rate, Channels: 1}, emptyReport(p), nil
	}
	out, a, denoise := prepare(p, opt)
	s := &Spans{rate: a.rate, inRate: p.Rate, input: p, frames: a.frames, denoise: denoise}
	if len(a.segs) == 0 {
		s.parts = []Segment{{0, len(a.x)}}
	} else {
		s.parts = keptParts(len(a.x), a.rate, a.segs)
	}
	fade := fadeSamples(a.rate)
	for _, k := range s.parts {
		// appendFaded overlaps only when both sides hold a fade.
		if s.length >= fade && k.End-k.Start >= fade {
			s.length -= fade
		}
		s.offsets = append(s.offsets, s.length)
		s.length += k.End - k.Start
	}
	return out, a.report, s
}

// NoiseReduced tells whether Prepare denoised the output (its SNR was
// under 25 dB); false for nil.
func (s *Spans) NoiseReduced() bool { return s != nil && s.denoise }

// InputRate is the input's sample rate: the band Denoised holds.
func (s *Spans) InputRate() int { return s.inRate }

// InputAt returns the input sample (at InputRate) that prepared sample i
// came from, or −1 when i lies outside the output. Within a crossfade it
// is the later part's.
func (s *Spans) InputAt(i int) int {
	if i < 0 || i >= s.length {
		return -1
	}
	k, _ := slices.BinarySearch(s.offsets, i+1)
	k = max(0, k-1)
	at := s.parts[k].Start + i - s.offsets[k]
	return min(s.input.Frames()-1, int(math.Round(float64(at)*float64(s.inRate)/float64(s.rate))))
}

// Denoised returns the first n samples (at most all) of the input as mono
// at its own rate, high-passed and, when Prepare denoised its output,
// denoised the same way (the same speech frames give the noise, those of
// the n samples), but neither trimmed nor normalised: its level is the
// input's. Only what is asked for is kept: an analysis of the first 30 s
// of a long recording holds 30 s of it, not the whole (a copy of a mono
// input is made of the n samples alone; a stereo one is mixed down whole,
// the mix being set by all of it, and cut). High-passing is causal, so
// without noise reduction the samples are those of the whole input's
// copy. It is computed on first use and kept for calls that ask no more;
// do not modify it.
func (s *Spans) Denoised(n int) []float32 {
	n = min(max(n, 0), s.input.Frames())
	if s.full != nil && len(s.full) >= n {
		return s.full[:n]
	}
	var x []float32
	if s.input.Channels == 1 {
		x = slices.Clone(s.input.Samples[:n])
	} else {
		x = slices.Clone(Downmix(s.input).Samples[:n])
	}
	HighPass(x, s.inRate)
	if s.denoise {
		// The speech decision of frames at the input rate, hop ≈ the
		// analysis hop, read from the nearest analysis frame.
		hop := max(1, int(math.Round(float64(s.frames.hop)*float64(s.inRate)/float64(s.rate))))
		speech := make([]bool, len(x)/hop)
		for k := range speech {
			c := int(float64(k*hop) * float64(s.rate) / float64(s.inRate) / float64(s.frames.hop))
			speech[k] = c < len(s.frames.speech) && s.frames.speech[c]
		}
		x = Denoise(x, s.inRate, speech, hop)
	}
	s.full = x
	return x
}
