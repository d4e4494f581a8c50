package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/voxclone/voxclone/internal/app"
)

// BlobRefs pages through the keys of samples, voice profiles and history
// audio in byte-wise (BINARY) order.
func (db *DB) BlobRefs(ctx context.Context, after string, limit int) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT k FROM (
			SELECT * FROM (SELECT blob_key AS k FROM voice_samples WHERE blob_key > ?1 ORDER BY blob_key LIMIT ?2)
			UNION
			SELECT * FROM (SELECT profile_key FROM voice_models WHERE profile_key <> '' AND profile_key > ?1
				ORDER BY profile_key LIMIT ?2)
			UNION
			SELECT * FROM (SELECT audio_key FROM voice_synthesis_history WHERE audio_key > ?1 ORDER BY audio_key LIMIT ?2)
		) ORDER BY k LIMIT ?2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: blob refs: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("sqlite: blob refs: %w", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: blob refs: %w", err)
	}
	return keys, nil
}

// BlobReferenced reports whether a sample, model or history row names key.
func (db *DB) BlobReferenced(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM voice_samples WHERE blob_key = ?1)
		OR EXISTS (SELECT 1 FROM voice_models WHERE profile_key = ?1 AND profile_key <> '')
		OR EXISTS (SELECT 1 FROM voice_synthesis_history WHERE audio_key = ?1)`, key).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("sqlite: blob referenced: %w", err)
	}
	return ok, nil
}

// SaveBlobSweep replaces the one row of blob_sweeps.
func (db *DB) SaveBlobSweep(ctx context.Context, s app.BlobSweep) error {
	keys, err := json.Marshal(append([]string{}, s.MissingKeys...))
	if err != nil {
		return err
	}
	return db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO blob_sweeps (id, at, blobs, deleted, missing, missing_keys)
			VALUES (1, ?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET at = ?1, blobs = ?2, deleted = ?3,
			missing = ?4, missing_keys = ?5`, micros(s.At), s.Blobs, s.Deleted, s.Missing, string(keys))
		if err != nil {
			return fmt.Errorf("sqlite: save blob sweep: %w", err)
		}
		return nil
	})
}

// LastBlobSweep reads the row of blob_sweeps; ENotFound before the first.
func (db *DB) LastBlobSweep(ctx context.Context) (app.BlobSweep, error) {
	var (
		s    app.BlobSweep
		at   int64
		keys string
	)
	err := db.r.QueryRowContext(ctx, `SELECT at, blobs, deleted, missing, missing_keys FROM blob_sweeps WHERE id = 1`).
		Scan(&at, &s.Blobs, &s.Deleted, &s.Missing, &keys)
	if err != nil {
		return app.BlobSweep{}, mapErr(err, "blob sweep")
	}
	s.At = fromMicros(at)
	if err := json.Unmarshal([]byte(keys), &s.MissingKeys); err != nil {
		return app.BlobSweep{}, fmt.Errorf("sqlite: blob sweep keys: %w", err)
	}
	if len(s.MissingKeys) == 0 {
		s.MissingKeys = nil
	}
	return s, nil
}
