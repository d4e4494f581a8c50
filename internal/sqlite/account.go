package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// userBlobKeys selects every blob key a user's rows name.
const userBlobKeys = `SELECT blob_key FROM voice_samples WHERE user_id = ?1
	UNION ALL SELECT profile_key FROM voice_models WHERE user_id = ?1 AND profile_key <> ''
	UNION ALL SELECT audio_key FROM voice_synthesis_history WHERE user_id = ?1`

// DeleteUser deletes the user; the foreign keys cascade to every table
// that has a user_id. Rate records are keyed by subject, not user, and
// watermark rows written by an older version name no user, so those go
// explicitly. then, when not nil, runs last in the same transaction (the
// queue forgets the user's tasks there).
func (db *DB) DeleteUser(ctx context.Context, id string, then app.TxFunc) ([]string, error) {
	var keys []string
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if keys, err = queryStrings(ctx, tx, userBlobKeys, id); err != nil {
			return fmt.Errorf("sqlite: delete user: %w", err)
		}
		for _, q := range []string{
			`DELETE FROM synthesis_watermarks WHERE synthesis_id IN
				(SELECT id FROM voice_synthesis_history WHERE user_id = ?)`,
			`DELETE FROM rate_events WHERE subject = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("sqlite: delete user: %w", err)
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("sqlite: delete user: %w", err)
		}
		if err := affected(res, "user"); err != nil {
			return err
		}
		return runThen(ctx, tx, then)
	})
	return keys, err
}

func queryStrings(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// CreateAuditEvent inserts e.
func (db *DB) CreateAuditEvent(ctx context.Context, e app.AuditEvent) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_events (id, user_id, kind, subject, detail,
			client, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, sql.NullString{String: e.UserID, Valid: e.UserID != ""}, e.Kind, e.Subject, e.Detail,
			e.Client, e.RequestID, micros(e.CreatedAt))
		return mapErr(err, "audit event")
	})
}

const auditColumns = `id, user_id, kind, subject, detail, client, request_id, created_at`

func scanAudit(r scanner) (app.AuditEvent, error) {
	var (
		e       app.AuditEvent
		user    sql.NullString
		created int64
	)
	err := r.Scan(&e.ID, &user, &e.Kind, &e.Subject, &e.Detail, &e.Client, &e.RequestID, &created)
	e.UserID, e.CreatedAt = user.String, fromMicros(created)
	return e, err
}

// ListAudit returns up to limit of the user's events older than after,
// newest first.
func (db *DB) ListAudit(ctx context.Context, userID string, limit int, after *app.HistoryCursor) ([]app.AuditEvent, error) {
	return listNewest(ctx, db, "audit_events", auditColumns, userID, limit, after, scanAudit)
}

// PruneAudit deletes the events created before before.
func (db *DB) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM audit_events WHERE created_at < ?`, micros(before))
		if err != nil {
			return fmt.Errorf("sqlite: prune audit: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
