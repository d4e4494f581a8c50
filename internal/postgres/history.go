package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateSynthesis inserts a history entry.
func (db *DB) CreateSynthesis(ctx context.Context, s app.Synthesis) error {
	return createSynthesis(ctx, db.pool, s)
}

// execer is what pgxpool.Pool and pgx.Tx share for statements.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func createSynthesis(ctx context.Context, db execer, s app.Synthesis) error {
	if s.ModelID == "" {
		return createVoiceSynthesis(ctx, db, s)
	}
	// Selecting the model by owner keeps a history row from pointing at
	// another user's model.
	tag, err := db.Exec(ctx, `INSERT INTO voice_synthesis_history (id, user_id, model_id,
		text, format, speed, pitch, similarity, sample_rate, duration_seconds, size_bytes, audio_key,
		created_at)
		SELECT $1, $2, id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM voice_models WHERE id = $13 AND user_id = $2`,
		s.ID, s.UserID, s.Text, s.Format, s.Speed, s.Pitch, s.Similarity, s.SampleRate,
		s.DurationSeconds, s.SizeBytes, s.AudioKey, s.CreatedAt, s.ModelID)
	if err != nil {
		return mapErr(fmt.Errorf("postgres: create synthesis: %w", err), "synthesis")
	}
	return affected(tag, "voice model")
}

// createVoiceSynthesis inserts an entry in a built-in voice, which names no
// model.
func createVoiceSynthesis(ctx context.Context, db execer, s app.Synthesis) error {
	if s.Voice == "" {
		return app.Errorf(app.EInvalid, "A synthesis names a model or a built-in voice.")
	}
	_, err := db.Exec(ctx, `INSERT INTO voice_synthesis_history (id, user_id, voice,
		text, format, speed, pitch, similarity, sample_rate, duration_seconds, size_bytes, audio_key,
		created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		s.ID, s.UserID, s.Voice, s.Text, s.Format, s.Speed, s.Pitch, s.Similarity, s.SampleRate,
		s.DurationSeconds, s.SizeBytes, s.AudioKey, s.CreatedAt)
	return mapErr(err, "synthesis")
}

const synthesisColumns = `id, user_id, model_id, voice, text, format, speed, pitch, similarity,
	sample_rate, duration_seconds, size_bytes, audio_key, created_at`

func scanSynthesis(r pgx.Row) (app.Synthesis, error) {
	var (
		s     app.Synthesis
		model *string
	)
	// Scanning into a **float64 leaves Similarity nil for a NULL column.
	err := r.Scan(&s.ID, &s.UserID, &model, &s.Voice, &s.Text, &s.Format, &s.Speed, &s.Pitch,
		&s.Similarity, &s.SampleRate, &s.DurationSeconds, &s.SizeBytes, &s.AudioKey, &s.CreatedAt)
	if model != nil {
		s.ModelID = *model
	}
	s.CreatedAt = utc(s.CreatedAt)
	return s, err
}

// FindSynthesis returns one of the user's history entries.
func (db *DB) FindSynthesis(ctx context.Context, userID, id string) (app.Synthesis, error) {
	s, err := scanSynthesis(db.pool.QueryRow(ctx, `SELECT `+synthesisColumns+`
		FROM voice_synthesis_history WHERE id = $1 AND user_id = $2`, id, userID))
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
	after *app.HistoryCursor, scan func(pgx.Row) (T, error)) ([]T, error) {
	query := `SELECT ` + columns + ` FROM ` + table + ` WHERE user_id = $1`
	args := []any{userID, limit}
	if after != nil {
		query += ` AND (created_at, id) < ($3, $4)`
		args = append(args, after.CreatedAt, after.ID)
	}
	rows, err := db.pool.Query(ctx, query+` ORDER BY created_at DESC, id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list %s: %w", table, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if out == nil {
		out = []T{}
	}
	return out, err
}
