package voice

import (
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/dsp"
	"github.com/voxclone/voxclone/internal/audio/loudness"
	"github.com/voxclone/voxclone/internal/tts/flite"
	"github.com/voxclone/voxclone/internal/tts/normalize"
)

// Joins between chunks. The base synthesizer pads every utterance with
// silence of its own; it is cut to these margins and replaced by a pause
// that depends on what separates the chunks.
const (
	leadMargin = 0.020 // s of the base voice's leading pause kept before speech
	tailMargin = 0.040 // s kept after it, so releases are not cut
	fadeLen    = 0.008 // s of raised-cosine fade at both ends
	// defaultPause is the pause between sentences when the speaker's own
	// is not known; a speaker's median pause is used within these bounds.
	defaultPause = 0.35
	minPause     = 0.25
	maxPause     = 0.60
)

// pauses are the silences after a chunk by what ends it, in seconds.
type pauses [normalize.Paragraph + 1]float64

// newPauses scales the pause between sentences from the speaker's median
// pause (0 when unknown) and slows or speeds all of them with speed.
func newPauses(median, speed float64) pauses {
	s := defaultPause
	if median > 0 {
		s = clamp(median, minPause, maxPause)
	}
	return pauses{
		normalize.NoBreak:   0.05 / speed, // a run-on sentence cut at a word
		normalize.Clause:    0.15 / speed,
		normalize.Sentence:  s / speed,
		normalize.Paragraph: (2*s + 0.2) / speed,
	}
}

// trimSpeech cuts the base voice's silence from both ends of a chunk's
// audio, fades the ends, and times the chunk's words from the tokens the
// base synthesizer reported.
func trimSpeech(pcm *audio.PCM, r *flite.Result, s *Script, c scriptChunk) rendered {
	pcm = resampleChunk(pcm)
	start, end := speechSpan(r.Phones, pcm.Seconds())
	a, b := int(start*float64(pcm.Rate)), int(math.Ceil(end*float64(pcm.Rate)))
	b = min(max(b, a), pcm.Frames())
	out := &audio.PCM{Rate: pcm.Rate, Channels: 1, Samples: pcm.Samples[a:b]}
	fade(out.Samples, int(fadeLen*float64(pcm.Rate)))
	return rendered{pcm: out, words: chunkWords(r.Tokens, s, c, start, out.Seconds())}
}

// resampleChunk brings a chunk to the engine's output rate (the built-in
// voices and the baseline speak at flite's own). This is what the listener
// hears, so it takes the sharp design: the analysis one is −3.8 dB at
// 7.2 kHz and dulls the fricatives' 6–8 kHz. Each chunk is one whole
// utterance from flite, padded with its silence and faded after the
// trim, so chunks need no resampling state between them.
func resampleChunk(p *audio.PCM) *audio.PCM {
	if p.Rate == OutputRate {
		return p
	}
	return dsp.ResampleSharp(p, OutputRate)
}

// speechSpan is where speech starts and ends, from the base voice's phones:
// after its leading pause and before its trailing one, with margins.
func speechSpan(phones []flite.Phone, dur float64) (start, end float64) {
	end = dur
	if n := len(phones); n > 0 && phones[0].Name == "pau" && n > 1 {
		start = max(0, phones[0].End-leadMargin)
	}
	if n := len(phones); n > 1 && phones[n-1].Name == "pau" {
		end = min(dur, phones[n-2].End+tailMargin)
	}
	return start, max(end, start)
}

// fade shapes the first and last n samples with a raised cosine.
func fade(x []float32, n int) {
	n = min(n, len(x)/2)
	for i := 0; i < n; i++ {
		g := float32(0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(n)))
		x[i] *= g
		x[len(x)-1-i] *= g
	}
}

// chunkWords times the written words of a chunk: each word of the chunk
// is one token to the base synthesizer, in order, and a written token
// spans the words it was read as. Times are relative to the trimmed
// speech. Should the synthesizer have split the words otherwise, the
// words are spread over the speech by length instead.
func chunkWords(toks []flite.Token, s *Script, c scriptChunk, offset, dur float64) []Word {
	times := make([][2]float64, len(c.words))
	if len(toks) == len(c.words) {
		for k, t := range toks {
			times[k] = [2]float64{t.Start - offset, t.End - offset}
		}
	} else {
		total := 0
		for _, w := range c.words {
			total += len(w) + 1
		}
		at := 0
		for k, w := range c.words {
			times[k] = [2]float64{dur * float64(at) / float64(total), dur * float64(at+len(w)) / float64(total)}
			at += len(w) + 1
		}
	}
	var out []Word
	for k, ti := range c.wordToken {
		st, en := clamp(times[k][0], 0, dur), clamp(times[k][1], 0, dur)
		if times[k][0] < -offset { // a word the synthesizer did not speak
			st, en = -1, -1
		}
		if n := len(out); n > 0 && k > 0 && c.wordToken[k-1] == ti {
			if st >= 0 {
				if out[n-1].Start < 0 {
					out[n-1].Start = st
				}
				out[n-1].End = en
			}
			continue
		}
		t := s.tokens[ti]
		out = append(out, Word{Text: s.text[t.CoreStart:t.CoreEnd], Start: st, End: en,
			Offset: t.CoreStart, Len: t.CoreEnd - t.CoreStart})
	}
	return fillUnspoken(out)
}

// fillUnspoken gives words the synthesizer read as nothing the instant
// between their neighbours.
func fillUnspoken(ws []Word) []Word {
	for k := range ws {
		if ws[k].Start >= 0 {
			continue
		}
		at := 0.0
		if k > 0 {
			at = ws[k-1].End
		}
		ws[k].Start, ws[k].End = at, at
	}
	return ws
}

// joiner turns rendered chunks, in order, into the stream's chunks: it
// sets their level, appends their pauses and places their words on the
// stream's timeline.
type joiner struct {
	r       *renderer
	meter   *loudness.Meter
	target  float64
	gainDB  float64
	started bool
	at      float64 // seconds emitted so far
	pending *Word   // a run-on token continued in the next chunk
}

// Level control: the gain follows the loudness measured so far, at most
// maxGainStep per chunk, within [minGain, maxGain] dB.
const (
	maxGainStep      = 1.0
	minGain, maxGain = -20.0, 30.0
)

func newJoiner(r *renderer, opt Options) *joiner {
	return &joiner{r: r, meter: loudness.NewMeter(OutputRate, 1), target: sanitize(opt).LoudnessLUFS}
}

// finish levels chunk i, appends its pause and returns it.
func (j *joiner) finish(i int, res rendered) Chunk {
	p := res.pcm
	j.level(p)
	pause := j.r.pauses[j.r.script.chunks[i].pause]
	if i == len(j.r.script.chunks)-1 {
		pause = 0
	}
	samples := make([]float32, len(p.Samples), len(p.Samples)+int(pause*float64(p.Rate)))
	copy(samples, p.Samples)
	samples = samples[:cap(samples)]
	out := Chunk{Index: i, Start: j.at, Audio: &audio.PCM{Rate: p.Rate, Channels: 1, Samples: samples}}
	out.TextStart, out.TextEnd = j.r.script.textRange(i)
	out.Words = j.place(res.words, i)
	j.at += out.Audio.Seconds()
	return out
}

// level measures the chunk as rendered, moves the gain toward the target
// and applies it, limiting peaks.
func (j *joiner) level(p *audio.PCM) {
	j.meter.Add(p)
	if l := j.meter.Integrated(); !math.IsInf(l, -1) {
		want := clamp(j.target-l, minGain, maxGain)
		if !j.started {
			j.gainDB, j.started = want, true
		} else {
			j.gainDB += clamp(want-j.gainDB, -maxGainStep, maxGainStep)
		}
	}
	g := float32(math.Pow(10, j.gainDB/20))
	for k := range p.Samples {
		p.Samples[k] *= g
	}
	limitTruePeak(p, loudness.DefaultMaxTruePeak)
}

// limitTruePeak keeps p's true peak at or under maxDBTP: a look-ahead
// limiter a little under it, then a small gain if interpolation still
// overshoots.
func limitTruePeak(p *audio.PCM, maxDBTP float64) {
	if loudness.TruePeak(p) <= maxDBTP {
		return
	}
	dsp.Limit(p, float32(math.Pow(10, (maxDBTP-0.5)/20)))
	if tp := loudness.TruePeak(p); tp > maxDBTP {
		g := float32(math.Pow(10, (maxDBTP-tp-0.01)/20))
		for k := range p.Samples {
			p.Samples[k] *= g
		}
	}
}

// place moves a chunk's word times onto the stream's timeline, joining a
// token that runs over from the chunk before.
func (j *joiner) place(ws []Word, i int) []Word {
	out := make([]Word, 0, len(ws)+1)
	for k, w := range ws {
		w.Start += j.at
		w.End += j.at
		if k == 0 && j.pending != nil {
			if j.pending.Offset == w.Offset {
				w.Start = j.pending.Start
			} else {
				out = append(out, *j.pending)
			}
			j.pending = nil
		}
		out = append(out, w)
	}
	chunks := j.r.script.chunks
	if c := chunks[i]; i+1 < len(chunks) && len(out) > 0 && c.wordToken[len(c.wordToken)-1] == chunks[i+1].wordToken[0] {
		last := out[len(out)-1]
		j.pending, out = &last, out[:len(out)-1]
	}
	return out
}
