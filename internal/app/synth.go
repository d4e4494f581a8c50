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

// Synthesize speaks text (1–5,000 characters) in one of the user's ready
// models and returns the history entry with the encoded audio. Format is
// one of codec's output formats (default wav); Speed 0.5–2 (0 means 1);
// Pitch −12…12 semitones; Similarity 0–1 or nil; SampleRate 8000–48000 or 0
// for the engine's rate. Bad options are EInvalid; a model that failed to
// build is EUnprocessable. The audio is kept for the history.
func (s *Service) Synthesize(ctx context.Context, userID string, in SynthesizeInput) (Synthesis, []byte, error) {
	text, format, err := checkSynthesis(&in)
	if err != nil {
		return Synthesis{}, nil, err
	}
	m, err := s.findModel(ctx, userID, in.ModelID)
	if err != nil {
		return Synthesis{}, nil, err
	}
	if m.Status != ModelReady {
		return Synthesis{}, nil, Errorf(EUnprocessable, "This voice model cannot speak: %s", m.Failure)
	}
	profile, err := s.profile(ctx, m)
	if err != nil {
		return Synthesis{}, nil, err
	}
	pcm, err := s.engine.Synthesize(ctx, profile, text, voice.Options{Speed: in.Speed, Pitch: in.Pitch, Similarity: in.Similarity})
	if err != nil {
		return Synthesis{}, nil, engineError(ctx, err)
	}
	var buf bytes.Buffer
	if err := codec.Encode(ctx, &buf, pcm, format, codec.EncodeOptions{SampleRate: in.SampleRate}); err != nil {
		return Synthesis{}, nil, fmt.Errorf("encode %s: %w", format, err)
	}
	syn := Synthesis{
		ID: NewID(), UserID: userID, ModelID: m.ID, Text: text, Format: string(format),
		Speed: in.Speed, Pitch: in.Pitch, Similarity: effectiveSimilarity(in.Similarity),
		SampleRate: outputRate(pcm, format, in.SampleRate), DurationSeconds: pcm.Seconds(),
		SizeBytes: int64(buf.Len()), CreatedAt: s.now(),
	}
	syn.AudioKey = "audio/" + syn.ID + "." + string(format)
	if _, err := s.blobs.Put(ctx, syn.AudioKey, bytes.NewReader(buf.Bytes())); err != nil {
		return Synthesis{}, nil, err
	}
	if err := s.store.CreateSynthesis(ctx, syn); err != nil {
		s.deleteBlobs(ctx, syn.AudioKey)
		return Synthesis{}, nil, err
	}
	return syn, buf.Bytes(), nil
}

// checkSynthesis validates in, fills defaults, and returns the trimmed text
// and the output format.
func checkSynthesis(in *SynthesizeInput) (string, audio.Format, error) {
	text := strings.TrimSpace(in.Text)
	n := utf8.RuneCountInString(text)
	switch {
	case !utf8.ValidString(text):
		return "", "", Errorf(EInvalid, "The text is not valid UTF-8.")
	case !storable(text):
		return "", "", Errorf(EInvalid, "The text contains a NUL character (U+0000).")
	case n == 0:
		return "", "", Errorf(EInvalid, "The text is empty: give 1 to %d characters to speak.", MaxTextRunes)
	case n > MaxTextRunes:
		return "", "", Errorf(EInvalid, "The text is too long: %d characters, at most %d.", n, MaxTextRunes)
	}
	if in.Format == "" {
		in.Format = "wav"
	}
	format, err := codec.ParseFormat(in.Format)
	if err != nil {
		return "", "", &Error{Code: EInvalid, Err: err,
			Message: fmt.Sprintf("Unknown output format %q; choose one of wav, mp3, opus, flac, pcm, ulaw.", truncate(in.Format, 20))}
	}
	if in.Speed == 0 {
		in.Speed = 1
	}
	switch {
	case !(in.Speed >= 0.5 && in.Speed <= 2):
		return "", "", Errorf(EInvalid, "Speed must be between 0.5 and 2.")
	case !(in.Pitch >= -12 && in.Pitch <= 12):
		return "", "", Errorf(EInvalid, "Pitch must be between -12 and 12 semitones.")
	case in.Similarity != nil && !(*in.Similarity >= 0 && *in.Similarity <= 1):
		return "", "", Errorf(EInvalid, "Similarity must be between 0 and 1.")
	case in.SampleRate != 0 && (in.SampleRate < codec.MinRate || in.SampleRate > codec.MaxRate):
		return "", "", Errorf(EInvalid, "Sample rate must be between %d and %d Hz, or 0 for the default.", codec.MinRate, codec.MaxRate)
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
		return &Error{Code: EInvalid, Message: "The text is too long to speak at once.", Err: err}
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

// profile returns a model's voice profile, from the cache or the blob store.
func (s *Service) profile(ctx context.Context, m Model) ([]byte, error) {
	if p, ok := s.profiles.get(m.ID); ok {
		return p, nil
	}
	p, err := s.readBlob(ctx, m.ProfileKey, maxStoredBlob)
	if ErrorCode(err) == ENotFound {
		return nil, &Error{Code: EInternal, Message: "The voice profile is missing.", Err: err}
	} else if err != nil {
		return nil, err
	}
	s.profiles.put(m.ID, p)
	return p, nil
}

// ListHistory returns a page of the user's syntheses, newest first. limit
// 0 means 20 and is capped at 100; cursor is the previous page's
// NextCursor ("" for the first page).
func (s *Service) ListHistory(ctx context.Context, userID string, limit int, cursor string) (HistoryPage, error) {
	switch {
	case limit < 0:
		return HistoryPage{}, Errorf(EInvalid, "The limit cannot be negative.")
	case limit == 0:
		limit = 20
	case limit > 100:
		limit = 100
	}
	var after *HistoryCursor
	if cursor != "" {
		c, err := DecodeCursor(cursor)
		if err != nil {
			return HistoryPage{}, err
		}
		after = &c
	}
	items, err := s.store.ListHistory(ctx, userID, limit+1, after)
	if err != nil {
		return HistoryPage{}, err
	}
	page := HistoryPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := page.Items[limit-1]
		page.NextCursor = EncodeCursor(HistoryCursor{CreatedAt: last.CreatedAt, ID: last.ID})
	}
	if page.Items == nil {
		page.Items = []Synthesis{}
	}
	return page, nil
}

// OpenHistoryAudio returns one of the user's history entries with its
// audio; the caller closes the reader.
func (s *Service) OpenHistoryAudio(ctx context.Context, userID, id string) (Synthesis, io.ReadCloser, error) {
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
