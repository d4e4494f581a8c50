package jobs

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/rivertype"

	"github.com/voxclone/voxclone/internal/app"
)

// countQuery counts River's rows by kind and state. River deletes
// finished rows after a day, so the table stays small enough to count on
// every scrape.
const countQuery = `SELECT kind, state, count(*) FROM river_job GROUP BY kind, state`

// counter is how a Queue counts its rows on its database.
type counter func(ctx context.Context, fn func(kind, state string, n int)) error

// kindNames maps River's job kinds to the names metrics use.
var kindNames = map[string]string{
	cloneArgs{}.Kind():    string(app.TaskClone),
	speechArgs{}.Kind():   string(app.TaskSpeech),
	periodicArgs{}.Kind(): "maintenance",
}

// CountJobs calls fn with the number of tasks of each kind (clone,
// synthesize, maintenance) in each of River's states (available, running,
// retryable, completed, …), zeros included, so that every series exists
// from the start.
func (q *Queue[TTx]) CountJobs(ctx context.Context, fn func(kind, state string, n int)) error {
	counts := map[[2]string]int{}
	err := q.count(ctx, func(kind, state string, n int) {
		if name, ok := kindNames[kind]; ok {
			kind = name
		}
		counts[[2]string{kind, state}] += n
	})
	if err != nil {
		return fmt.Errorf("jobs: count: %w", err)
	}
	for _, kind := range []string{string(app.TaskClone), string(app.TaskSpeech)} {
		for _, st := range rivertype.JobStates() {
			if _, ok := counts[[2]string{kind, string(st)}]; !ok {
				counts[[2]string{kind, string(st)}] = 0
			}
		}
	}
	for k, n := range counts {
		fn(k[0], k[1], n)
	}
	return nil
}

// countSQL runs countQuery on an SQLite database.
func countSQL(db *sql.DB) counter {
	return func(ctx context.Context, fn func(kind, state string, n int)) error {
		rows, err := db.QueryContext(ctx, countQuery)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind, state string
			var n int
			if err := rows.Scan(&kind, &state, &n); err != nil {
				return err
			}
			fn(kind, state, n)
		}
		return rows.Err()
	}
}

// countPgx runs countQuery on a PostgreSQL pool, on the table of the
// schema River's tables are in.
func countPgx(pool *pgxpool.Pool, schema string) counter {
	return func(ctx context.Context, fn func(kind, state string, n int)) error {
		rows, err := pool.Query(ctx, `SELECT kind, state::text, count(*) FROM `+
			pgx.Identifier{schema, "river_job"}.Sanitize()+` GROUP BY kind, state`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var kind, state string
			var n int64
			if err := rows.Scan(&kind, &state, &n); err != nil {
				return err
			}
			fn(kind, state, int(n))
		}
		return rows.Err()
	}
}
