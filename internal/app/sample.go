package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/voxclone/voxclone/internal/audio"
	"github.com/voxclone/voxclone/internal/audio/codec"
	"github.com/voxclone/voxclone/internal/audio/prep"
)

// Bounds on the speech in one sample, as measured by voice activity
// detection (pauses and silence do not count). The minimum is the quality
// report's, so the report and the refusal agree.
const (
	MinSpeechSeconds = prep.MinSpeechSeconds
	MaxSpeechSeconds = 300
)

// UploadSample checks, analyses and stores a recording of the user's voice.
// It reads at most Config.MaxUploadBytes (more is ETooLarge), recognises the
// container from the bytes themselves (EUnsupported when it is none of WAV,
// MP3, FLAC, Ogg, WebM, M4A/MP4, 3GP, ADTS AAC; EUnprocessable when it does not decode),
// and requires 10–300 s of speech (EUnprocessable). The original bytes are
// kept, under a server-made key, with the metadata and quality report.
// An empty name becomes "Recording <date>"; names are at most 100
// characters and transcripts 5,000. A file longer than
// Config.MaxUploadSeconds is ETooLarge, MP3 frames of junk EUnprocessable,
// both told before decoding; when the engine is busy it is EUnavailable
// (ErrBusy). The upload is charged to the budget in ctx (ChargeBudget)
// once it is worth decoding and holds an engine slot, before decoding and
// analysis, which may take a second of CPU (see withDecoded).
func (s *Service) UploadSample(ctx context.Context, userID string, in UploadInput) (Sample, error) {
	now := s.now()
	name, err := cleanName(in.Name, "Recording "+now.Format("2006-01-02 15:04"), "sample name", maxNameRunes)
	if err != nil {
		return Sample{}, err
	}
	transcript, err := cleanText(in.Transcript, "transcript", maxTranscriptRunes)
	if err != nil {
		return Sample{}, err
	}
	data, err := s.readUpload(in.Data)
	if err != nil {
		return Sample{}, err
	}
	pcm, rep, err := s.analyzeUpload(ctx, data)
	if err != nil {
		return Sample{}, err
	}
	format := rep.format
	if err := checkSpeech(rep.SpeechSeconds); err != nil {
		return Sample{}, err
	}
	id := NewID()
	smp := Sample{
		ID: id, UserID: userID, Name: name, Transcript: transcript, Format: string(format),
		SampleRate: pcm.Rate, Channels: pcm.Channels, DurationSeconds: finite(pcm.Seconds()),
		SizeBytes: int64(len(data)), Quality: quality(rep.Report),
		BlobKey: "samples/" + id + "." + string(format), CreatedAt: now,
	}
	if _, err := s.blobs.Put(ctx, smp.BlobKey, bytes.NewReader(data)); err != nil {
		return Sample{}, err
	}
	if err := s.store.CreateSample(ctx, smp); err != nil {
		s.deleteBlobs(ctx, smp.BlobKey)
		return Sample{}, err
	}
	return smp, nil
}

// analysis is an upload's quality report and the container it came in.
type analysis struct {
	prep.Report
	format audio.Format
}

// analyzeUpload decodes and analyses an upload (see withDecoded), refusing
// one longer than Config.MaxUploadSeconds.
func (s *Service) analyzeUpload(ctx context.Context, data []byte) (*audio.PCM, analysis, error) {
	var pcm *audio.PCM
	var a analysis
	err := s.withDecoded(ctx, data, s.cfg.MaxUploadSeconds, func(p *audio.PCM, f audio.Format) error {
		pcm, a = p, analysis{Report: prep.Analyze(p), format: f}
		return nil
	})
	return pcm, a, err
}

// withDecoded decodes an upload and calls fn with it, within the bounds
// that keep a burst of hostile uploads from exhausting memory: a file that
// is not audio, is junk behind valid headers, or is longer than maxSeconds
// (when not 0) is refused from its headers; the rest takes a slot of the
// engine gate and room in the decoding budget for its decoded size, held
// until fn returns. The budget ctx carries is charged once the file is
// known to be worth decoding and the slot is held, so neither a refusal
// nor a busy answer costs anything.
func (s *Service) withDecoded(ctx context.Context, data []byte, maxSeconds float64, fn func(*audio.PCM, audio.Format) error) error {
	pr, err := codec.ProbeBytes(data)
	if err != nil {
		return decodeError(ctx, pr.Format, err)
	}
	return s.withProbed(ctx, data, pr, maxSeconds, fn)
}

// withProbed is withDecoded for data already probed as pr.
func (s *Service) withProbed(ctx context.Context, data []byte, pr codec.Probe, maxSeconds float64, fn func(*audio.PCM, audio.Format) error) error {
	if maxSeconds > 0 && pr.Seconds > maxSeconds {
		return s.tooLong(pr.Seconds)
	}
	release, err := s.admit(ctx)
	if err != nil {
		return err
	}
	defer release()
	if err := ChargeBudget(ctx); err != nil {
		return err
	}
	pcm, format, free, err := s.decodeProbed(ctx, data, pr)
	if err != nil {
		return err
	}
	defer free()
	if sec := pcm.Seconds(); maxSeconds > 0 && sec > maxSeconds {
		return s.tooLong(sec)
	}
	return fn(pcm, format)
}

// decodeProbed decodes data, probed as pr, once the decoding budget has
// room for its decoded size; the caller holds that room until it calls
// free.
func (s *Service) decodeProbed(ctx context.Context, data []byte, pr codec.Probe) (*audio.PCM, audio.Format, func(), error) {
	free, err := s.decodeSlot(ctx, pr)
	if err != nil {
		return nil, "", nil, err
	}
	pcm, format, err := codec.Decode(ctx, data)
	if err != nil {
		free()
		return nil, "", nil, decodeError(ctx, format, err)
	}
	return pcm, format, free, nil
}

func (s *Service) tooLong(sec float64) error {
	return &Error{Code: ETooLarge, Err: tooLongError(sec), Message: fmt.Sprintf(
		"The recording is %.0f minutes long; at most %.0f minutes can be analysed. Upload 10 s to 5 minutes of speech.",
		math.Ceil(sec/60), s.cfg.MaxUploadSeconds/60)}
}

// tooLongError is the length in seconds of a recording refused as longer
// than Config.MaxUploadSeconds, for a caller to word the refusal its way.
type tooLongError float64

func (e tooLongError) Error() string { return fmt.Sprintf("%.0f s is too long", float64(e)) }

// readUpload reads the whole upload, refusing more than the limit.
func (s *Service) readUpload(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, Errorf(EInvalid, "No audio file was sent.")
	}
	data, err := io.ReadAll(io.LimitReader(r, s.cfg.MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > s.cfg.MaxUploadBytes {
		return nil, Errorf(ETooLarge, "The file is too large: at most %s.", formatBytes(s.cfg.MaxUploadBytes))
	}
	if len(data) == 0 {
		return nil, Errorf(EInvalid, "The audio file is empty.")
	}
	return data, nil
}

// decodeError turns a codec error into what the user should hear.
func decodeError(ctx context.Context, f audio.Format, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case errors.Is(err, audio.ErrUnsupportedFormat):
		return &Error{Code: EUnsupported, Err: err,
			Message: "Unsupported audio format; supported: WAV, MP3, FLAC, Ogg (Opus or Vorbis), WebM, M4A/MP4, 3GP, AAC."}
	case errors.Is(err, audio.ErrTooLarge):
		return &Error{Code: EUnprocessable, Err: err, Message: "The recording is too long to process."}
	case errors.Is(err, audio.ErrEmpty):
		return &Error{Code: EUnprocessable, Err: err, Message: "The file contains no audio."}
	}
	return &Error{Code: EUnprocessable, Err: err,
		Message: fmt.Sprintf("The file looks like %s but could not be decoded; it may be damaged or truncated.", formatLabel(f))}
}

func formatLabel(f audio.Format) string {
	if f == audio.FormatUnknown {
		return "audio"
	}
	return fmt.Sprintf("%s audio", f)
}

func checkSpeech(sec float64) error {
	switch {
	case !(sec >= MinSpeechSeconds):
		return Errorf(EUnprocessable, "Sample too short: %.1f s of speech, need at least %.0f s.", finite(sec), MinSpeechSeconds)
	case sec > MaxSpeechSeconds:
		return Errorf(EUnprocessable, "Sample too long: %.1f s of speech, at most %d s; split it into several samples.", sec, MaxSpeechSeconds)
	}
	return nil
}

func quality(r prep.Report) Quality {
	w := r.Warnings
	if w == nil {
		w = []string{}
	}
	return Quality{
		SpeechSeconds: finite(r.SpeechSeconds), SNRDB: finite(r.SNRDB), ClippingRatio: finite(r.ClippingRatio),
		LoudnessLUFS: finite(r.LoudnessLUFS), TruePeakDBTP: finite(r.TruePeakDBTP), Score: r.Score, Warnings: w,
	}
}

// finite keeps NaN and infinities (which JSON cannot carry) out of stored
// measurements.
func finite(v float64) float64 {
	switch {
	case math.IsNaN(v):
		return 0
	case math.IsInf(v, 1):
		return math.MaxFloat32
	case math.IsInf(v, -1):
		return -math.MaxFloat32
	}
	return v
}

func formatBytes(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ListSamples returns the user's samples, newest first.
func (s *Service) ListSamples(ctx context.Context, userID string) ([]Sample, error) {
	return s.store.ListSamples(ctx, userID)
}

// DeleteSample deletes one of the user's samples and its audio. Models
// built from it keep working: they keep their built profile and only lose
// the link (their SampleIDs no longer list it).
func (s *Service) DeleteSample(ctx context.Context, userID, id string) error {
	if err := checkID(id, "sample"); err != nil {
		return err
	}
	smp, err := s.store.DeleteSample(ctx, userID, id)
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, smp.BlobKey)
	return nil
}

// readBlob reads a whole blob, refusing more than limit bytes.
func (s *Service) readBlob(ctx context.Context, key string, limit int64) ([]byte, error) {
	rc, err := s.blobs.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", key, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("read %s: larger than %d bytes", key, limit)
	}
	return data, nil
}
