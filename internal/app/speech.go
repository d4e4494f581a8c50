package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

// Streaming synthesis, shared by every HTTP API that speaks (the native
// one and the OpenAI- and ElevenLabs-compatible ones) and by jobs that
// write speech into storage. It has two steps, so that a caller can still
// answer an error properly before the first byte of audio:
//
//	sp, rate, err := svc.StartSpeech(ctx, userID, in)
//	// err: EInvalid, ETooLarge, ENotFound, EUnprocessable or ERateLimited;
//	// nothing has been rendered. On success sp.Synthesis() has the id,
//	// format and sample rate, sp.ContentType() the MIME type.
//	syn, err := sp.Stream(ctx, w, onPart)
//	// renders, encodes and writes to w as the audio is produced, calling
//	// onPart (may be nil) with each part's word timings just before that
//	// part's audio; records the history entry at the end.
//
// StartSpeech takes one unit of the user's synthesize budget once the
// request is known to be valid (the Budget ctx carries, when the caller
// gave one, which it may give back should the request then fail); Stream
// may be called once. When ctx ends
// (a client that disconnects) or w fails, Stream stops rendering at once
// and leaves no history entry and no stored audio.

// MaxStreamTextRunes is the longest text StartSpeech speaks, about two
// hours of speech; it is streamed, so it is never held as a whole. The
// synchronous Synthesize keeps MaxTextRunes.
const MaxStreamTextRunes = voice.MaxScriptRunes

// Speech is a validated request to speak, ready to stream.
type Speech struct {
	svc     *Service
	syn     Synthesis // complete but for its size and duration
	script  *voice.Script
	speaker voice.Speaker
	opts    voice.Options
	format  audio.Format
	asked   int // the sample rate asked for, 0 for the engine's
	bitrate int // kbit/s asked for, 0 for the format's default
	used    atomic.Bool
	release func() // gives back the engine slot StartSpeech took; nil when none
}

// SpeechPart is a stretch of a stream: one sentence, or part of a long
// one, with the pause after it. Parts follow one another without gaps in
// time and in text, so the parts of a stream cover all of its audio and
// all of its text.
type SpeechPart struct {
	// Start and End are the seconds of audio the part spans.
	Start, End float64
	// Text is the part of the request's text it covers: its words and the
	// spaces and punctuation up to the next part. TextStart is where it
	// starts in the text, in characters (Unicode code points).
	Text      string
	TextStart int
	// Words are the written words spoken in the part.
	Words []WordTiming
}

// WordTiming is one written word and when it is spoken. Offset and Length
// place it in the request's text, in characters (Unicode code points).
type WordTiming struct {
	Text   string  `json:"text"`
	Start  float64 `json:"start"`
	End    float64 `json:"end"`
	Offset int     `json:"offset"`
	Length int     `json:"length"`
}

// StartSpeech validates a request to speak up to MaxStreamTextRunes
// characters, takes one of the engine's slots (Config.Admission; when all
// are busy it is EUnavailable with RetryAfter set, and nothing is charged),
// resolves its voice (one of the user's ready models by
// ModelID, or a built-in voice by Voice), reads the text and takes one unit
// of the user's synthesize budget: the Budget ctx carries, or a fresh one
// when it carries none. Nothing is rendered yet. Errors:
// EInvalid (bad options, empty text, both or neither voice), ETooLarge (text
// over the limit), ENotFound (no such model or built-in voice),
// EUnprocessable (a model that failed to build, or text in a script the
// engine cannot read) and ERateLimited (over budget; the status is
// returned with it).
func (s *Service) StartSpeech(ctx context.Context, userID string, in SynthesizeInput) (*Speech, RateStatus, error) {
	sp, err := s.prepareSpeech(ctx, userID, in, MaxStreamTextRunes)
	if err != nil {
		return nil, RateStatus{}, err
	}
	// The slot is taken before the charge, so a busy answer costs the
	// user nothing; it is held until Stream (or Close) ends.
	if sp.release, err = s.admit(ctx); err != nil {
		return nil, RateStatus{}, err
	}
	st, err := s.charge(ctx, userID, ActionSynthesize)
	if err != nil {
		sp.Close()
		return nil, st, err
	}
	s.Audit(ctx, Event{Kind: AuditSynthesis, UserID: userID, Subject: sp.syn.ID, Detail: speechDetail(sp.syn, "stream")})
	return sp, st, nil
}

// prepareSpeech checks in, resolves the voice and reads the text.
func (s *Service) prepareSpeech(ctx context.Context, userID string, in SynthesizeInput, maxRunes int) (*Speech, error) {
	text, format, err := checkSynthesis(&in, maxRunes)
	if err != nil {
		return nil, err
	}
	speaker, err := s.speaker(ctx, userID, &in)
	if err != nil {
		return nil, err
	}
	script, err := voice.Prepare(text)
	if err != nil {
		return nil, engineError(ctx, err)
	}
	rate, err := codec.OutputRate(voice.OutputRate, format, in.SampleRate)
	if err != nil {
		return nil, Errorf(EInvalid, "Sample rate must be between %d and %d Hz, or 0 for the default.", codec.MinRate, codec.MaxRate)
	}
	syn := Synthesis{
		ID: NewID(), UserID: userID, ModelID: in.ModelID, Voice: in.Voice, Text: text, Format: string(format),
		Speed: in.Speed, Pitch: in.Pitch, SampleRate: rate, CreatedAt: s.now(),
	}
	if in.ModelID != "" {
		syn.Similarity = effectiveSimilarity(in.Similarity)
	}
	syn.AudioKey = "audio/" + syn.ID + "." + string(format)
	return &Speech{
		svc: s, syn: syn, script: script, speaker: speaker, format: format, asked: in.SampleRate, bitrate: in.Bitrate,
		opts: voice.Options{Speed: in.Speed, Pitch: in.Pitch, Similarity: in.Similarity},
	}, nil
}

// speaker resolves the request's voice: a ready model of the user's, or a
// built-in voice (which takes neither pitch nor similarity).
func (s *Service) speaker(ctx context.Context, userID string, in *SynthesizeInput) (voice.Speaker, error) {
	in.ModelID, in.Voice = strings.TrimSpace(in.ModelID), strings.TrimSpace(in.Voice)
	switch {
	case in.ModelID != "" && in.Voice != "":
		return voice.Speaker{}, Errorf(EInvalid, "Give a model_id or a built-in voice, not both.")
	case in.ModelID == "" && in.Voice == "":
		return voice.Speaker{}, Errorf(EInvalid, "Give the model_id of one of your voice models, or a built-in voice.")
	case in.Voice != "":
		b, ok := builtinVoice(in.Voice)
		if !ok {
			return voice.Speaker{}, Errorf(ENotFound, "There is no built-in voice %q; the built-in voices are %s.", truncate(in.Voice, 40), builtinNames())
		}
		if in.Pitch != 0 || in.Similarity != nil {
			return voice.Speaker{}, Errorf(EInvalid, "Pitch and similarity apply to cloned voices only; the built-in voice %s speaks as it is.", b.ID)
		}
		in.Voice = b.ID
		return voice.Speaker{Builtin: b.ID}, nil
	}
	m, err := s.findModel(ctx, userID, in.ModelID)
	if err != nil {
		return voice.Speaker{}, err
	}
	if m.Status == ModelPending {
		return voice.Speaker{}, Errorf(EUnprocessable, "This voice model is still being built; try again when its status is ready.")
	}
	if m.Status != ModelReady {
		return voice.Speaker{}, Errorf(EUnprocessable, "This voice model cannot speak: %s", m.Failure)
	}
	v, err := s.voice(ctx, m)
	if err != nil {
		return voice.Speaker{}, err
	}
	return voice.Speaker{Voice: v}, nil
}

// Synthesis returns the history entry the stream will record: its id,
// format, sample rate and settings. Size and duration are known once
// Stream returns.
func (sp *Speech) Synthesis() Synthesis { return sp.syn }

// ContentType is the MIME type of the audio.
func (sp *Speech) ContentType() string { return codec.ContentType(sp.format) }

// errStreamed is returned by a second call to Stream.
var errStreamed = errors.New("app: a Speech streams only once")

// Stream renders the speech and writes it to w, encoded, as it is
// produced; onPart, when not nil, receives each part's timings just before
// the part's audio is written. The encoded bytes are also stored, as they
// go, for the history; the entry is recorded once all is written and
// returned. When ctx ends or a write to w fails, rendering stops at once,
// the stored audio is dropped and no entry is recorded.
//
// onPart runs on the goroutine that called Stream. For MP3, Opus and AAC
// the encoded bytes are written to w from the encoder's goroutine, so a
// caller whose onPart writes to the same response must lock around both.
func (sp *Speech) Stream(ctx context.Context, w io.Writer, onPart func(SpeechPart)) (Synthesis, error) {
	defer sp.Close()
	syn, err := sp.streamAndKeep(ctx, w, onPart, false)
	if err != nil {
		return Synthesis{}, err
	}
	if err := sp.svc.record(ctx, syn); err != nil {
		sp.svc.dropMarker(ctx, syn)
		return Synthesis{}, err
	}
	return syn, nil
}

// Close gives back the engine slot a Speech holds from StartSpeech until
// Stream returns: a caller that decides not to stream calls it. Later
// calls do nothing.
func (sp *Speech) Close() {
	if sp.release != nil {
		sp.release()
	}
}

// streamAndKeep is Stream without recording the history entry: the audio
// is stored under the entry's AudioKey and the entry returned, for the
// caller to record (a job records it with its own outcome), or to drop
// its watermark should that fail. job says which of the two the Observer
// hears of.
func (sp *Speech) streamAndKeep(ctx context.Context, w io.Writer, onPart func(SpeechPart), job bool) (Synthesis, error) {
	if !sp.used.CompareAndSwap(false, true) {
		return Synthesis{}, errStreamed
	}
	syn, err := sp.streamToBlob(ctx, w, onPart, job)
	if err != nil {
		sp.svc.dropMarker(ctx, sp.syn)
	}
	return syn, err
}

// streamToBlob renders sp to w and to the blob store.
func (sp *Speech) streamToBlob(ctx context.Context, w io.Writer, onPart func(SpeechPart), job bool) (Synthesis, error) {
	s, syn := sp.svc, sp.syn
	pr, pw := io.Pipe()
	type stored struct {
		n   int64
		err error
	}
	done := make(chan stored, 1)
	go func() {
		n, err := s.blobs.Put(ctx, syn.AudioKey, pr)
		// Should the store give up early, the writer must not block.
		pr.CloseWithError(fmt.Errorf("storing the audio: %w", errors.Join(err, io.ErrClosedPipe)))
		done <- stored{n, err}
	}()
	fb := newFirstByte(w)
	dur, err := sp.encode(ctx, io.MultiWriter(fb, pw), onPart)
	if err != nil {
		pw.CloseWithError(err)
		<-done
		s.deleteBlobs(ctx, syn.AudioKey)
		return Synthesis{}, engineError(ctx, err)
	}
	pw.Close()
	res := <-done
	if res.err != nil {
		return Synthesis{}, res.err
	}
	syn.SizeBytes, syn.DurationSeconds = res.n, dur
	s.obs.SynthesisDone(SynthesisStats{Job: job, Format: syn.Format, FirstByte: fb.elapsed(),
		Took: time.Since(fb.start), AudioSeconds: dur})
	return syn, nil
}

// chars is the length of the text in characters, as SpeechPart counts.
func (sp *Speech) chars() int { return utf8.RuneCountInString(sp.script.Text()) }

// record stores a finished synthesis, removing its audio if that fails.
func (s *Service) record(ctx context.Context, syn Synthesis) error {
	if err := s.store.CreateSynthesis(ctx, syn); err != nil {
		s.deleteBlobs(ctx, syn.AudioKey)
		return err
	}
	return nil
}

// encode streams the engine's chunks through an encoder to w and returns
// the audio's duration.
func (sp *Speech) encode(ctx context.Context, w io.Writer, onPart func(SpeechPart)) (float64, error) {
	enc, err := codec.Default.NewStreamEncoder(ctx, w, sp.format, voice.OutputRate, 1, codec.EncodeOptions{SampleRate: sp.asked, Bitrate: sp.bitrate})
	if err != nil {
		return 0, fmt.Errorf("encode %s: %w", sp.format, err)
	}
	mark, err := sp.svc.newMarker(ctx, sp.syn)
	if err != nil {
		enc.Close()
		return 0, err
	}
	var dur float64
	pos := newCharCursor(sp.script.Text())
	err = sp.svc.engine.Stream(ctx, sp.speaker, sp.script, sp.opts, func(c voice.Chunk) error {
		dur = c.Start + c.Audio.Seconds()
		if onPart != nil {
			onPart(speechPart(c, sp.script.Text(), pos))
		}
		return enc.Write(markChunk(mark, c.Audio))
	})
	if rest := mark.Flush(); err == nil && len(rest) > 0 {
		err = enc.Write(&audio.PCM{Rate: voice.OutputRate, Channels: 1, Samples: rest})
	}
	if cerr := enc.Close(); err == nil {
		err = cerr
	}
	return dur, err
}

// speechPart converts an engine chunk's timings to a SpeechPart, with
// offsets in characters.
func speechPart(c voice.Chunk, text string, pos *charCursor) SpeechPart {
	p := SpeechPart{Start: c.Start, End: c.Start + c.Audio.Seconds(), Text: text[c.TextStart:c.TextEnd],
		TextStart: pos.at(c.TextStart)}
	for _, w := range c.Words {
		off := pos.at(w.Offset)
		p.Words = append(p.Words, WordTiming{Text: w.Text, Start: w.Start, End: w.End,
			Offset: off, Length: utf8.RuneCountInString(w.Text)})
	}
	return p
}

// charCursor converts increasing byte offsets of a text to character
// offsets, in time proportional to the text however many are asked.
type charCursor struct {
	text        string
	byte, chars int
}

func newCharCursor(text string) *charCursor { return &charCursor{text: text} }

func (c *charCursor) at(b int) int {
	if b < c.byte { // not increasing: count from the start
		c.byte, c.chars = 0, 0
	}
	c.chars += utf8.RuneCountInString(c.text[c.byte:b])
	c.byte = b
	return c.chars
}
