package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// AddWatermark records the payload marked into one of the user's
// syntheses' audio.
func (db *DB) AddWatermark(ctx context.Context, userID, synthesisID string, payload uint32, at time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO synthesis_watermarks (synthesis_id, payload, user_id, created_at)
			VALUES (?, ?, ?, ?)`, synthesisID, int64(payload), userID, micros(at))
		return mapErr(err, "watermark")
	})
}

// DeleteWatermark forgets the payload of one of the user's syntheses.
func (db *DB) DeleteWatermark(ctx context.Context, userID, synthesisID string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM synthesis_watermarks WHERE synthesis_id = ? AND user_id = ?`,
			synthesisID, userID)
		if err != nil {
			return fmt.Errorf("sqlite: delete watermark: %w", err)
		}
		return nil
	})
}

// PruneWatermarks deletes the payloads added before before that no
// history entry records.
func (db *DB) PruneWatermarks(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM synthesis_watermarks WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM voice_synthesis_history h WHERE h.id = synthesis_watermarks.synthesis_id)`,
			micros(before))
		if err != nil {
			return fmt.Errorf("sqlite: prune watermarks: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// FindWatermark returns the newest recorded synthesis marked with payload,
// whoever owns it.
func (db *DB) FindWatermark(ctx context.Context, payload uint32) (app.Synthesis, error) {
	s, err := scanSynthesis(db.r.QueryRowContext(ctx, `SELECT `+prefixed("h.", synthesisColumns)+`
		FROM synthesis_watermarks w JOIN voice_synthesis_history h ON h.id = w.synthesis_id
		WHERE w.payload = ? ORDER BY h.created_at DESC, h.id DESC LIMIT 1`, int64(payload)))
	if err != nil {
		return app.Synthesis{}, mapErr(err, "synthesis")
	}
	return s, nil
}

// RecentWatermarks returns the payloads of the limit newest recorded
// syntheses, whoever's, newest first.
func (db *DB) RecentWatermarks(ctx context.Context, limit int) ([]app.Watermark, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT w.payload, h.id, h.user_id, h.created_at
		FROM synthesis_watermarks w JOIN voice_synthesis_history h ON h.id = w.synthesis_id
		ORDER BY h.created_at DESC, h.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recent watermarks: %w", err)
	}
	defer rows.Close()
	var out []app.Watermark
	for rows.Next() {
		var (
			w                app.Watermark
			payload, created int64
		)
		if err := rows.Scan(&payload, &w.SynthesisID, &w.UserID, &created); err != nil {
			return nil, fmt.Errorf("sqlite: recent watermarks: %w", err)
		}
		w.Payload, w.CreatedAt = uint32(payload), fromMicros(created)
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
