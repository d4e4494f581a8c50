package postgres

import (
	"context"
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

// CreateConsent inserts a challenge.
func (db *DB) CreateConsent(ctx context.Context, c app.Consent) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO consent_challenges (id, user_id, statement, words,
		created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		c.ID, c.UserID, c.Statement, strings.Join(c.Words, " "), c.CreatedAt, c.ExpiresAt)
	return mapErr(err, "consent challenge")
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
