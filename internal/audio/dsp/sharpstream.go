package dsp

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
)

// SharpResampler is ResampleSharp for audio that arrives in pieces, as a
// stream's sentences do: the outputs of Write and Flush, concatenated, are
// the samples ResampleSharp gives for the pieces joined (the same
// arithmetic on the same inputs), so piece boundaries leave no trace
// whatever the audio does there.
//
// The price is look-ahead: an output sample needs input up to half the
// kernel past it, so each Write holds back the last few milliseconds of
// its output until the next piece (or Flush) brings that input: 3.2 ms at
// 24 → 16 kHz, 2.3 ms at 24 → 22.05, 2.1 ms at 24 → 44.1 or 48 kHz, 7.2 ms
// at 24 → 8 kHz (SharpResampler.Delay). The state is that much input per channel. A
// SharpResampler is not safe for concurrent use.
type SharpResampler struct {
	from, to, ch int
	c            *chain
	up, down     int64
	buf          [][]float32 // per channel, input frames base, base+1, …
	base         int         // input frame index of buf[·][0]
	in, out      int         // input frames taken, output frames given
}

// NewSharpResampler returns a resampler of channels-channel audio from
// from Hz to to Hz. It panics if a rate is not positive or channels < 1.
func NewSharpResampler(from, to, channels int) *SharpResampler {
	if from <= 0 || to <= 0 || channels < 1 {
		panic("dsp: NewSharpResampler with a non-positive rate or no channels")
	}
	s := &SharpResampler{from: from, to: to, ch: channels, buf: make([][]float32, channels)}
	if from != to {
		g := gcd(from, to)
		s.c, s.up, s.down = chainFor(from, to, sharp), int64(to/g), int64(from/g)
	}
	return s
}

// Write takes the next piece, which must have the resampler's input rate
// and channel count (else it panics), and returns the output that piece
// completes: possibly none, and without the look-ahead's worth of the
// piece's end. At matching rates it returns p itself.
func (s *SharpResampler) Write(p *audio.PCM) *audio.PCM {
	if p.Rate != s.from || p.Channels != s.ch {
		panic("dsp: SharpResampler.Write with another rate or channel count")
	}
	if s.c == nil {
		return p
	}
	n := p.Frames()
	for c := range s.buf {
		for i := 0; i < n; i++ {
			s.buf[c] = append(s.buf[c], p.Samples[i*s.ch+c])
		}
	}
	s.in += n
	return s.emit(s.ready(), false)
}

// Flush returns the rest of the output: what Write held back, ending where
// ResampleSharp of the whole would (round(frames·to/from) frames in all),
// with silence assumed after the last piece. The resampler starts over
// afterwards, as for a new stream.
func (s *SharpResampler) Flush() *audio.PCM {
	if s.c == nil {
		return &audio.PCM{Rate: s.to, Channels: s.ch}
	}
	total := int((int64(s.in)*s.up + s.down/2) / s.down)
	out := s.emit(max(total, s.out), true)
	*s = *NewSharpResampler(s.from, s.to, s.ch)
	return out
}

// Delay is how far, in seconds of input, Write's output trails its input:
// the look-ahead held back until more input comes.
func (s *SharpResampler) Delay() float64 {
	if s.c == nil {
		return 0
	}
	_, hi := s.c.span(0)
	return float64(hi) / float64(s.from)
}

// ready is how many outputs the input so far completes: those whose last
// input frame has arrived.
func (s *SharpResampler) ready() int {
	lo, hi := s.out, int((int64(s.in)*s.up)/s.down)+1
	for lo < hi { // the first output not complete
		mid := (lo + hi) / 2
		if _, last := s.c.span(mid); last < s.in {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// emit computes outputs s.out … end−1 and drops the input no later output
// reads. final says the input has ended (zeros after it, and the
// half-band stages' lengths known, as in a whole-buffer conversion).
func (s *SharpResampler) emit(end int, final bool) *audio.PCM {
	k := end - s.out
	out := &audio.PCM{Rate: s.to, Channels: s.ch, Samples: make([]float32, k*s.ch)}
	if k == 0 {
		return out
	}
	y := make([]float32, k)
	for c, x := range s.buf {
		s.c.stream(y, s.out, s.source(x, final))
		for i, v := range y {
			out.Samples[i*s.ch+c] = v
		}
	}
	s.out = end
	if first, _ := s.c.span(s.out); first > s.base {
		drop := min(first-s.base, len(s.buf[0]))
		for c := range s.buf {
			s.buf[c] = append(s.buf[c][:0], s.buf[c][drop:]...)
		}
		s.base += drop
	}
	return out
}

// source is one channel's input as the chain reads it.
func (s *SharpResampler) source(x []float32, final bool) source {
	var src source = window{x: x, base: s.base, n: s.in}
	n := s.in
	for _, h := range s.c.halves {
		n = (n + 1) / 2
		if !final {
			n = math.MaxInt / 4 // unknown yet; ready outputs never read that far
		}
		src = &decimated{hb: h, src: src, n: n}
	}
	return src
}

// window is a stretch of a longer signal: frames base … base+len(x)−1 of
// one that is n frames long (zeros outside it).
type window struct {
	x       []float32
	base, n int
}

func (w window) fill(dst []float32, at int) {
	clear(dst)
	lo, hi := max(at, w.base, 0), min(at+len(dst), w.base+len(w.x), w.n)
	if lo < hi {
		copy(dst[lo-at:], w.x[lo-w.base:hi-w.base])
	}
}

// span is the first and last input frame output j of the chain reads.
func (c *chain) span(j int) (first, last int) {
	n, _ := c.final.at(j)
	first, last = n-c.final.taps/2+1, n+c.final.taps/2
	for i := len(c.halves) - 1; i >= 0; i-- {
		reach := 2*len(c.halves[i].h) - 1
		first, last = 2*first-reach, 2*last+reach
	}
	return first, last
}

// stream is run over a source: outputs from, from+1, … into out.
func (c *chain) stream(out []float32, from int, src source) {
	c.final.stream(out, from, src)
}
