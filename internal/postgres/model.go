package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateModel inserts m and its sample links, then runs then, in one
// transaction.
func (db *DB) CreateModel(ctx context.Context, m app.Model, then app.TxFunc) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO voice_models (id, user_id, name, description,
			status, failure, engine, profile_key, profile_bytes, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			m.ID, m.UserID, m.Name, m.Description, m.Status, m.Failure, m.Engine,
			m.ProfileKey, m.ProfileBytes, m.CreatedAt, m.UpdatedAt)
		if err != nil {
			return mapErr(fmt.Errorf("postgres: create model: %w", err), "voice model")
		}
		for i, sid := range m.SampleIDs {
			// Selecting the sample by owner makes another user's sample
			// insert nothing, which is reported as not found.
			tag, err := tx.Exec(ctx, `INSERT INTO voice_model_samples (model_id, sample_id, position)
				SELECT $1, id, $2 FROM voice_samples WHERE id = $3 AND user_id = $4`, m.ID, i, sid, m.UserID)
			if err != nil {
				return mapErr(fmt.Errorf("postgres: link sample: %w", err), "sample link")
			}
			if err := affected(tag, "sample "+sid); err != nil {
				return err
			}
		}
		return runThen(ctx, tx, then)
	})
}

// runThen runs a caller's TxFunc, when there is one, in tx.
func runThen(ctx context.Context, tx pgx.Tx, then app.TxFunc) error {
	if then == nil {
		return nil
	}
	return then(ctx, tx)
}

// FinishModel records the outcome of building one of the user's pending
// models. The row lock of the UPDATE makes a concurrent second call wait
// and then find the model no longer pending.
func (db *DB) FinishModel(ctx context.Context, userID, id string, res app.ModelResult) error {
	tag, err := db.pool.Exec(ctx, `UPDATE voice_models SET status = $1, failure = $2, profile_key = $3,
		profile_bytes = $4, updated_at = $5 WHERE id = $6 AND user_id = $7 AND status = 'pending'`,
		res.Status, res.Failure, res.ProfileKey, res.ProfileBytes, res.At, id, userID)
	if err != nil {
		return fmt.Errorf("postgres: finish model: %w", err)
	}
	return affected(tag, "pending voice model")
}

const modelColumns = `id, user_id, name, description, status, failure, engine, profile_key,
	profile_bytes, created_at, updated_at`

func scanModel(r pgx.Row) (app.Model, error) {
	var m app.Model
	err := r.Scan(&m.ID, &m.UserID, &m.Name, &m.Description, &m.Status, &m.Failure, &m.Engine,
		&m.ProfileKey, &m.ProfileBytes, &m.CreatedAt, &m.UpdatedAt)
	m.CreatedAt, m.UpdatedAt, m.SampleIDs = utc(m.CreatedAt), utc(m.UpdatedAt), []string{}
	return m, err
}

// querier is what pgxpool.Pool and pgx.Tx share.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// FindModel returns one of the user's models with its sample ids.
func (db *DB) FindModel(ctx context.Context, userID, id string) (app.Model, error) {
	return findModel(ctx, db.pool, userID, id)
}

// findModel reads the model and its links in one statement, so it is
// consistent without a transaction.
func findModel(ctx context.Context, q querier, userID, id string) (app.Model, error) {
	var m app.Model
	err := q.QueryRow(ctx, `SELECT `+modelColumns+`, ARRAY(SELECT sample_id FROM voice_model_samples
		WHERE model_id = m.id ORDER BY position) FROM voice_models m WHERE id = $1 AND user_id = $2`, id, userID).
		Scan(&m.ID, &m.UserID, &m.Name, &m.Description, &m.Status, &m.Failure, &m.Engine,
			&m.ProfileKey, &m.ProfileBytes, &m.CreatedAt, &m.UpdatedAt, &m.SampleIDs)
	if err != nil {
		return app.Model{}, mapErr(err, "voice model")
	}
	m.CreatedAt, m.UpdatedAt, m.SampleIDs = utc(m.CreatedAt), utc(m.UpdatedAt), nonNil(m.SampleIDs)
	return m, nil
}

// ListModels returns the user's models, newest first, with their sample ids.
func (db *DB) ListModels(ctx context.Context, userID string) ([]app.Model, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+modelColumns+`, ARRAY(SELECT sample_id FROM voice_model_samples
		WHERE model_id = m.id ORDER BY position) FROM voice_models m
		WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("postgres: list models: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (app.Model, error) {
		var m app.Model
		err := r.Scan(&m.ID, &m.UserID, &m.Name, &m.Description, &m.Status, &m.Failure, &m.Engine,
			&m.ProfileKey, &m.ProfileBytes, &m.CreatedAt, &m.UpdatedAt, &m.SampleIDs)
		m.CreatedAt, m.UpdatedAt, m.SampleIDs = utc(m.CreatedAt), utc(m.UpdatedAt), nonNil(m.SampleIDs)
		return m, err
	})
	if out == nil {
		out = []app.Model{}
	}
	return out, err
}

// UpdateModel changes the set fields of one of the user's models.
func (db *DB) UpdateModel(ctx context.Context, userID, id string, upd app.ModelUpdate, at time.Time) (app.Model, error) {
	var m app.Model
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE voice_models SET name = coalesce($1, name),
			description = coalesce($2, description), updated_at = $3 WHERE id = $4 AND user_id = $5`,
			upd.Name, upd.Description, at, id, userID)
		if err != nil {
			return fmt.Errorf("postgres: update model: %w", err)
		}
		if err := affected(tag, "voice model"); err != nil {
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
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		// FOR UPDATE keeps a concurrent synthesis from adding history that
		// would escape the key list.
		if _, err = tx.Exec(ctx, `SELECT 1 FROM voice_models WHERE id = $1 AND user_id = $2 FOR UPDATE`,
			id, userID); err != nil {
			return err
		}
		if m, err = findModel(ctx, tx, userID, id); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT audio_key FROM voice_synthesis_history WHERE model_id = $1`, id)
		if err != nil {
			return fmt.Errorf("postgres: history keys: %w", err)
		}
		if keys, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		// The history goes by the foreign key; the payloads marked into its
		// audio name syntheses, not models, and go here.
		if _, err = tx.Exec(ctx, `DELETE FROM synthesis_watermarks WHERE synthesis_id IN
			(SELECT id FROM voice_synthesis_history WHERE model_id = $1)`, id); err != nil {
			return fmt.Errorf("postgres: delete model watermarks: %w", err)
		}
		_, err = tx.Exec(ctx, `DELETE FROM voice_models WHERE id = $1 AND user_id = $2`, id, userID)
		return err
	})
	if err != nil {
		return app.Model{}, nil, err
	}
	return m, nonNil(keys), nil
}
