package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateSynthesis inserts a history entry.
func (db *DB) CreateSynthesis(ctx context.Context, s app.Synthesis) error {
	return db.write(ctx, func(tx *sql.Tx) error { return createSynthesis(ctx, tx, s) })
}

func createSynthesis(ctx context.Context, tx *sql.Tx, s app.Synthesis) error {
	if s.ModelID == "" {
		return createVoiceSynthesis(ctx, tx, s)
	}
	// Selecting the model by owner keeps a history row from pointing at
	// another user's model.
	res, err := tx.ExecContext(ctx, `INSERT INTO voice_synthesis_history (id, user_id, model_id,
		text, format, speed, pitch, similarity, sample_rate, duration_seconds, size_bytes, audio_key,
		created_at)
		SELECT ?, ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM voice_models WHERE id = ? AND user_id = ?`,
		s.ID, s.UserID, s.Text, s.Format, s.Speed, s.Pitch, s.Similarity, s.SampleRate,
		s.DurationSeconds, s.SizeBytes, s.AudioKey, micros(s.CreatedAt), s.ModelID, s.UserID)
	if err != nil {
		return mapErr(fmt.Errorf("sqlite: create synthesis: %w", err), "synthesis")
	}
	return affected(res, "voice model")
}

// createVoiceSynthesis inserts an entry in a built-in voice, which names no
// model.
func createVoiceSynthesis(ctx context.Context, tx *sql.Tx, s app.Synthesis) error {
	if s.Voice == "" {
		return app.Errorf(app.EInvalid, "A synthesis names a model or a built-in voice.")
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO voice_synthesis_history (id, user_id, voice,
		text, format, speed, pitch, similarity, sample_rate, duration_seconds, size_bytes, audio_key,
		created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.UserID, s.Voice, s.Text, s.Format, s.Speed, s.Pitch, s.Similarity, s.SampleRate,
		s.DurationSeconds, s.SizeBytes, s.AudioKey, micros(s.CreatedAt))
	return mapErr(err, "synthesis")
}

const synthesisColumns = `id, user_id, model_id, voice, text, format, speed, pitch, similarity,
	sample_rate, duration_seconds, size_bytes, audio_key, created_at`

func scanSynthesis(r scanner) (app.Synthesis, error) {
	var (
		s       app.Synthesis
		model   sql.NullString
		created int64
	)
	// Scanning into a **float64 leaves Similarity nil for a NULL column.
	err := r.Scan(&s.ID, &s.UserID, &model, &s.Voice, &s.Text, &s.Format, &s.Speed, &s.Pitch,
		&s.Similarity, &s.SampleRate, &s.DurationSeconds, &s.SizeBytes, &s.AudioKey, &created)
	s.ModelID = model.String
	s.CreatedAt = fromMicros(created)
	return s, err
}

// FindSynthesis returns one of the user's history entries.
func (db *DB) FindSynthesis(ctx context.Context, userID, id string) (app.Synthesis, error) {
	s, err := scanSynthesis(db.r.QueryRowContext(ctx, `SELECT `+synthesisColumns+`
		FROM voice_synthesis_history WHERE id = ? AND user_id = ?`, id, userID))
	if err != nil {
		return app.Synthesis{}, mapErr(err, "synthesis")
	}
	return s, nil
}

// ListHistory returns up to limit of the user's entries older than after,
// newest first.
func (db *DB) ListHistory(ctx context.Context, userID string, limit int, after *app.HistoryCursor) ([]app.Synthesis, error) {
	return listNewest(ctx, db, "voice_synthesis_history", synthesisColumns, userID, limit, after, scanSynthesis)
}

// listNewest reads up to limit of the user's rows of table, newest first
// (by created_at, then id), after the cursor when there is one.
func listNewest[T any](ctx context.Context, db *DB, table, columns, userID string, limit int,
	after *app.HistoryCursor, scan func(scanner) (T, error)) ([]T, error) {
	query := `SELECT ` + columns + ` FROM ` + table + ` WHERE user_id = ?`
	args := []any{userID}
	if after != nil {
		query += ` AND (created_at, id) < (?, ?)`
		args = append(args, micros(after.CreatedAt), after.ID)
	}
	query += ` ORDER BY created_at DESC, id DESC LIMIT ?`
	rows, err := db.r.QueryContext(ctx, query, append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list %s: %w", table, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
