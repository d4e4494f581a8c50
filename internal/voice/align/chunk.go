package align

import (
	"context"
	"fmt"
	"math"
)

// Long recordings are aligned in chunks. The decoder's cost per frame
// grows with the grammar's length (its history keeps a list per grammar
// state and phone), so one pass over 220 s cost 51 ms of CPU per second of
// audio against 22 ms for 60 s. Each chunk takes chunkSeconds of audio
// and somewhat more of the transcript than is likely spoken in it, lets the
// audio end after any word, and keeps only the words that end before the
// last chunkTail seconds; the next chunk starts where the kept words end.
const (
	chunkSeconds = 30
	chunkTail    = 4
)

// alignWords aligns words (with prons and the guessed set as Align built
// them) to pcm, chunk by chunk, in the recording's time.
func alignWords(ctx context.Context, pcm []float32, words []string, prons map[string][][]string, guessed map[string]bool) ([]Segment, error) {
	var out []Segment
	start, w0 := 0, 0
	secs := float64(len(pcm)) / Rate
	wordRate := float64(len(words)) / secs
	// A transcript that does not match keeps chunks from advancing; twice
	// the chunks a matching one needs bounds the time spent finding out.
	for budget := 2*int(secs/(chunkSeconds-chunkTail)) + 2; ; budget-- {
		if budget == 0 {
			return nil, fmt.Errorf("%w: alignment stalled at %.0f s", ErrNoMatch, float64(start)/Rate)
		}
		offset := float64(start) / Rate
		rest := pcm[start:]
		if len(rest) <= (chunkSeconds+chunkTail)*Rate || w0 == len(words) {
			segs, idx, err := alignChunk(ctx, rest, words[w0:], prons, guessed, false)
			if err != nil {
				return nil, err
			}
			if n := lastWord(idx) + 1; n != len(words)-w0 {
				return nil, fmt.Errorf("%w: aligned %d of %d words", ErrNoMatch, w0+n, len(words))
			}
			return append(out, shift(segs, offset)...), nil
		}
		n := min(len(words)-w0, int(1.5*wordRate*chunkSeconds)+10)
		end := quietest(rest, (chunkSeconds-chunkTail/2)*Rate, chunkSeconds*Rate)
		segs, idx, err := alignChunk(ctx, rest[:end], words[w0:w0+n], prons, guessed, true)
		if err != nil {
			return nil, err
		}
		keep, kept := cutChunk(segs, idx, float64(end)/Rate-chunkTail)
		if kept == 0 {
			return nil, fmt.Errorf("%w: no word fits %.0f–%.0f s", ErrNoMatch, offset, offset+chunkSeconds)
		}
		// Restart on the same 10 ms frame grid, at the frame after the cut.
		start += int(math.Round((segs[keep-1].End-frameTime(0))*frameRate)) * (Rate / frameRate)
		out = append(out, shift(segs[:keep], offset)...)
		w0 += kept
	}
}

// alignChunk aligns words to pcm. When the decoder, scoring Gaussians on
// every other frame (alignArgs), finds no path through any word, it tries
// again scoring every frame: fast speech can leave the halved scoring no
// path at all where the full one has one (a voice cloned from vctk_p225
// at speed 1.5, "he told her the roses were finally blooming", 1.47 s;
// real speech sped up to 1.3–1.6: 25 of 156 recordings, 5 of them
// rescued; docs/engine.md, "Fast speech"). Only a failed chunk pays the
// retry (≈ 18 CPU-ms per second of audio on top of the ≈ 13 of the
// failed pass, a wrong transcript too); alignments that succeed are
// unchanged.
func alignChunk(ctx context.Context, pcm []float32, words []string, prons map[string][][]string, guessed map[string]bool, openEnd bool) ([]Segment, []int, error) {
	g := buildGrammar(words, prons, openEnd)
	raw, err := decode(ctx, pcm, g)
	if err != nil {
		return nil, nil, err
	}
	segs, idx, err := alignedSegments(raw, words, guessed)
	if err != nil || lastWord(idx) >= 0 {
		return segs, idx, err
	}
	if raw, err = decodeOn(ctx, pcm, g, alignEveryFrame); err != nil {
		return nil, nil, err
	}
	return alignedSegments(raw, words, guessed)
}

// cutChunk returns how many segments and words to keep from a chunk: every
// word whose last phone ends by limit seconds, and the pauses among them.
func cutChunk(segs []Segment, idx []int, limit float64) (keep, words int) {
	for i, s := range segs {
		if s.End > limit {
			break
		}
		if idx[i] >= 0 && (i+1 == len(segs) || idx[i+1] != idx[i]) {
			keep, words = i+1, idx[i]+1
		}
	}
	return keep, words
}

// quietest returns the sample in [lo, hi) at the centre of the quietest
// 50 ms there. A chunk that ends inside a word can leave the decoder no
// path to the grammar's end; one that ends in a pause, or at least a
// closure, rarely does.
func quietest(x []float32, lo, hi int) int {
	const win, hop = Rate / 20, Rate / 100
	best, at := math.Inf(1), hi
	for s := lo; s+win <= hi && s+win <= len(x); s += hop {
		var e float64
		for _, v := range x[s : s+win] {
			e += float64(v) * float64(v)
		}
		if e < best {
			best, at = e, s+win/2
		}
	}
	return at
}

func lastWord(idx []int) int {
	last := -1
	for _, i := range idx {
		last = max(last, i)
	}
	return last
}

func shift(segs []Segment, by float64) []Segment {
	for i := range segs {
		segs[i].Start += by
		segs[i].End += by
	}
	return segs
}
