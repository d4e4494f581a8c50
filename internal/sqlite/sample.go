package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateSample inserts s.
func (db *DB) CreateSample(ctx context.Context, s app.Sample) error {
	warnings, err := json.Marshal(nonNil(s.Quality.Warnings))
	if err != nil {
		return err
	}
	q := s.Quality
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO voice_samples (id, user_id, name, transcript,
			format, sample_rate, channels, duration_seconds, size_bytes, speech_seconds, snr_db,
			clipping_ratio, loudness_lufs, true_peak_dbtp, score, warnings, blob_key, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.UserID, s.Name, s.Transcript, s.Format, s.SampleRate, s.Channels,
			s.DurationSeconds, s.SizeBytes, q.SpeechSeconds, q.SNRDB, q.ClippingRatio,
			q.LoudnessLUFS, q.TruePeakDBTP, q.Score, string(warnings), s.BlobKey, micros(s.CreatedAt))
		if err != nil {
			return mapErr(fmt.Errorf("sqlite: create sample: %w", err), "sample")
		}
		return nil
	})
}

const sampleColumns = `id, user_id, name, transcript, format, sample_rate, channels,
	duration_seconds, size_bytes, speech_seconds, snr_db, clipping_ratio, loudness_lufs,
	true_peak_dbtp, score, warnings, blob_key, created_at`

type scanner interface{ Scan(dest ...any) error }

func scanSample(r scanner) (app.Sample, error) {
	var (
		s        app.Sample
		warnings string
		created  int64
	)
	q := &s.Quality
	err := r.Scan(&s.ID, &s.UserID, &s.Name, &s.Transcript, &s.Format, &s.SampleRate, &s.Channels,
		&s.DurationSeconds, &s.SizeBytes, &q.SpeechSeconds, &q.SNRDB, &q.ClippingRatio,
		&q.LoudnessLUFS, &q.TruePeakDBTP, &q.Score, &warnings, &s.BlobKey, &created)
	if err != nil {
		return app.Sample{}, err
	}
	s.CreatedAt = fromMicros(created)
	if err := json.Unmarshal([]byte(warnings), &q.Warnings); err != nil {
		return app.Sample{}, fmt.Errorf("sqlite: sample %s warnings: %w", s.ID, err)
	}
	q.Warnings = nonNil(q.Warnings)
	return s, nil
}

// FindSample returns one of the user's samples.
func (db *DB) FindSample(ctx context.Context, userID, id string) (app.Sample, error) {
	row := db.r.QueryRowContext(ctx, `SELECT `+sampleColumns+` FROM voice_samples
		WHERE id = ? AND user_id = ?`, id, userID)
	s, err := scanSample(row)
	if err != nil {
		return app.Sample{}, mapErr(err, "sample")
	}
	return s, nil
}

// ListSamples returns the user's samples, newest first.
func (db *DB) ListSamples(ctx context.Context, userID string) ([]app.Sample, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+sampleColumns+` FROM voice_samples
		WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list samples: %w", err)
	}
	defer rows.Close()
	out := []app.Sample{}
	for rows.Next() {
		s, err := scanSample(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSample deletes one of the user's samples and its model links.
func (db *DB) DeleteSample(ctx context.Context, userID, id string) (app.Sample, error) {
	var s app.Sample
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		row := tx.QueryRowContext(ctx, `DELETE FROM voice_samples WHERE id = ? AND user_id = ?
			RETURNING `+sampleColumns, id, userID)
		if s, err = scanSample(row); err != nil {
			return mapErr(err, "sample")
		}
		return nil
	})
	return s, err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
