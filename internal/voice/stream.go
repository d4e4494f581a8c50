package voice

import (
	"context"
	"fmt"
	"sync"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/tts/flite"
)

// Speaker is the voice a Stream speaks in: a cloned voice, as a Voice
// kept between streams or as its profile (from Clone), or, when both are
// nil, the built-in voice named Builtin.
type Speaker struct {
	// Voice, when set, is the cloned voice, and Profile is not read.
	Voice   *Voice
	Profile []byte
	Builtin string
}

// Word is one written word of the script and when it is spoken.
type Word struct {
	// Text is the word as written, without the quotes, brackets and
	// sentence punctuation around it ("$5.50", "Dr", "don't").
	Text string
	// Start and End are seconds from the start of the stream.
	Start, End float64
	// Offset and Len are the word's byte span in the script's text.
	Offset, Len int
}

// OutputRate is the sample rate of every chunk Stream emits and of
// Synthesize's result: the engine converts at 16 kHz and renders the
// band above 8 kHz from a table (highband.go), so that 22.05–48 kHz
// formats are resampled from a full band rather than from 16 kHz.
const OutputRate = 24000

// Chunk is one piece of a stream: a sentence or part of one, followed by
// the pause that comes after it.
type Chunk struct {
	// Index counts chunks from 0.
	Index int
	// Start is the seconds of audio before this chunk.
	Start float64
	// TextStart and TextEnd are the byte range of the script's text the
	// chunk covers: its words and what follows them up to the next
	// chunk's. The chunks' ranges cover the whole text, in order.
	TextStart, TextEnd int
	// Audio is mono at the engine's rate; every chunk of a stream has the
	// same rate.
	Audio *audio.PCM
	// Words are the words spoken in this chunk, in order.
	Words []Word
}

// lookahead is how many chunks beyond the one being played may be rendered
// or waiting: enough to keep every worker busy, few enough that memory
// stays flat whatever the text's length.
func (e *Engine) lookahead() int { return e.workers + 2 }

// Stream speaks the script in the speaker's voice, calling emit with each
// chunk in order as soon as it and all before it are rendered. Chunks are
// rendered in parallel on the engine's workers, which all streams of the
// engine share, at most a few ahead of the one emit last returned from;
// so a slow emit (a slow listener) holds rendering back and memory does
// not grow with the text.
//
// The level is set as the audio goes: each chunk's gain moves toward what
// brings the loudness of everything so far to opt.LoudnessLUFS (−16 LUFS
// by default), at most 1 dB per chunk, and a limiter keeps every chunk's
// true peak at or under −1 dBTP. Sentences are joined with pauses that
// follow the speaker's own pauses, longer between paragraphs; each chunk
// fades in and out over a few milliseconds, so joins do not click.
//
// Stream returns when every chunk was emitted, or with the first error:
// emit's error, a rendering failure, or ctx's error once ctx is done, at
// which point rendering stops. No goroutine outlives it. The same speaker,
// script and options always give the same audio.
func (e *Engine) Stream(ctx context.Context, sp Speaker, s *Script, opt Options, emit func(Chunk) error) error {
	r, err := e.newRenderer(sp, s, sanitize(opt))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	results := make([]chan rendered, len(s.chunks))
	for i := range results {
		results[i] = make(chan rendered, 1)
	}
	ahead := make(chan struct{}, e.lookahead())
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.dispatch(ctx, &wg, r, ahead, results)
	}()
	j := newJoiner(r, opt)
	for i := range s.chunks {
		var res rendered
		select {
		case res = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-ahead
		if res.err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return res.err
		}
		if err := emit(j.finish(i, res)); err != nil {
			return err
		}
	}
	return nil
}

// dispatch starts rendering chunks in order, each when a look-ahead slot
// and one of the engine's workers are free, until all are started or ctx
// ends. The second chunk starts once the first is rendered: the first
// chunk is what the listener waits for, and its analysis spreads over the
// free cores (world.Envelope, F0), which a second render beside it would
// take. Rendering runs many times faster than speech, so the rest of the
// stream loses nothing by the wait.
func (e *Engine) dispatch(ctx context.Context, wg *sync.WaitGroup, r *renderer, ahead chan struct{}, results []chan rendered) {
	firstDone := make(chan struct{}, 1)
	for i := range results {
		select {
		case ahead <- struct{}{}:
		case <-ctx.Done():
			return
		}
		if i == 1 {
			select {
			case <-firstDone:
			case <-ctx.Done():
				return
			}
		}
		select {
		case e.slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := r.render(ctx, i)
			<-e.slots
			if i == 0 {
				firstDone <- struct{}{}
			}
			results[i] <- res
		}()
	}
}

// renderer renders the chunks of one stream; it is shared by the
// stream's workers and read-only once made.
type renderer struct {
	e       *Engine
	script  *Script
	opt     Options
	profile *Profile    // nil for a built-in voice
	conv    *conversion // nil in baseline mode and for built-in voices
	builtin *Builtin
	pauses  pauses
}

func (e *Engine) newRenderer(sp Speaker, s *Script, opt Options) (*renderer, error) {
	r := &renderer{e: e, script: s, opt: opt}
	if sp.Voice == nil && sp.Profile == nil {
		b, ok := builtinByID(sp.Builtin)
		if !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownVoice, sp.Builtin)
		}
		r.builtin = &b
		r.pauses = newPauses(0, opt.Speed)
		return r, nil
	}
	v := sp.Voice
	if v == nil {
		v = NewVoice(sp.Profile) // for this stream only
	}
	p, err := v.Profile()
	if err != nil {
		return nil, err
	}
	r.profile = p
	if e.mode != ModeBaseline {
		r.conv = v.conversion(p, similarity(opt.Similarity), opt.Pitch)
	}
	r.pauses = newPauses(float64(p.Prosody.PauseMedian), opt.Speed)
	return r, nil
}

// rendered is one chunk's speech, trimmed of the silence around it, and
// its words with times from the start of that speech.
type rendered struct {
	pcm   *audio.PCM
	words []Word
	err   error
}

// renderStarted, when set (by tests), is called as each chunk's render
// starts.
var renderStarted func(i int)

// render speaks chunk i. Each chunk's noise seed depends only on its
// position, so the result does not depend on scheduling.
func (r *renderer) render(ctx context.Context, i int) rendered {
	if renderStarted != nil {
		renderStarted(i)
	}
	c := r.script.chunks[i]
	var (
		pcm *audio.PCM
		res *flite.Result
		err error
	)
	if r.builtin != nil {
		pcm, res, err = speakBuiltin(ctx, *r.builtin, c.spoken(), r.opt)
	} else {
		pcm, res, err = r.e.speak(ctx, r.profile, r.conv, c.spoken(), r.opt, uint64(r.opt.Seed)+uint64(i))
	}
	if err != nil {
		return rendered{err: err}
	}
	return trimSpeech(pcm, res, r.script, c)
}
