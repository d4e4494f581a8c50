package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// userBlobKeys selects every blob key a user's rows name.
const userBlobKeys = `SELECT blob_key FROM voice_samples WHERE user_id = $1
	UNION ALL SELECT profile_key FROM voice_models WHERE user_id = $1 AND profile_key <> ''
	UNION ALL SELECT audio_key FROM voice_synthesis_history WHERE user_id = $1`

// DeleteUser deletes the user; the foreign keys cascade to every table
// that has a user_id. Rate records (the counted requests and the row each
// subject's counting locks) are keyed by subject, not user, and
// watermark rows written by an older version name no user, so those go
// explicitly. then, when not nil, runs last in the same transaction (the
// queue forgets the user's tasks there). The user's row is locked first,
// so rows a concurrent request adds for them either commit before (and
// are deleted) or fail on the foreign key after.
func (db *DB) DeleteUser(ctx context.Context, id string, then app.TxFunc) ([]string, error) {
	var keys []string
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var found string
		if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&found); err != nil {
			return mapErr(err, "user")
		}
		rows, err := tx.Query(ctx, userBlobKeys, id)
		if err != nil {
			return fmt.Errorf("postgres: delete user: %w", err)
		}
		if keys, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return fmt.Errorf("postgres: delete user: %w", err)
		}
		for _, q := range []string{
			`DELETE FROM synthesis_watermarks WHERE synthesis_id IN
				(SELECT id FROM voice_synthesis_history WHERE user_id = $1)`,
			`DELETE FROM rate_events WHERE subject = $1`,
			`DELETE FROM rate_limits WHERE subject = $1`,
			`DELETE FROM users WHERE id = $1`,
		} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return fmt.Errorf("postgres: delete user: %w", err)
			}
		}
		return runThen(ctx, tx, then)
	})
	return keys, err
}

// CreateAuditEvent inserts e.
func (db *DB) CreateAuditEvent(ctx context.Context, e app.AuditEvent) error {
	var user *string
	if e.UserID != "" {
		user = &e.UserID
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO audit_events (id, user_id, kind, subject, detail,
		client, request_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.ID, user, e.Kind, e.Subject, e.Detail, e.Client, e.RequestID, e.CreatedAt)
	return mapErr(err, "audit event")
}

const auditColumns = `id, user_id, kind, subject, detail, client, request_id, created_at`

func scanAudit(r pgx.Row) (app.AuditEvent, error) {
	var (
		e    app.AuditEvent
		user *string
	)
	err := r.Scan(&e.ID, &user, &e.Kind, &e.Subject, &e.Detail, &e.Client, &e.RequestID, &e.CreatedAt)
	if user != nil {
		e.UserID = *user
	}
	e.CreatedAt = utc(e.CreatedAt)
	return e, err
}

// ListAudit returns up to limit of the user's events older than after,
// newest first.
func (db *DB) ListAudit(ctx context.Context, userID string, limit int, after *app.HistoryCursor) ([]app.AuditEvent, error) {
	return listNewest(ctx, db, "audit_events", auditColumns, userID, limit, after, scanAudit)
}

// PruneAudit deletes the events created before before.
func (db *DB) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM audit_events WHERE created_at < $1`, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: prune audit: %w", err)
	}
	return tag.RowsAffected(), nil
}
