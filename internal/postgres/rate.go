package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// TakeRate counts a request in the sliding window when the limit allows.
// The upsert on rate_limits locks the (subject, action) row until commit,
// so concurrent callers, in any process, count one after another and
// cannot both take the last free slot.
func (db *DB) TakeRate(ctx context.Context, subject string, action app.Action, limit int, window time.Duration, now time.Time) (app.RateDecision, error) {
	var d app.RateDecision
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO rate_limits (subject, action, touched_at) VALUES ($1, $2, $3)
			ON CONFLICT (subject, action) DO UPDATE SET touched_at = excluded.touched_at`,
			subject, string(action), now); err != nil {
			return fmt.Errorf("postgres: rate lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rate_events WHERE subject = $1 AND action = $2 AND at <= $3`,
			subject, string(action), now.Add(-window)); err != nil {
			return fmt.Errorf("postgres: rate: %w", err)
		}
		var oldest *time.Time
		if err := tx.QueryRow(ctx, `SELECT count(*), min(at) FROM rate_events WHERE subject = $1 AND action = $2`,
			subject, string(action)).Scan(&d.Used, &oldest); err != nil {
			return fmt.Errorf("postgres: rate: %w", err)
		}
		if oldest != nil {
			d.Oldest = oldest.UTC()
		}
		if d.Used >= limit {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rate_events (subject, action, at) VALUES ($1, $2, $3)`,
			subject, string(action), now); err != nil {
			return fmt.Errorf("postgres: rate: %w", err)
		}
		d.Allowed, d.Used = true, d.Used+1
		if oldest == nil {
			d.Oldest = app.Timestamp(now)
		}
		return nil
	})
	return d, err
}

// ReleaseRate deletes one request counted at at, the newest such row when
// several share the microsecond (any one of them frees the same slot).
// Freeing a slot cannot break the limit, so it needs no rate_limits lock.
func (db *DB) ReleaseRate(ctx context.Context, subject string, action app.Action, at time.Time) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM rate_events WHERE id = (SELECT id FROM rate_events
		WHERE subject = $1 AND action = $2 AND at = $3 ORDER BY id DESC LIMIT 1)`,
		subject, string(action), at); err != nil {
		return fmt.Errorf("postgres: rate release: %w", err)
	}
	return nil
}

// PruneRate deletes the requests of action counted at or before before,
// and the rate_limits rows last touched then: a subject whose row is gone
// gets a new one on its next TakeRate. A row locked by a counting
// transaction was touched now, after before, so pruning never waits on it
// for long nor removes it from under that transaction.
func (db *DB) PruneRate(ctx context.Context, action app.Action, before time.Time) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM rate_events WHERE action = $1 AND at <= $2`, string(action), before); err != nil {
			return fmt.Errorf("postgres: rate prune: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM rate_limits WHERE action = $1 AND touched_at <= $2`, string(action), before); err != nil {
			return fmt.Errorf("postgres: rate prune: %w", err)
		}
		return nil
	})
}
