package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TakeLease claims the lease when it is free or lapsed. Write
// transactions begin IMMEDIATE, so two callers, even in two processes,
// cannot both see it free.
func (db *DB) TakeLease(ctx context.Context, userID, name, holder string, now, until time.Time) (bool, time.Time, error) {
	var (
		taken bool
		held  time.Time
	)
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_leases WHERE user_id = ? AND name <> ? AND expires_at <= ?`,
			userID, name, micros(now)); err != nil {
			return fmt.Errorf("sqlite: lease: %w", err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO user_leases (user_id, name, holder, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id, name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
			WHERE user_leases.expires_at <= ?`, userID, name, holder, micros(until), micros(now))
		if err != nil {
			return mapErr(err, "user")
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("sqlite: lease: %w", err)
		}
		if taken = n == 1; taken {
			return nil
		}
		var us int64
		if err := tx.QueryRowContext(ctx, `SELECT expires_at FROM user_leases WHERE user_id = ? AND name = ?`,
			userID, name).Scan(&us); err != nil {
			return fmt.Errorf("sqlite: lease: %w", err)
		}
		held = fromMicros(us)
		return nil
	})
	return taken, held, err
}

// RenewLease moves the lapse of holder's lease.
func (db *DB) RenewLease(ctx context.Context, userID, name, holder string, until time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE user_leases SET expires_at = ? WHERE user_id = ? AND name = ? AND holder = ?`,
			micros(until), userID, name, holder)
		if err != nil {
			return fmt.Errorf("sqlite: renew lease: %w", err)
		}
		return affected(res, "lease")
	})
}

// ReleaseLease deletes holder's lease.
func (db *DB) ReleaseLease(ctx context.Context, userID, name, holder string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_leases WHERE user_id = ? AND name = ? AND holder = ?`,
			userID, name, holder); err != nil {
			return fmt.Errorf("sqlite: release lease: %w", err)
		}
		return nil
	})
}

// LeaseHeld reads when the lease lapses, if it has not yet.
func (db *DB) LeaseHeld(ctx context.Context, userID, name string, now time.Time) (time.Time, error) {
	var us int64
	err := db.r.QueryRowContext(ctx, `SELECT expires_at FROM user_leases WHERE user_id = ? AND name = ? AND expires_at > ?`,
		userID, name, micros(now)).Scan(&us)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	} else if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: lease held: %w", err)
	}
	return fromMicros(us), nil
}
