package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// TakeRate counts a request in the sliding window when the limit allows.
// Write transactions begin IMMEDIATE, so they take SQLite's write lock
// before the count: two callers, even in two processes, cannot both count
// the last free slot.
func (db *DB) TakeRate(ctx context.Context, subject string, action app.Action, limit int, window time.Duration, now time.Time) (app.RateDecision, error) {
	var d app.RateDecision
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE subject = ? AND action = ? AND at <= ?`,
			subject, string(action), micros(now.Add(-window))); err != nil {
			return fmt.Errorf("sqlite: rate: %w", err)
		}
		var oldest sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), min(at) FROM rate_events
			WHERE subject = ? AND action = ?`, subject, string(action)).Scan(&d.Used, &oldest); err != nil {
			return fmt.Errorf("sqlite: rate: %w", err)
		}
		if oldest.Valid {
			d.Oldest = fromMicros(oldest.Int64)
		}
		if d.Used >= limit {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rate_events (subject, action, at) VALUES (?, ?, ?)`,
			subject, string(action), micros(now)); err != nil {
			return fmt.Errorf("sqlite: rate: %w", err)
		}
		d.Allowed = true
		d.Used++
		if !oldest.Valid {
			d.Oldest = fromMicros(micros(now))
		}
		return nil
	})
	return d, err
}

// ReleaseRate deletes one request counted at at, the newest such row when
// several share the microsecond (any one of them frees the same slot).
func (db *DB) ReleaseRate(ctx context.Context, subject string, action app.Action, at time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE id = (SELECT id FROM rate_events
			WHERE subject = ? AND action = ? AND at = ? ORDER BY id DESC LIMIT 1)`,
			subject, string(action), micros(at)); err != nil {
			return fmt.Errorf("sqlite: rate release: %w", err)
		}
		return nil
	})
}

// PruneRate deletes the requests of action counted at or before before.
func (db *DB) PruneRate(ctx context.Context, action app.Action, before time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rate_events WHERE action = ? AND at <= ?`,
			string(action), micros(before)); err != nil {
			return fmt.Errorf("sqlite: rate prune: %w", err)
		}
		return nil
	})
}
