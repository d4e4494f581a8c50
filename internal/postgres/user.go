package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateUser inserts u; EConflict when the email is taken.
func (db *DB) CreateUser(ctx context.Context, u app.User, passwordHash string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO users (id, email, password_hash, created_at)
		VALUES ($1, $2, $3, $4)`, u.ID, u.Email, passwordHash, u.CreatedAt)
	if err != nil {
		return mapErr(fmt.Errorf("postgres: create user: %w", err), "account with this email")
	}
	return nil
}

// FindUserByID returns the user with that id.
func (db *DB) FindUserByID(ctx context.Context, id string) (app.User, error) {
	u, _, err := db.findUser(ctx, `id = $1`, id)
	return u, err
}

// FindUserByEmail returns the user with that email (case ignored) and
// their password hash.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (app.User, string, error) {
	return db.findUser(ctx, `lower(email) = lower($1)`, email)
}

func (db *DB) findUser(ctx context.Context, where string, arg any) (app.User, string, error) {
	var (
		u    app.User
		hash string
	)
	err := db.pool.QueryRow(ctx, `SELECT id, email, password_hash, created_at FROM users WHERE `+where, arg).
		Scan(&u.ID, &u.Email, &hash, &u.CreatedAt)
	if err != nil {
		return app.User{}, "", mapErr(err, "user")
	}
	u.CreatedAt = utc(u.CreatedAt)
	return u, hash, nil
}

// CreateAPIKey inserts k.
func (db *DB) CreateAPIKey(ctx context.Context, k app.StoredAPIKey) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO api_keys (id, user_id, name, prefix, hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, k.ID, k.UserID, k.Name, k.Prefix, k.Hash, k.CreatedAt)
	return mapErr(err, "API key")
}

func (db *DB) queryAPIKeys(ctx context.Context, where string, arg any) ([]app.StoredAPIKey, error) {
	rows, err := db.pool.Query(ctx, `SELECT id, user_id, name, prefix, hash, created_at, last_used_at
		FROM api_keys WHERE `+where+` ORDER BY created_at, id`, arg)
	if err != nil {
		return nil, fmt.Errorf("postgres: api keys: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (app.StoredAPIKey, error) {
		var k app.StoredAPIKey
		err := r.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Hash, &k.CreatedAt, &k.LastUsedAt)
		k.CreatedAt, k.LastUsedAt = utc(k.CreatedAt), utcPtr(k.LastUsedAt)
		return k, err
	})
}

// FindAPIKeysByPrefix returns the keys with that display prefix.
func (db *DB) FindAPIKeysByPrefix(ctx context.Context, prefix string) ([]app.StoredAPIKey, error) {
	return db.queryAPIKeys(ctx, `prefix = $1`, prefix)
}

// ListAPIKeys returns the user's keys, oldest first.
func (db *DB) ListAPIKeys(ctx context.Context, userID string) ([]app.APIKey, error) {
	keys, err := db.queryAPIKeys(ctx, `user_id = $1`, userID)
	out := make([]app.APIKey, len(keys))
	for i, k := range keys {
		out[i] = k.APIKey
	}
	return out, err
}

// TouchAPIKey records a use of the key.
func (db *DB) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE api_keys SET last_used_at = $1 WHERE id = $2`, at, id)
	if err != nil {
		return fmt.Errorf("postgres: touch api key: %w", err)
	}
	return affected(tag, "API key")
}

// DeleteAPIKey deletes one of the user's keys.
func (db *DB) DeleteAPIKey(ctx context.Context, userID, id string) error {
	tag, err := db.pool.Exec(ctx, `DELETE FROM api_keys WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return fmt.Errorf("postgres: delete api key: %w", err)
	}
	return affected(tag, "API key")
}
