package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateJob inserts j, then runs then, in one transaction.
func (db *DB) CreateJob(ctx context.Context, j app.Job, then app.TxFunc) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		// Selecting the model by owner keeps a job from naming another
		// user's model; a job in a built-in voice names none.
		const values = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`
		query := `INSERT INTO voice_jobs (id, user_id, kind, status, progress, model_id, voice, text,
			characters, format, speed, pitch, similarity, sample_rate, created_at, updated_at) `
		args := []any{j.ID, j.UserID, j.Kind, j.Status, j.Progress, nullString(j.ModelID), j.Voice, j.Text,
			j.Characters, j.Format, j.Speed, j.Pitch, j.Similarity, j.SampleRate, micros(j.CreatedAt),
			micros(j.UpdatedAt)}
		if j.ModelID != "" {
			query += `SELECT ` + values + ` FROM voice_models WHERE id = ? AND user_id = ?`
			args = append(args, j.ModelID, j.UserID)
		} else {
			query += `VALUES (` + values + `)`
		}
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return mapErr(fmt.Errorf("sqlite: create job: %w", err), "job")
		}
		if err := affected(res, "voice model"); err != nil {
			return err
		}
		return runThen(ctx, tx, then)
	})
}

// nullString stores "" as NULL.
func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// jobColumns reads a job with the first characters of its text (substr
// counts characters in SQLite) in the Preview column.
var jobColumns = `id, user_id, kind, status, progress, model_id, voice, substr(text, 1, ` +
	strconv.Itoa(app.JobPreviewRunes) + `), characters, format, speed, pitch, similarity,
	sample_rate, history_id, error, created_at, updated_at, started_at, finished_at`

func scanJob(r scanner, extra ...any) (app.Job, error) {
	var (
		j                app.Job
		model            sql.NullString
		created, updated int64
		started, ended   sql.NullInt64
	)
	err := r.Scan(append([]any{&j.ID, &j.UserID, &j.Kind, &j.Status, &j.Progress, &model, &j.Voice,
		&j.Preview, &j.Characters, &j.Format, &j.Speed, &j.Pitch, &j.Similarity, &j.SampleRate,
		&j.HistoryID, &j.Error, &created, &updated, &started, &ended}, extra...)...)
	j.ModelID = model.String
	j.CreatedAt, j.UpdatedAt = fromMicros(created), fromMicros(updated)
	j.StartedAt, j.FinishedAt = nullMicros(started), nullMicros(ended)
	return j, err
}

// FindJob returns one of the user's jobs.
func (db *DB) FindJob(ctx context.Context, userID, id string) (app.Job, error) {
	return findJob(ctx, db.r, userID, id)
}

func findJob(ctx context.Context, q queryer, userID, id string) (app.Job, error) {
	j, err := scanJob(q.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM voice_jobs
		WHERE id = ? AND user_id = ?`, id, userID))
	if err != nil {
		return app.Job{}, mapErr(err, "job")
	}
	return j, nil
}

// ListJobs returns up to limit of the user's jobs older than after, newest
// first.
func (db *DB) ListJobs(ctx context.Context, userID string, limit int, after *app.HistoryCursor) ([]app.Job, error) {
	return listNewest(ctx, db, "voice_jobs", jobColumns, userID, limit, after, func(r scanner) (app.Job, error) {
		return scanJob(r)
	})
}

// StartJob marks a queued or running job running and returns it with its
// text; a finished job is returned unchanged.
func (db *DB) StartJob(ctx context.Context, userID, id string, at time.Time) (app.Job, error) {
	var j app.Job
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE voice_jobs SET status = 'running', progress = 0,
			started_at = ?, updated_at = ? WHERE id = ? AND user_id = ? AND status IN ('queued', 'running')`,
			micros(at), micros(at), id, userID)
		if err != nil {
			return fmt.Errorf("sqlite: start job: %w", err)
		}
		var text string
		j, err = scanJob(tx.QueryRowContext(ctx, `SELECT `+jobColumns+`, text FROM voice_jobs
			WHERE id = ? AND user_id = ?`, id, userID), &text)
		j.Text = text
		return mapErr(err, "job")
	})
	return j, err
}

// SetJobProgress records a running job's progress.
func (db *DB) SetJobProgress(ctx context.Context, userID, id string, progress float64, at time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE voice_jobs SET progress = ?, updated_at = ?
			WHERE id = ? AND user_id = ? AND status = 'running'`, progress, micros(at), id, userID)
		if err != nil {
			return fmt.Errorf("sqlite: job progress: %w", err)
		}
		return affected(res, "running job")
	})
}

// FinishJob ends a queued or running job and stores its history entry.
func (db *DB) FinishJob(ctx context.Context, userID, id string, res app.JobResult, syn *app.Synthesis) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE voice_jobs SET status = ?, error = ?, history_id = ?,
			progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END, updated_at = ?, finished_at = ?
			WHERE id = ? AND user_id = ? AND status IN ('queued', 'running')`,
			res.Status, res.Error, res.HistoryID, res.Status, micros(res.At), micros(res.At), id, userID)
		if err != nil {
			return fmt.Errorf("sqlite: finish job: %w", err)
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			if _, err := findJob(ctx, tx, userID, id); err != nil {
				return err
			}
			return app.Errorf(app.EConflict, "The job has already ended.")
		}
		if syn == nil {
			return nil
		}
		return createSynthesis(ctx, tx, *syn)
	})
}
