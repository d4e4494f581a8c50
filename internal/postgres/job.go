package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voxclone/voxclone/internal/app"
)

// CreateJob inserts j, then runs then, in one transaction.
func (db *DB) CreateJob(ctx context.Context, j app.Job, then app.TxFunc) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		// Selecting the model by owner keeps a job from naming another
		// user's model; a job in a built-in voice names none.
		const values = `$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16`
		query := `INSERT INTO voice_jobs (id, user_id, kind, status, progress, model_id, voice, text,
			characters, format, speed, pitch, similarity, sample_rate, created_at, updated_at) `
		if j.ModelID != "" {
			query += `SELECT ` + values + ` FROM voice_models WHERE id = $6 AND user_id = $2`
		} else {
			query += `VALUES (` + values + `)`
		}
		tag, err := tx.Exec(ctx, query, j.ID, j.UserID, j.Kind, j.Status, j.Progress, nullString(j.ModelID),
			j.Voice, j.Text, j.Characters, j.Format, j.Speed, j.Pitch, j.Similarity, j.SampleRate,
			j.CreatedAt, j.UpdatedAt)
		if err != nil {
			return mapErr(fmt.Errorf("postgres: create job: %w", err), "job")
		}
		if err := affected(tag, "voice model"); err != nil {
			return err
		}
		return runThen(ctx, tx, then)
	})
}

// nullString stores "" as NULL.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// jobColumns reads a job with the first characters of its text in the
// Preview column.
var jobColumns = `id, user_id, kind, status, progress, model_id, voice, left(text, ` +
	strconv.Itoa(app.JobPreviewRunes) + `), characters, format, speed, pitch, similarity,
	sample_rate, history_id, error, created_at, updated_at, started_at, finished_at`

func scanJob(r pgx.Row, extra ...any) (app.Job, error) {
	var (
		j     app.Job
		model *string
	)
	err := r.Scan(append([]any{&j.ID, &j.UserID, &j.Kind, &j.Status, &j.Progress, &model, &j.Voice,
		&j.Preview, &j.Characters, &j.Format, &j.Speed, &j.Pitch, &j.Similarity, &j.SampleRate,
		&j.HistoryID, &j.Error, &j.CreatedAt, &j.UpdatedAt, &j.StartedAt, &j.FinishedAt}, extra...)...)
	if model != nil {
		j.ModelID = *model
	}
	j.CreatedAt, j.UpdatedAt = utc(j.CreatedAt), utc(j.UpdatedAt)
	j.StartedAt, j.FinishedAt = utcPtr(j.StartedAt), utcPtr(j.FinishedAt)
	return j, err
}

// FindJob returns one of the user's jobs.
func (db *DB) FindJob(ctx context.Context, userID, id string) (app.Job, error) {
	return findJob(ctx, db.pool, userID, id)
}

func findJob(ctx context.Context, q querier, userID, id string) (app.Job, error) {
	j, err := scanJob(q.QueryRow(ctx, `SELECT `+jobColumns+` FROM voice_jobs
		WHERE id = $1 AND user_id = $2`, id, userID))
	if err != nil {
		return app.Job{}, mapErr(err, "job")
	}
	return j, nil
}

// ListJobs returns up to limit of the user's jobs older than after, newest
// first.
func (db *DB) ListJobs(ctx context.Context, userID string, limit int, after *app.HistoryCursor) ([]app.Job, error) {
	return listNewest(ctx, db, "voice_jobs", jobColumns, userID, limit, after, func(r pgx.Row) (app.Job, error) {
		return scanJob(r)
	})
}

// StartJob marks a queued or running job running and returns it with its
// text; a finished job is returned unchanged.
func (db *DB) StartJob(ctx context.Context, userID, id string, at time.Time) (app.Job, error) {
	var j app.Job
	err := db.tx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE voice_jobs SET status = 'running', progress = 0,
			started_at = $1, updated_at = $1 WHERE id = $2 AND user_id = $3 AND status IN ('queued', 'running')`,
			at, id, userID)
		if err != nil {
			return fmt.Errorf("postgres: start job: %w", err)
		}
		var text string
		j, err = scanJob(tx.QueryRow(ctx, `SELECT `+jobColumns+`, text FROM voice_jobs
			WHERE id = $1 AND user_id = $2`, id, userID), &text)
		j.Text = text
		return mapErr(err, "job")
	})
	return j, err
}

// SetJobProgress records a running job's progress.
func (db *DB) SetJobProgress(ctx context.Context, userID, id string, progress float64, at time.Time) error {
	tag, err := db.pool.Exec(ctx, `UPDATE voice_jobs SET progress = $1, updated_at = $2
		WHERE id = $3 AND user_id = $4 AND status = 'running'`, progress, at, id, userID)
	if err != nil {
		return fmt.Errorf("postgres: job progress: %w", err)
	}
	return affected(tag, "running job")
}

// FinishJob ends a queued or running job and stores its history entry. The
// row lock of the UPDATE makes a concurrent second call wait and then find
// the job ended.
func (db *DB) FinishJob(ctx context.Context, userID, id string, res app.JobResult, syn *app.Synthesis) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE voice_jobs SET status = $1, error = $2, history_id = $3,
			progress = CASE WHEN $1 = 'done' THEN 1 ELSE progress END, updated_at = $4, finished_at = $4
			WHERE id = $5 AND user_id = $6 AND status IN ('queued', 'running')`,
			res.Status, res.Error, res.HistoryID, res.At, id, userID)
		if err != nil {
			return fmt.Errorf("postgres: finish job: %w", err)
		}
		if tag.RowsAffected() == 0 {
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
