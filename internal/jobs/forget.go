package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// forgetter deletes a user's task rows inside one of the store's
// transactions.
type forgetter[TTx any] func(ctx context.Context, tx TTx, userID string) error

// ForgetUserTx deletes every task row of the user inside tx, whatever its
// state, so that River keeps none of a deleted account's ids until its
// cleaner would have removed them (a day after a task ends, a week after
// it is given up). A running task's row goes too: River's completer skips
// a row that is gone, and the worker finds the account gone and has
// nothing to do.
func (q *Queue[TTx]) ForgetUserTx(ctx context.Context, tx app.Tx, userID string) error {
	ttx, ok := tx.(TTx)
	if !ok {
		return fmt.Errorf("jobs: forget user: transaction %T is not this queue's %T", tx, *new(TTx))
	}
	if err := q.forget(ctx, ttx, userID); err != nil {
		return fmt.Errorf("jobs: forget user: %w", err)
	}
	return nil
}

// forgetSQL deletes from River's SQLite table, whose args are JSONB.
func forgetSQL(ctx context.Context, tx *sql.Tx, userID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM river_job WHERE kind IN (?, ?)
		AND json_extract(args, '$.user_id') = ?`, cloneArgs{}.Kind(), speechArgs{}.Kind(), userID)
	return err
}

// forgetPgx deletes from River's PostgreSQL table in schema.
func forgetPgx(schema string) forgetter[pgx.Tx] {
	table := pgx.Identifier{schema, "river_job"}.Sanitize()
	return func(ctx context.Context, tx pgx.Tx, userID string) error {
		_, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE kind = ANY($1)
			AND args->>'user_id' = $2`, []string{cloneArgs{}.Kind(), speechArgs{}.Kind()}, userID)
		return err
	}
}
