package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateSample inserts s.
func (db *DB) CreateSample(ctx context.Context, s app.Sample) error {
	q := s.Quality
	_, err := db.pool.Exec(ctx, `INSERT INTO voice_samples (id, user_id, name, transcript,
		format, sample_rate, channels, duration_seconds, size_bytes, speech_seconds, snr_db,
		clipping_ratio, loudness_lufs, true_peak_dbtp, score, warnings, blob_key, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		s.ID, s.UserID, s.Name, s.Transcript, s.Format, s.SampleRate, s.Channels,
		s.DurationSeconds, s.SizeBytes, q.SpeechSeconds, q.SNRDB, q.ClippingRatio,
		q.LoudnessLUFS, q.TruePeakDBTP, q.Score, nonNil(q.Warnings), s.BlobKey, s.CreatedAt)
	if err != nil {
		return mapErr(fmt.Errorf("postgres: create sample: %w", err), "sample")
	}
	return nil
}

const sampleColumns = `id, user_id, name, transcript, format, sample_rate, channels,
	duration_seconds, size_bytes, speech_seconds, snr_db, clipping_ratio, loudness_lufs,
	true_peak_dbtp, score, warnings, blob_key, created_at`

func scanSample(r pgx.Row) (app.Sample, error) {
	var s app.Sample
	q := &s.Quality
	err := r.Scan(&s.ID, &s.UserID, &s.Name, &s.Transcript, &s.Format, &s.SampleRate, &s.Channels,
		&s.DurationSeconds, &s.SizeBytes, &q.SpeechSeconds, &q.SNRDB, &q.ClippingRatio,
		&q.LoudnessLUFS, &q.TruePeakDBTP, &q.Score, &q.Warnings, &s.BlobKey, &s.CreatedAt)
	s.CreatedAt, q.Warnings = utc(s.CreatedAt), nonNil(q.Warnings)
	return s, err
}

// FindSample returns one of the user's samples.
func (db *DB) FindSample(ctx context.Context, userID, id string) (app.Sample, error) {
	s, err := scanSample(db.pool.QueryRow(ctx, `SELECT `+sampleColumns+` FROM voice_samples
		WHERE id = $1 AND user_id = $2`, id, userID))
	if err != nil {
		return app.Sample{}, mapErr(err, "sample")
	}
	return s, nil
}

// ListSamples returns the user's samples, newest first.
func (db *DB) ListSamples(ctx context.Context, userID string) ([]app.Sample, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+sampleColumns+` FROM voice_samples
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list samples: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (app.Sample, error) { return scanSample(r) })
	if out == nil {
		out = []app.Sample{}
	}
	return out, err
}

// DeleteSample deletes one of the user's samples and its model links.
func (db *DB) DeleteSample(ctx context.Context, userID, id string) (app.Sample, error) {
	s, err := scanSample(db.pool.QueryRow(ctx, `DELETE FROM voice_samples WHERE id = $1 AND user_id = $2
		RETURNING `+sampleColumns, id, userID))
	if err != nil {
		return app.Sample{}, mapErr(err, "sample")
	}
	return s, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
