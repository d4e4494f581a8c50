package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

const consentColumns = `id, user_id, statement, words, created_at, expires_at, answered_at, verified_at, voice_print, used_for`

func scanConsent(r pgx.Row) (app.Consent, error) {
	var (
		c     app.Consent
		words string
		used  *string
	)
	err := r.Scan(&c.ID, &c.UserID, &c.Statement, &words, &c.CreatedAt, &c.ExpiresAt, &c.AnsweredAt, &c.VerifiedAt, &c.Print, &used)
	c.Words = strings.Fields(words)
	c.CreatedAt, c.ExpiresAt = utc(c.CreatedAt), utc(c.ExpiresAt)
	c.AnsweredAt, c.VerifiedAt = utcPtr(c.AnsweredAt), utcPtr(c.VerifiedAt)
	if used != nil {
		c.UsedFor = *used
	}
	return c, err
}

// CreateConsent inserts a challenge unless the user holds maxOpen open
// ones. Locking the user's row first makes concurrent callers, in any
// process, count and insert one after another; NO KEY UPDATE leaves
// inserts elsewhere that refer to the user (their foreign key checks take
// KEY SHARE) unblocked.
func (db *DB) CreateConsent(ctx context.Context, c app.Consent, maxOpen int) (time.Time, error) {
	var first time.Time
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, c.UserID); err != nil {
			return fmt.Errorf("postgres: consent lock: %w", err)
		}
		var (
			open     int
			earliest *time.Time
		)
		if err := tx.QueryRow(ctx, `SELECT count(*), min(expires_at) FROM consent_challenges
			WHERE user_id = $1 AND answered_at IS NULL AND expires_at > $2`,
			c.UserID, c.CreatedAt).Scan(&open, &earliest); err != nil {
			return fmt.Errorf("postgres: open consents: %w", err)
		}
		if open >= maxOpen {
			if earliest != nil {
				first = earliest.UTC()
			}
			return app.Errorf(app.ERateLimited, "Too many consent phrases are waiting to be read.")
		}
		_, err := tx.Exec(ctx, `INSERT INTO consent_challenges (id, user_id, statement, words,
			created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, c.UserID, c.Statement, strings.Join(c.Words, " "), c.CreatedAt, c.ExpiresAt)
		return mapErr(err, "consent challenge")
	})
	return first, err
}

// FindConsent returns one of the user's challenges.
func (db *DB) FindConsent(ctx context.Context, userID, id string) (app.Consent, error) {
	c, err := scanConsent(db.pool.QueryRow(ctx, `SELECT `+consentColumns+`
		FROM consent_challenges WHERE id = $1 AND user_id = $2`, id, userID))
	if err != nil {
		return app.Consent{}, mapErr(err, "consent challenge")
	}
	return c, nil
}

// AnswerConsent marks an open challenge answered.
func (db *DB) AnswerConsent(ctx context.Context, userID, id string, at time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE consent_challenges SET answered_at = $1
		WHERE id = $2 AND user_id = $3 AND answered_at IS NULL AND expires_at > $1`, at, id, userID)
	if err != nil {
		return err
	}
	return affected(tag, "consent challenge")
}

// VerifyConsent records a passed answer and its voice print.
func (db *DB) VerifyConsent(ctx context.Context, userID, id string, at time.Time, print []byte) error {
	tag, err := db.pool.Exec(ctx, `UPDATE consent_challenges SET verified_at = $1, voice_print = $2
		WHERE id = $3 AND user_id = $4 AND answered_at IS NOT NULL AND verified_at IS NULL`, at, print, id, userID)
	if err != nil {
		return err
	}
	return affected(tag, "consent challenge")
}

// UsableConsent returns the newest verified, unused consent since since.
func (db *DB) UsableConsent(ctx context.Context, userID string, since time.Time) (app.Consent, error) {
	c, err := scanConsent(db.pool.QueryRow(ctx, `SELECT `+consentColumns+`
		FROM consent_challenges WHERE user_id = $1 AND verified_at >= $2 AND used_for IS NULL
		ORDER BY verified_at DESC, id DESC LIMIT 1`, userID, since))
	if err != nil {
		return app.Consent{}, mapErr(err, "consent")
	}
	return c, nil
}

// UseConsent records the model a consent was used for.
func (db *DB) UseConsent(ctx context.Context, userID, id, modelID string) error {
	tag, err := db.pool.Exec(ctx, `UPDATE consent_challenges SET used_for = $1
		WHERE id = $2 AND user_id = $3 AND verified_at IS NOT NULL AND used_for IS NULL`, modelID, id, userID)
	if err != nil {
		return err
	}
	return affected(tag, "consent")
}

// ListConsents returns the user's challenges, newest first.
func (db *DB) ListConsents(ctx context.Context, userID string) ([]app.Consent, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+consentColumns+`
		FROM consent_challenges WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
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
	tag, err := db.pool.Exec(ctx, `DELETE FROM consent_challenges c WHERE c.created_at < $1
		AND (c.used_for IS NULL OR NOT EXISTS (SELECT 1 FROM voice_models m WHERE m.id = c.used_for))`, before)
	if err != nil {
		return 0, fmt.Errorf("postgres: prune consents: %w", err)
	}
	return tag.RowsAffected(), nil
}
