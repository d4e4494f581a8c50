package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// AddWatermark records the payload marked into one of the user's
// syntheses' audio.
func (db *DB) AddWatermark(ctx context.Context, userID, synthesisID string, payload uint32, at time.Time) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO synthesis_watermarks (synthesis_id, payload, user_id, created_at)
		VALUES ($1, $2, $3, $4)`, synthesisID, int64(payload), userID, at)
	return mapErr(err, "watermark")
}

// DeleteWatermark forgets the payload of one of the user's syntheses.
func (db *DB) DeleteWatermark(ctx context.Context, userID, synthesisID string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM synthesis_watermarks WHERE synthesis_id = $1 AND user_id = $2`,
		synthesisID, userID)
	if err != nil {
		return fmt.Errorf("postgres: delete watermark: %w", err)
	}
	return nil
}

// PruneWatermarks deletes the payloads added before before that no
// history entry records.
func (db *DB) PruneWatermarks(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM synthesis_watermarks w WHERE w.created_at < $1
		AND NOT EXISTS (SELECT 1 FROM voice_synthesis_history h WHERE h.id = w.synthesis_id)`, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: prune watermarks: %w", err)
	}
	return tag.RowsAffected(), nil
}

// FindWatermark returns the newest recorded synthesis marked with payload,
// whoever owns it.
func (db *DB) FindWatermark(ctx context.Context, payload uint32) (app.Synthesis, error) {
	s, err := scanSynthesis(db.pool.QueryRow(ctx, `SELECT `+prefixed("h.", synthesisColumns)+`
		FROM synthesis_watermarks w JOIN voice_synthesis_history h ON h.id = w.synthesis_id
		WHERE w.payload = $1 ORDER BY h.created_at DESC, h.id DESC LIMIT 1`, int64(payload)))
	if err != nil {
		return app.Synthesis{}, mapErr(err, "synthesis")
	}
	return s, nil
}

// RecentWatermarks returns the payloads of the limit newest recorded
// syntheses, whoever's, newest first.
func (db *DB) RecentWatermarks(ctx context.Context, limit int) ([]app.Watermark, error) {
	rows, err := db.pool.Query(ctx, `SELECT w.payload, h.id, h.user_id, h.created_at
		FROM synthesis_watermarks w JOIN voice_synthesis_history h ON h.id = w.synthesis_id
		ORDER BY h.created_at DESC, h.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: recent watermarks: %w", err)
	}
	defer rows.Close()
	var out []app.Watermark
	for rows.Next() {
		var (
			w       app.Watermark
			payload int64
		)
		if err := rows.Scan(&payload, &w.SynthesisID, &w.UserID, &w.CreatedAt); err != nil {
			return nil, fmt.Errorf("postgres: recent watermarks: %w", err)
		}
		w.Payload, w.CreatedAt = uint32(payload), utc(w.CreatedAt)
		out = append(out, w)
	}
	return out, rows.Err()
}

// prefixed qualifies each of a comma-separated column list with p.
func prefixed(p, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
