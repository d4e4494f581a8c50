package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateModel inserts m and its sample links, then runs then, in one
// transaction.
func (db *DB) CreateModel(ctx context.Context, m app.Model, then app.TxFunc) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO voice_models (id, user_id, name, description,
			status, failure, engine, profile_key, profile_bytes, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, m.UserID, m.Name, m.Description, m.Status, m.Failure, m.Engine,
			m.ProfileKey, m.ProfileBytes, micros(m.CreatedAt), micros(m.UpdatedAt))
		if err != nil {
			return mapErr(fmt.Errorf("sqlite: create model: %w", err), "voice model")
		}
		for i, sid := range m.SampleIDs {
			// Selecting the sample by owner makes another user's sample
			// insert nothing, which is reported as not found.
			res, err := tx.ExecContext(ctx, `INSERT INTO voice_model_samples (model_id, sample_id, position)
				SELECT ?, id, ? FROM voice_samples WHERE id = ? AND user_id = ?`, m.ID, i, sid, m.UserID)
			if err != nil {
				return mapErr(fmt.Errorf("sqlite: link sample: %w", err), "sample link")
			}
			if err := affected(res, "sample "+sid); err != nil {
				return err
			}
		}
		return runThen(ctx, tx, then)
	})
}

// runThen runs a caller's TxFunc, when there is one, in tx.
func runThen(ctx context.Context, tx *sql.Tx, then app.TxFunc) error {
	if then == nil {
		return nil
	}
	return then(ctx, tx)
}

// FinishModel records the outcome of building one of the user's pending
// models.
func (db *DB) FinishModel(ctx context.Context, userID, id string, res app.ModelResult) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE voice_models SET status = ?, failure = ?, profile_key = ?,
			profile_bytes = ?, updated_at = ? WHERE id = ? AND user_id = ? AND status = 'pending'`,
			res.Status, res.Failure, res.ProfileKey, res.ProfileBytes, micros(res.At), id, userID)
		if err != nil {
			return fmt.Errorf("sqlite: finish model: %w", err)
		}
		return affected(r, "pending voice model")
	})
}

const modelColumns = `id, user_id, name, description, status, failure, engine, profile_key,
	profile_bytes, created_at, updated_at`

// modelSelect reads models with their sample ids, in link order, as a JSON
// array: one statement, so the result is consistent without a transaction.
const modelSelect = `SELECT ` + modelColumns + `, (SELECT json_group_array(sample_id) FROM
	(SELECT sample_id FROM voice_model_samples WHERE model_id = m.id ORDER BY position))
	FROM voice_models m`

func scanModelSamples(r scanner) (app.Model, error) {
	var (
		m                app.Model
		created, updated int64
		samples          string
	)
	err := r.Scan(&m.ID, &m.UserID, &m.Name, &m.Description, &m.Status, &m.Failure, &m.Engine,
		&m.ProfileKey, &m.ProfileBytes, &created, &updated, &samples)
	if err != nil {
		return app.Model{}, err
	}
	m.CreatedAt, m.UpdatedAt = fromMicros(created), fromMicros(updated)
	if err := json.Unmarshal([]byte(samples), &m.SampleIDs); err != nil {
		return app.Model{}, fmt.Errorf("sqlite: model %s samples: %w", m.ID, err)
	}
	m.SampleIDs = nonNil(m.SampleIDs)
	return m, nil
}

// FindModel returns one of the user's models with its sample ids.
func (db *DB) FindModel(ctx context.Context, userID, id string) (app.Model, error) {
	return findModel(ctx, db.r, userID, id)
}

// queryer is what *sql.DB and *sql.Tx share.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findModel(ctx context.Context, q queryer, userID, id string) (app.Model, error) {
	m, err := scanModelSamples(q.QueryRowContext(ctx, modelSelect+` WHERE id = ? AND user_id = ?`, id, userID))
	if err != nil {
		return app.Model{}, mapErr(err, "voice model")
	}
	return m, nil
}

// ListModels returns the user's models, newest first, with their sample ids.
func (db *DB) ListModels(ctx context.Context, userID string) ([]app.Model, error) {
	rows, err := db.r.QueryContext(ctx, modelSelect+` WHERE user_id = ? ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list models: %w", err)
	}
	defer rows.Close()
	out := []app.Model{}
	for rows.Next() {
		m, err := scanModelSamples(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// UpdateModel changes the set fields of one of the user's models.
func (db *DB) UpdateModel(ctx context.Context, userID, id string, upd app.ModelUpdate, at time.Time) (app.Model, error) {
	var m app.Model
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE voice_models SET name = coalesce(?, name),
			description = coalesce(?, description), updated_at = ? WHERE id = ? AND user_id = ?`,
			upd.Name, upd.Description, micros(at), id, userID)
		if err != nil {
			return fmt.Errorf("sqlite: update model: %w", err)
		}
		if err := affected(res, "voice model"); err != nil {
			return err
		}
		m, err = findModel(ctx, tx, userID, id)
		return err
	})
	return m, err
}

// DeleteModel deletes one of the user's models with its links and history,
// returning the model and the history's audio keys.
func (db *DB) DeleteModel(ctx context.Context, userID, id string) (app.Model, []string, error) {
	var (
		m    app.Model
		keys []string
	)
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = findModel(ctx, tx, userID, id); err != nil {
			return err
		}
		if keys, err = historyKeys(ctx, tx, id); err != nil {
			return err
		}
		// The history goes by the foreign key; the payloads marked into its
		// audio name syntheses, not models, and go here.
		if _, err = tx.ExecContext(ctx, `DELETE FROM synthesis_watermarks WHERE synthesis_id IN
			(SELECT id FROM voice_synthesis_history WHERE model_id = ?)`, id); err != nil {
			return fmt.Errorf("sqlite: delete model watermarks: %w", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM voice_models WHERE id = ? AND user_id = ?`, id, userID)
		return err
	})
	if err != nil {
		return app.Model{}, nil, err
	}
	return m, keys, nil
}

func historyKeys(ctx context.Context, tx *sql.Tx, modelID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT audio_key FROM voice_synthesis_history WHERE model_id = ?`, modelID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: history keys: %w", err)
	}
	defer rows.Close()
	keys := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}
