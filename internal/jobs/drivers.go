package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// NewSQLite returns a Queue on an SQLite database. db must be the store's
// writer pool (sqlite.DB.Writer): tasks are then inserted in the store's
// own transactions, and River's writes queue behind the store's on the
// one connection instead of failing with SQLITE_BUSY.
func NewSQLite(db *sql.DB, cfg Config) (*Queue[*sql.Tx], error) {
	drv := riversqlite.New(db)
	q, err := newQueue(drv, "", cfg)
	if err != nil {
		return nil, err
	}
	q.migrate = func(ctx context.Context) error {
		err := migrateRiver(ctx, drv, "")
		if err != nil {
			// Two processes starting on one file can both find a migration
			// missing; the second then fails, and finds it applied when it
			// tries again.
			time.Sleep(100 * time.Millisecond)
			err = migrateRiver(ctx, drv, "")
		}
		return err
	}
	q.count, q.forget = countSQL(db), forgetSQL
	return q, nil
}

// riverLockID is the PostgreSQL advisory lock held while River's tables
// are migrated.
const riverLockID int64 = 0x766f782d72697672 // "vox-rivr"

// NewPostgres returns a Queue on the PostgreSQL database of the store's
// pool (postgres.DB.Pool). River's tables live in the connection's current
// schema, like the store's.
func NewPostgres(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Queue[pgx.Tx], error) {
	var schema string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("jobs: current schema: %w", err)
	}
	drv := riverpgxv5.New(pool)
	q, err := newQueue(drv, schema, cfg)
	if err != nil {
		return nil, err
	}
	q.migrate = func(ctx context.Context) error {
		// rivermigrate does not lock; processes starting together would
		// race to create the same tables.
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("jobs: migrate: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, riverLockID); err != nil {
			return fmt.Errorf("jobs: migrate lock: %w", err)
		}
		defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, riverLockID)
		return migrateRiver(ctx, drv, schema)
	}
	q.count, q.forget = countPgx(pool, schema), forgetPgx(schema)
	return q, nil
}

// Migrate creates or updates River's tables beside the store's. It is safe
// to call on every start, from several processes at once.
func (q *Queue[TTx]) Migrate(ctx context.Context) error { return q.migrate(ctx) }

func migrateRiver[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], schema string) error {
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Schema: schema, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}

// newQueue builds the River client with every worker registered, so that
// insert-only processes check the kinds they insert too.
func newQueue[TTx any](drv riverdriver.Driver[TTx], schema string, cfg Config) (*Queue[TTx], error) {
	cfg = cfg.withDefaults()
	q := &Queue[TTx]{core: &core{cfg: cfg, log: cfg.Logger}}
	periodic := append([]Periodic{giveUpDiscarded(q)}, cfg.Periodic...)
	byName := map[string]Periodic{}
	for _, p := range periodic {
		if _, dup := byName[p.Name]; dup || p.Name == "" || p.Interval <= 0 || p.Run == nil {
			return nil, fmt.Errorf("jobs: periodic work %q is unnamed, repeated or incomplete", p.Name)
		}
		byName[p.Name] = p
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &taskWorker[cloneArgs]{c: q.core})
	river.AddWorker(workers, &taskWorker[speechArgs]{c: q.core})
	river.AddWorker(workers, &periodicWorker{byName: byName})
	rc := &river.Config{
		Workers: workers, Schema: schema, Logger: slog.New(quietHandler{cfg.Logger.Handler()}),
		JobTimeout: cfg.Timeout, RescueStuckJobsAfter: RescueAfter(cfg.Timeout), MaxAttempts: MaxAttempts,
		FetchPollInterval: cfg.PollInterval,
	}
	if cfg.RetryDelay > 0 {
		rc.RetryPolicy = fixedDelay(cfg.RetryDelay)
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{
			queueClone: {MaxWorkers: cfg.Workers}, queueSpeech: {MaxWorkers: cfg.Workers},
			queueMaintenance: {MaxWorkers: 1},
		}
		rc.PeriodicJobs = periodicJobs(periodic)
	}
	client, err := river.NewClient(drv, rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	q.client = client
	return q, nil
}

// fixedDelay retries after the same wait every time.
type fixedDelay time.Duration

func (d fixedDelay) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(d)) }

// quietHandler passes on River's warnings and errors, and its other lines
// only when the logger is at debug level: River's info lines (leadership,
// starting each service) would drown the one line per request.
type quietHandler struct{ slog.Handler }

func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.Handler.Enabled(ctx, l) && (l >= slog.LevelWarn || h.Handler.Enabled(ctx, slog.LevelDebug))
}

func (h quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return quietHandler{h.Handler.WithAttrs(as)}
}

func (h quietHandler) WithGroup(name string) slog.Handler {
	return quietHandler{h.Handler.WithGroup(name)}
}
