// Package align labels the frames of a speaker's reference audio with
// phones, so the voice engine can take each sound's spectral envelope from
// the same sound of the target speaker.
//
// Align force-aligns a known transcript; Recognize decodes phones without
// one. Both use pocketsphinx with its US English model (Debian packages
// pocketsphinx-en-us and libpocketsphinx-dev) and report phones with
// flite's names (lowercase ARPAbet, "pau" for silence), so labels from the
// reference and from flite's base voice can be compared directly.
//
// Every function is safe for concurrent use; each running call holds its
// own decoder.
package align

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/voxclone/voxclone/internal/audio"
)

// Segment is one labelled stretch of audio.
type Segment struct {
	Phone      string  // flite phone name, "pau" for silence or noise
	Start, End float64 // seconds from the start of the audio; End > Start
	// Word is the transcript word the phone belongs to (lowercase), "" for
	// pauses and for every segment of Recognize.
	Word string
	// Guessed marks phones whose identity is a guess: every phone of
	// Recognize, and in Align the phones of a word missing from the
	// pronunciation dictionary, spelled by flite's letter-to-sound rules.
	Guessed bool
}

// Rate is the only sample rate Align and Recognize accept.
const Rate = 16000

// MaxSeconds bounds the audio of one call; the decoder's memory grows with
// the length of the utterance. Longer references are labelled in pieces.
const MaxSeconds = 600

// Bounds on a transcript, far beyond real speech: ten words a second is
// twice the fastest auctioneer; only maxGuesses unknown words are spelled
// by flite, the rest are aligned unlabelled.
const (
	maxWordRate = 10
	maxGuesses  = 64
)

// Errors returned by Align and Recognize (tested with errors.Is). Bad audio
// wraps audio.ErrEmpty or audio.ErrTooLarge.
var (
	ErrFormat     = errors.New("align: audio must be 16 kHz mono")
	ErrTranscript = errors.New("align: transcript has no words")
	ErrNoMatch    = errors.New("align: transcript does not fit the audio")
	ErrModel      = errors.New("align: pocketsphinx model unavailable")
)

// Align force-aligns transcript to pcm (16 kHz mono) and returns phone and
// pause segments in time order, covering the audio from start to end. The
// phones follow the transcript's words in order, using the dictionary
// pronunciation that fits best. Words missing from the dictionary (names,
// numbers, misspellings; see UnknownWords) get flite's letter-to-sound
// pronunciation and Guessed set; a word even flite cannot spell is
// aligned as an unlabelled stretch reported as a pause.
//
// Recordings over about half a minute are decoded in chunks (see
// chunk.go), so the cost per second of audio stays flat up to MaxSeconds.
// It fails with ErrNoMatch when no path through the transcript reaches the
// end of the audio (wrong transcript, or audio too short for it).
// Cancelling ctx returns ctx.Err() at once; the decoder finishes the
// current utterance in the background before it is reused.
func Align(ctx context.Context, pcm *audio.PCM, transcript string) ([]Segment, error) {
	if err := check(ctx, pcm); err != nil {
		return nil, err
	}
	words := Words(transcript)
	if len(words) == 0 {
		return nil, ErrTranscript
	}
	if len(words) > int(pcm.Seconds()*maxWordRate)+2 {
		return nil, fmt.Errorf("%w: %d words in %.1f s", ErrNoMatch, len(words), pcm.Seconds())
	}
	prons, err := lookup(words)
	if err != nil {
		return nil, err
	}
	guessed := addGuesses(ctx, words, prons)
	segs, err := alignWords(ctx, pcm.Samples, words, prons, guessed)
	if err != nil {
		return nil, err
	}
	return finish(segs, pcm.Seconds()), nil
}

// addGuesses adds flite's pronunciation of the words the dictionary lacks
// to prons (for at most maxGuesses distinct words, which bounds the time
// spent in flite) and returns the set of those words.
func addGuesses(ctx context.Context, words []string, prons map[string][][]string) map[string]bool {
	guessed := map[string]bool{}
	var unknown []string
	for _, w := range words {
		if len(validProns(prons[w])) == 0 && !guessed[w] {
			guessed[w] = true
			unknown = append(unknown, w)
		}
	}
	for w, p := range guessProns(ctx, unknown[:min(len(unknown), maxGuesses)]) {
		prons[w] = [][]string{p}
	}
	return guessed
}

// Recognize labels pcm (16 kHz mono) with a phone-loop decoder in which
// any phone may follow any other at a fixed cost. With no transcript to
// constrain it, expect roughly one phone in three to be wrong, though
// mostly within its class; every segment has Guessed set and Word empty.
// Errors are as for Align.
func Recognize(ctx context.Context, pcm *audio.PCM) ([]Segment, error) {
	if err := check(ctx, pcm); err != nil {
		return nil, err
	}
	raw, err := decode(ctx, pcm.Samples, nil)
	if err != nil {
		return nil, err
	}
	segs := make([]Segment, 0, len(raw))
	for _, r := range raw {
		segs = append(segs, Segment{Phone: Normalize(r.word), Guessed: true,
			Start: frameTime(r.start), End: frameTime(r.end + 1)})
	}
	return finish(segs, pcm.Seconds()), nil
}

// UnknownWords returns the transcript words that are not in the
// pronunciation dictionary, whose phones Align takes from flite's
// letter-to-sound rules and marks Guessed.
func UnknownWords(transcript string) ([]string, error) {
	words := Words(transcript)
	prons, err := lookup(words)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range words {
		if len(validProns(prons[w])) == 0 {
			out = append(out, w)
		}
	}
	return out, nil
}

func check(ctx context.Context, pcm *audio.PCM) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch {
	case pcm == nil || pcm.Frames() == 0:
		return fmt.Errorf("align: %w", audio.ErrEmpty)
	case pcm.Rate != Rate || pcm.Channels != 1:
		return fmt.Errorf("%w, got %d Hz, %d channels", ErrFormat, pcm.Rate, pcm.Channels)
	case pcm.Seconds() > MaxSeconds:
		return fmt.Errorf("align: %.0f s of audio, at most %d s: %w", pcm.Seconds(), MaxSeconds, audio.ErrTooLarge)
	case pcm.Seconds() < 0.1:
		return fmt.Errorf("align: %.3f s of audio is too short: %w", pcm.Seconds(), audio.ErrEmpty)
	}
	return nil
}

// decode runs the grammar (or, for nil, the phone loop) on a pooled
// decoder in its own goroutine, so that a cancelled ctx returns at once.
func decode(ctx context.Context, pcm []float32, g *grammar) ([]rawSeg, error) {
	kind := searchLoop
	if g != nil {
		kind = searchAlign
	}
	return decodeOn(ctx, pcm, g, kind)
}

// decodeOn is decode on a pooled decoder of the given kind: searchLoop,
// searchAlign or alignEveryFrame.
func decodeOn(ctx context.Context, pcm []float32, g *grammar, kind string) ([]rawSeg, error) {
	type result struct {
		segs []rawSeg
		err  error
	}
	done := make(chan result, 1)
	go func() {
		segs, err := decodeWith(kind, pcm, g)
		done <- result{segs, err}
	}()
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case r := <-done:
		return r.segs, r.err
	}
}

// decodeWith runs pcm through g (nil: the phone loop) on a decoder of the
// given kind taken from its pool, and returns the decoder when done.
func decodeWith(kind string, pcm []float32, g *grammar) ([]rawSeg, error) {
	d, err := getDecoder(kind)
	if err != nil {
		return nil, err
	}
	defer putDecoder(kind, d)
	if g == nil {
		return d.run(searchLoop, pcm)
	}
	if err := d.setGrammar(g); err != nil {
		return nil, err
	}
	return d.run(searchAlign, pcm)
}

// alignedSegments turns decoded phone words back into transcript words:
// consecutive words use alternating phone-word copies (see grammar.go).
// A word without any pronunciation is one spoken-noise segment, reported
// as a pause. idx gives each segment's word index, -1 for real pauses.
func alignedSegments(raw []rawSeg, words []string, guessed map[string]bool) (segs []Segment, idx []int, err error) {
	wi, last := -1, -1
	for _, r := range raw {
		if r.word == nullWord {
			continue
		}
		s := Segment{Phone: Silence, Start: frameTime(r.start), End: frameTime(r.end + 1)}
		ph, parity, ok := parsePhoneWord(r.word)
		switch {
		case ok:
			if parity != last {
				wi, last = wi+1, parity
			}
			s.Phone = strings.ToLower(ph)
		case r.word == unknownWord:
			wi++
			last = wi % 2
			segs, idx = append(segs, s), append(idx, wi)
			continue
		default: // a pause
			segs, idx = append(segs, s), append(idx, -1)
			continue
		}
		if wi >= len(words) {
			return nil, nil, fmt.Errorf("%w: decoder returned extra words", ErrNoMatch)
		}
		s.Word, s.Guessed = words[wi], guessed[words[wi]]
		segs, idx = append(segs, s), append(idx, wi)
	}
	return segs, idx, nil
}

// frameTime is the time of the boundary before frame f. Frame f analyses a
// 25.6 ms window starting at f·10 ms, so it stands for the 10 ms around
// the window's centre, 7.8 ms later than f·10 ms.
func frameTime(f int) float64 {
	const windowLen = 0.025625 // the model's -wlen
	return float64(f)/frameRate + windowLen/2 - 0.5/frameRate
}

// finish makes the segments tile [0, dur]: leading, trailing and internal
// gaps become pauses, and the last segment is clipped to the audio.
func finish(segs []Segment, dur float64) []Segment {
	out := make([]Segment, 0, len(segs)+2)
	t := 0.0
	for _, s := range segs {
		if s.Start < t+0.999/frameRate {
			s.Start = t // no pause shorter than a frame
		}
		if s.Start > t {
			out = appendMerged(out, Segment{Phone: Silence, Start: t, End: s.Start, Guessed: s.Guessed})
		}
		s.End = min(s.End, dur)
		if s.End > s.Start {
			out = appendMerged(out, s)
			t = s.End
		}
	}
	if n := len(out); n > 0 && dur-t < 0.999/frameRate {
		out[n-1].End = dur
	} else if dur > t {
		out = appendMerged(out, Segment{Phone: Silence, Start: t, End: dur})
	}
	return out
}

// appendMerged appends s, extending the previous segment instead when both
// are pauses.
func appendMerged(out []Segment, s Segment) []Segment {
	if n := len(out); n > 0 && s.Phone == Silence && out[n-1].Phone == Silence {
		out[n-1].End = s.End
		return out
	}
	return append(out, s)
}
