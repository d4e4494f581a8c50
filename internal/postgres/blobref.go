package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// BlobRefs pages through the keys of samples, voice profiles and history
// audio in byte-wise ("C") order.
func (db *DB) BlobRefs(ctx context.Context, after string, limit int) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT k FROM (
			(SELECT blob_key COLLATE "C" AS k FROM voice_samples WHERE blob_key COLLATE "C" > $1
				ORDER BY blob_key COLLATE "C" LIMIT $2)
			UNION
			(SELECT profile_key COLLATE "C" FROM voice_models WHERE profile_key <> '' AND profile_key COLLATE "C" > $1
				ORDER BY profile_key COLLATE "C" LIMIT $2)
			UNION
			(SELECT audio_key COLLATE "C" FROM voice_synthesis_history WHERE audio_key COLLATE "C" > $1
				ORDER BY audio_key COLLATE "C" LIMIT $2)
		) refs ORDER BY k LIMIT $2`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("postgres: blob refs: %w", err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: blob refs: %w", err)
	}
	return keys, nil
}

// BlobReferenced reports whether a sample, model or history row names key.
func (db *DB) BlobReferenced(ctx context.Context, key string) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM voice_samples WHERE blob_key = $1)
		OR EXISTS (SELECT 1 FROM voice_models WHERE profile_key = $1 AND profile_key <> '')
		OR EXISTS (SELECT 1 FROM voice_synthesis_history WHERE audio_key = $1)`, key).Scan(&ok)
	if err != nil {
		return false, mapErr(fmt.Errorf("postgres: blob referenced: %w", err), "blob")
	}
	return ok, nil
}

// SaveBlobSweep replaces the one row of blob_sweeps.
func (db *DB) SaveBlobSweep(ctx context.Context, s app.BlobSweep) error {
	keys := s.MissingKeys
	if keys == nil {
		keys = []string{}
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO blob_sweeps (id, at, blobs, deleted, missing, missing_keys)
		VALUES (1, $1, $2, $3, $4, $5) ON CONFLICT (id) DO UPDATE SET at = $1, blobs = $2, deleted = $3,
		missing = $4, missing_keys = $5`, s.At, s.Blobs, s.Deleted, s.Missing, keys)
	if err != nil {
		return fmt.Errorf("postgres: save blob sweep: %w", err)
	}
	return nil
}

// LastBlobSweep reads the row of blob_sweeps; ENotFound before the first.
func (db *DB) LastBlobSweep(ctx context.Context) (app.BlobSweep, error) {
	var s app.BlobSweep
	err := db.pool.QueryRow(ctx, `SELECT at, blobs, deleted, missing, missing_keys FROM blob_sweeps WHERE id = 1`).
		Scan(&s.At, &s.Blobs, &s.Deleted, &s.Missing, &s.MissingKeys)
	if err != nil {
		return app.BlobSweep{}, mapErr(err, "blob sweep")
	}
	s.At = utc(s.At)
	if len(s.MissingKeys) == 0 {
		s.MissingKeys = nil
	}
	return s, nil
}
