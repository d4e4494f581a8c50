package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

const consentColumns = `id, user_id, statement, words, created_at, expires_at, answered_at, verified_at, voice_print, used_for`

func scanConsent(r scanner) (app.Consent, error) {
	var (
		c                  app.Consent
		words              string
		created, expires   int64
		answered, verified sql.NullInt64
		used               sql.NullString
	)
	err := r.Scan(&c.ID, &c.UserID, &c.Statement, &words, &created, &expires, &answered, &verified, &c.Print, &used)
	c.Words = strings.Fields(words)
	c.CreatedAt, c.ExpiresAt = fromMicros(created), fromMicros(expires)
	c.AnsweredAt, c.VerifiedAt, c.UsedFor = nullMicros(answered), nullMicros(verified), used.String
	return c, err
}

// CreateConsent inserts a challenge unless the user holds maxOpen open
// ones. The single writer connection runs the count and the insert one
// transaction after another, so no two callers both see a free slot.
func (db *DB) CreateConsent(ctx context.Context, c app.Consent, maxOpen int) (time.Time, error) {
	var first time.Time
	err := db.write(ctx, func(tx *sql.Tx) error {
		var (
			open     int
			earliest sql.NullInt64
		)
		if err := tx.QueryRowContext(ctx, `SELECT count(*), min(expires_at) FROM consent_challenges
			WHERE user_id = ? AND answered_at IS NULL AND expires_at > ?`,
			c.UserID, micros(c.CreatedAt)).Scan(&open, &earliest); err != nil {
			return fmt.Errorf("sqlite: open consents: %w", err)
		}
		if open >= maxOpen {
			if earliest.Valid {
				first = fromMicros(earliest.Int64)
			}
			return app.Errorf(app.ERateLimited, "Too many consent phrases are waiting to be read.")
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO consent_challenges (id, user_id, statement, words,
			created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			c.ID, c.UserID, c.Statement, strings.Join(c.Words, " "), micros(c.CreatedAt), micros(c.ExpiresAt))
		return mapErr(err, "consent challenge")
	})
	return first, err
}

// FindConsent returns one of the user's challenges.
func (db *DB) FindConsent(ctx context.Context, userID, id string) (app.Consent, error) {
	c, err := scanConsent(db.r.QueryRowContext(ctx, `SELECT `+consentColumns+`
		FROM consent_challenges WHERE id = ? AND user_id = ?`, id, userID))
	if err != nil {
		return app.Consent{}, mapErr(err, "consent challenge")
	}
	return c, nil
}

// AnswerConsent marks an open challenge answered.
func (db *DB) AnswerConsent(ctx context.Context, userID, id string, at time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consent_challenges SET answered_at = ?
			WHERE id = ? AND user_id = ? AND answered_at IS NULL AND expires_at > ?`,
			micros(at), id, userID, micros(at))
		if err != nil {
			return err
		}
		return affected(res, "consent challenge")
	})
}

// VerifyConsent records a passed answer and its voice print.
func (db *DB) VerifyConsent(ctx context.Context, userID, id string, at time.Time, print []byte) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consent_challenges SET verified_at = ?, voice_print = ?
			WHERE id = ? AND user_id = ? AND answered_at IS NOT NULL AND verified_at IS NULL`,
			micros(at), print, id, userID)
		if err != nil {
			return err
		}
		return affected(res, "consent challenge")
	})
}

// UsableConsent returns the newest verified, unused consent since since.
func (db *DB) UsableConsent(ctx context.Context, userID string, since time.Time) (app.Consent, error) {
	c, err := scanConsent(db.r.QueryRowContext(ctx, `SELECT `+consentColumns+`
		FROM consent_challenges WHERE user_id = ? AND verified_at >= ? AND used_for IS NULL
		ORDER BY verified_at DESC, id DESC LIMIT 1`, userID, micros(since)))
	if err != nil {
		return app.Consent{}, mapErr(err, "consent")
	}
	return c, nil
}

// UseConsent records the model a consent was used for.
func (db *DB) UseConsent(ctx context.Context, userID, id, modelID string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE consent_challenges SET used_for = ?
			WHERE id = ? AND user_id = ? AND verified_at IS NOT NULL AND used_for IS NULL`, modelID, id, userID)
		if err != nil {
			return err
		}
		return affected(res, "consent")
	})
}

// ListConsents returns the user's challenges, newest first.
func (db *DB) ListConsents(ctx context.Context, userID string) ([]app.Consent, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+consentColumns+`
		FROM consent_challenges WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Consent
	for rows.Next() {
		c, err := scanConsent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PruneConsents deletes the challenges created before before that no
// existing model was cloned under.
func (db *DB) PruneConsents(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM consent_challenges WHERE created_at < ?
			AND (used_for IS NULL OR NOT EXISTS (SELECT 1 FROM voice_models m WHERE m.id = consent_challenges.used_for))`,
			micros(before))
		if err != nil {
			return fmt.Errorf("sqlite: prune consents: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
