package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateUser inserts u; EConflict when the email is taken.
func (db *DB) CreateUser(ctx context.Context, u app.User, passwordHash string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, password_hash, created_at)
			VALUES (?, ?, ?, ?)`, u.ID, u.Email, passwordHash, micros(u.CreatedAt))
		if err != nil {
			return mapErr(fmt.Errorf("sqlite: create user: %w", err), "account with this email")
		}
		return nil
	})
}

// FindUserByID returns the user with that id.
func (db *DB) FindUserByID(ctx context.Context, id string) (app.User, error) {
	u, _, err := db.findUser(ctx, `id = ?`, id)
	return u, err
}

// FindUserByEmail returns the user with that email (ASCII case ignored) and
// their password hash.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (app.User, string, error) {
	return db.findUser(ctx, `lower(email) = lower(?)`, email)
}

func (db *DB) findUser(ctx context.Context, where string, arg any) (app.User, string, error) {
	var (
		u       app.User
		hash    string
		created int64
	)
	err := db.r.QueryRowContext(ctx, `SELECT id, email, password_hash, created_at FROM users WHERE `+where, arg).
		Scan(&u.ID, &u.Email, &hash, &created)
	if err != nil {
		return app.User{}, "", mapErr(err, "user")
	}
	u.CreatedAt = fromMicros(created)
	return u, hash, nil
}

// CreateAPIKey inserts k.
func (db *DB) CreateAPIKey(ctx context.Context, k app.StoredAPIKey) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_keys (id, user_id, name, prefix, hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, k.ID, k.UserID, k.Name, k.Prefix, k.Hash, micros(k.CreatedAt))
		return mapErr(err, "API key")
	})
}

const apiKeyColumns = `id, user_id, name, prefix, hash, created_at, last_used_at`

func scanAPIKey(rows *sql.Rows) (app.StoredAPIKey, error) {
	var (
		k       app.StoredAPIKey
		created int64
		used    sql.NullInt64
	)
	err := rows.Scan(&k.ID, &k.UserID, &k.Name, &k.Prefix, &k.Hash, &created, &used)
	k.CreatedAt, k.LastUsedAt = fromMicros(created), nullMicros(used)
	return k, err
}

func (db *DB) queryAPIKeys(ctx context.Context, where string, arg any) ([]app.StoredAPIKey, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE `+where+
		` ORDER BY created_at, id`, arg)
	if err != nil {
		return nil, fmt.Errorf("sqlite: api keys: %w", err)
	}
	defer rows.Close()
	var out []app.StoredAPIKey
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// FindAPIKeysByPrefix returns the keys with that display prefix.
func (db *DB) FindAPIKeysByPrefix(ctx context.Context, prefix string) ([]app.StoredAPIKey, error) {
	return db.queryAPIKeys(ctx, `prefix = ?`, prefix)
}

// ListAPIKeys returns the user's keys, oldest first.
func (db *DB) ListAPIKeys(ctx context.Context, userID string) ([]app.APIKey, error) {
	keys, err := db.queryAPIKeys(ctx, `user_id = ?`, userID)
	out := make([]app.APIKey, len(keys))
	for i, k := range keys {
		out[i] = k.APIKey
	}
	return out, err
}

// TouchAPIKey records a use of the key.
func (db *DB) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, micros(at), id)
		if err != nil {
			return fmt.Errorf("sqlite: touch api key: %w", err)
		}
		return affected(res, "API key")
	})
}

// DeleteAPIKey deletes one of the user's keys.
func (db *DB) DeleteAPIKey(ctx context.Context, userID, id string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM api_keys WHERE id = ? AND user_id = ?`, id, userID)
		if err != nil {
			return fmt.Errorf("sqlite: delete api key: %w", err)
		}
		return affected(res, "API key")
	})
}
