package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/voice"
)

// Synthesize speaks text (1–MaxTextRunes characters) in one of the user's
// ready models or a built-in voice and returns the history entry with the
// encoded audio, a complete file (a WAV or MP3 that states its length).
// Options and errors are StartSpeech's. Unlike StartSpeech it takes no rate
// budget of its own: it charges the budget ctx carries, if any
// (ChargeBudget), once the request is valid. The audio is kept for the
// history.
func (s *Service) Synthesize(ctx context.Context, userID string, in SynthesizeInput) (Synthesis, []byte, error) {
	sp, err := s.prepareSpeech(ctx, userID, in, MaxTextRunes)
	if err != nil {
		return Synthesis{}, nil, err
	}
	release, err := s.admit(ctx) // before the charge: a busy answer costs nothing
	if err != nil {
		return Synthesis{}, nil, err
	}
	defer release()
	if err := ChargeBudget(ctx); err != nil {
		return Synthesis{}, nil, err
	}
	s.Audit(ctx, Event{Kind: AuditSynthesis, UserID: userID, Subject: sp.syn.ID, Detail: speechDetail(sp.syn, "whole")})
	sp.used.Store(true)
	syn, data, err := s.synthesizeWhole(ctx, sp)
	if err != nil {
		s.dropMarker(ctx, sp.syn)
		return Synthesis{}, nil, err
	}
	return syn, data, nil
}

// synthesizeWhole renders, encodes, stores and records sp's audio.
func (s *Service) synthesizeWhole(ctx context.Context, sp *Speech) (Synthesis, []byte, error) {
	mark, err := s.newMarker(ctx, sp.syn)
	if err != nil {
		return Synthesis{}, nil, err
	}
	var parts []*audio.PCM
	err = s.engine.Stream(ctx, sp.speaker, sp.script, sp.opts, func(c voice.Chunk) error {
		parts = append(parts, markChunk(mark, c.Audio))
		return nil
	})
	if err != nil {
		return Synthesis{}, nil, engineError(ctx, err)
	}
	parts = append(parts, &audio.PCM{Rate: voice.OutputRate, Channels: 1, Samples: mark.Flush()})
	pcm := joinPCM(parts)
	var buf bytes.Buffer
	if err := codec.Encode(ctx, &buf, pcm, sp.format, codec.EncodeOptions{SampleRate: sp.asked, Bitrate: sp.bitrate}); err != nil {
		return Synthesis{}, nil, fmt.Errorf("encode %s: %w", sp.format, err)
	}
	syn := sp.syn
	syn.DurationSeconds, syn.SizeBytes = pcm.Seconds(), int64(buf.Len())
	if _, err := s.blobs.Put(ctx, syn.AudioKey, bytes.NewReader(buf.Bytes())); err != nil {
		return Synthesis{}, nil, err
	}
	if err := s.record(ctx, syn); err != nil {
		return Synthesis{}, nil, err
	}
	return syn, buf.Bytes(), nil
}

// joinPCM concatenates chunks of one rate.
func joinPCM(parts []*audio.PCM) *audio.PCM {
	n := 0
	for _, p := range parts {
		n += len(p.Samples)
	}
	out := &audio.PCM{Rate: parts[0].Rate, Channels: 1, Samples: make([]float32, 0, n)}
	for _, p := range parts {
		out.Samples = append(out.Samples, p.Samples...)
	}
	return out
}

// checkSynthesis validates in, fills defaults, and returns the trimmed text
// and the output format. Text over maxRunes characters is ETooLarge.
func checkSynthesis(in *SynthesizeInput, maxRunes int) (string, audio.Format, error) {
	text := strings.TrimSpace(in.Text)
	n := utf8.RuneCountInString(text)
	switch {
	case !utf8.ValidString(text):
		return "", "", Errorf(EInvalid, "The text is not valid UTF-8.")
	case !storable(text):
		return "", "", Errorf(EInvalid, "The text contains a NUL character (U+0000).")
	case n == 0:
		return "", "", Errorf(EInvalid, "The text is empty: give 1 to %d characters to speak.", maxRunes)
	case n > maxRunes:
		return "", "", Errorf(ETooLarge, "The text is too long: %d characters; the limit is %d.", n, maxRunes)
	}
	if in.Format == "" {
		in.Format = "wav"
	}
	format, err := ParseOutputFormat(in.Format)
	if err != nil {
		return "", "", err
	}
	if in.Speed == 0 {
		in.Speed = 1
	}
	if err := CheckVoiceOptions(in.Speed, in.Pitch, in.Similarity); err != nil {
		return "", "", err
	}
	if err := CheckSampleRate(in.SampleRate); err != nil {
		return "", "", err
	}
	if err := CheckBitrate(in.Bitrate); err != nil {
		return "", "", err
	}
	return text, format, nil
}

// engineError explains the engine's refusals of the text; anything else
// is internal.
func engineError(ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, voice.ErrEmptyText):
		return &Error{Code: EInvalid, Message: "The text has nothing to speak: use words or numbers.", Err: err}
	case errors.Is(err, voice.ErrTextTooLong):
		return &Error{Code: ETooLarge, Message: fmt.Sprintf("The text is too long; the limit is %d characters.", voice.MaxScriptRunes), Err: err}
	case errors.Is(err, voice.ErrUnreadable):
		return &Error{Code: EUnprocessable, Err: err,
			Message: "This text is mostly in a script voxclone cannot read: it speaks English, written in Latin letters."}
	case errors.Is(err, voice.ErrUnknownVoice):
		return &Error{Code: ENotFound, Message: "No such built-in voice.", Err: err}
	}
	return fmt.Errorf("synthesize: %w", err)
}

// effectiveSimilarity is the similarity recorded for a synthesis: the one
// asked for, else the engine's default, so the history says what was used
// even after the default changes. It is a fresh pointer, never the caller's.
func effectiveSimilarity(asked *float64) *float64 {
	v := voice.DefaultSimilarity
	if asked != nil {
		v = *asked
	}
	return &v
}

// outputRate is the rate recorded for a synthesis: the one asked for, else
// the engine's (μ-law defaults to 8 kHz).
func outputRate(pcm *audio.PCM, f audio.Format, asked int) int {
	switch {
	case asked != 0:
		return asked
	case f == audio.FormatULaw:
		return 8000
	}
	return pcm.Rate
}

// voice returns a model's voice, from the cache or the blob store.
func (s *Service) voice(ctx context.Context, m Model) (*voice.Voice, error) {
	if v, ok := s.profiles.get(m.ID, m.ProfileKey); ok {
		return v, nil
	}
	p, err := s.readBlob(ctx, m.ProfileKey, maxStoredBlob)
	if ErrorCode(err) == ENotFound {
		return nil, &Error{Code: EInternal, Message: "The voice profile is missing.", Err: err}
	} else if err != nil {
		return nil, err
	}
	return s.profiles.put(m.ID, m.ProfileKey, p), nil
}

// ListHistory returns a page of the user's syntheses, newest first. limit
// 0 means 20 and is capped at 100; cursor is the previous page's
// NextCursor ("" for the first page).
func (s *Service) ListHistory(ctx context.Context, userID string, limit int, cursor string) (HistoryPage, error) {
	limit, after, err := pageArgs(limit, cursor)
	if err != nil {
		return HistoryPage{}, err
	}
	items, err := s.store.ListHistory(ctx, userID, limit+1, after)
	if err != nil {
		return HistoryPage{}, err
	}
	var page HistoryPage
	page.Items, page.NextCursor = trimPage(items, limit, func(s Synthesis) HistoryCursor {
		return HistoryCursor{CreatedAt: s.CreatedAt, ID: s.ID}
	})
	return page, nil
}

// pageArgs checks a page request: limit 0 means 20 and is capped at 100;
// cursor is the previous page's NextCursor ("" for the first page).
func pageArgs(limit int, cursor string) (int, *HistoryCursor, error) {
	switch {
	case limit < 0:
		return 0, nil, Errorf(EInvalid, "The limit cannot be negative.")
	case limit == 0:
		limit = 20
	case limit > 100:
		limit = 100
	}
	if cursor == "" {
		return limit, nil, nil
	}
	c, err := DecodeCursor(cursor)
	if err != nil {
		return 0, nil, err
	}
	return limit, &c, nil
}

// trimPage cuts items, fetched with one more than limit, to a page (never
// nil) and returns the cursor of the next page, "" when this is the last.
func trimPage[T any](items []T, limit int, pos func(T) HistoryCursor) ([]T, string) {
	next := ""
	if len(items) > limit {
		items = items[:limit]
		next = EncodeCursor(pos(items[limit-1]))
	}
	if items == nil {
		items = []T{}
	}
	return items, next
}

// OpenHistoryAudio returns one of the user's history entries with its
// audio, streamed from the blob store and seekable (for HTTP ranges); the
// caller closes the reader.
func (s *Service) OpenHistoryAudio(ctx context.Context, userID, id string) (Synthesis, io.ReadSeekCloser, error) {
	if err := checkID(id, "synthesis"); err != nil {
		return Synthesis{}, nil, err
	}
	syn, err := s.store.FindSynthesis(ctx, userID, id)
	if err != nil {
		return Synthesis{}, nil, err
	}
	rc, err := s.blobs.Open(ctx, syn.AudioKey)
	var ae *Error
	if errors.As(err, &ae) && ae.Code == ENotFound {
		return Synthesis{}, nil, &Error{Code: ENotFound, Message: "The audio of this synthesis is gone.", Err: err}
	} else if err != nil {
		return Synthesis{}, nil, err
	}
	return syn, rc, nil
}

// GetSynthesis returns one of the user's history entries; another user's
// id is ENotFound.
func (s *Service) GetSynthesis(ctx context.Context, userID, id string) (Synthesis, error) {
	if err := checkID(id, "synthesis"); err != nil {
		return Synthesis{}, err
	}
	return s.store.FindSynthesis(ctx, userID, id)
}
