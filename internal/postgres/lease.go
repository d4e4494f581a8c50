package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// TakeLease claims the lease when it is free or lapsed. The upsert locks
// the (user, name) row until commit, so of concurrent callers, in any
// process, the later ones see the first one's lease.
func (db *DB) TakeLease(ctx context.Context, userID, name, holder string, now, until time.Time) (bool, time.Time, error) {
	var (
		taken bool
		held  time.Time
	)
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM user_leases WHERE user_id = $1 AND name <> $2 AND expires_at <= $3`,
			userID, name, now); err != nil {
			return fmt.Errorf("postgres: lease: %w", err)
		}
		tag, err := tx.Exec(ctx, `INSERT INTO user_leases (user_id, name, holder, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE user_leases.expires_at <= $5`, userID, name, holder, until, now)
		if err != nil {
			return mapErr(err, "user")
		}
		if taken = tag.RowsAffected() == 1; taken {
			return nil
		}
		if err := tx.QueryRow(ctx, `SELECT expires_at FROM user_leases WHERE user_id = $1 AND name = $2`,
			userID, name).Scan(&held); err != nil {
			return fmt.Errorf("postgres: lease: %w", err)
		}
		held = app.Timestamp(held)
		return nil
	})
	return taken, held, err
}

// RenewLease moves the lapse of holder's lease.
func (db *DB) RenewLease(ctx context.Context, userID, name, holder string, until time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE user_leases SET expires_at = $1 WHERE user_id = $2 AND name = $3 AND holder = $4`,
		until, userID, name, holder)
	if err != nil {
		return fmt.Errorf("postgres: renew lease: %w", err)
	}
	return affected(tag, "lease")
}

// ReleaseLease deletes holder's lease.
func (db *DB) ReleaseLease(ctx context.Context, userID, name, holder string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM user_leases WHERE user_id = $1 AND name = $2 AND holder = $3`,
		userID, name, holder); err != nil {
		return fmt.Errorf("postgres: release lease: %w", err)
	}
	return nil
}

// LeaseHeld reads when the lease lapses, if it has not yet.
func (db *DB) LeaseHeld(ctx context.Context, userID, name string, now time.Time) (time.Time, error) {
	var held time.Time
	err := db.pool.QueryRow(ctx, `SELECT expires_at FROM user_leases WHERE user_id = $1 AND name = $2 AND expires_at > $3`,
		userID, name, now).Scan(&held)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, fmt.Errorf("postgres: lease held: %w", err)
	}
	return app.Timestamp(held), nil
}
