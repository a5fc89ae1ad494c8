// Package queue runs Bridgework's background jobs on River, on the same
// database and connection pool as the store, so jobs are inserted in the same
// transaction as the rows they belong to.
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/bridgework/bridgework/store"
)

// Config tunes a queue client.
type Config struct {
	// Workers is the number of jobs this process runs at once; 0 makes an
	// insert-only client (an API process that never works jobs).
	Workers int
	// FetchCooldown and FetchPollInterval trade latency for database load; zero
	// keeps River's defaults.
	FetchCooldown     time.Duration
	FetchPollInterval time.Duration
	// PeriodicJobs fire on the elected leader only, once per tick across processes.
	PeriodicJobs []*river.PeriodicJob
	// JobTimeout bounds one job; a job still marked running JobTimeout plus
	// RescueGrace after it started (its process died) is run again.
	JobTimeout time.Duration
	// ID names this process's worker stably across restarts (letters, digits,
	// - _ . :). After a crash, a process restarting with the same ID takes
	// back the jobs its predecessor left running at once, instead of after
	// the rescue delay. Empty: River picks a new ID each start.
	ID string
	// PollOnly finds new jobs by polling every FetchPollInterval instead of
	// listening for notifications: for Postgres behind a PgBouncer in
	// transaction pooling mode, where LISTEN does not work.
	PollOnly bool
	Logger   *slog.Logger
}

// RescueGrace is added to the job timeout before a job left running by a
// dead process is considered stuck and retried.
const RescueGrace = 30 * time.Second

// Client enqueues and works jobs.
type Client struct {
	river  *river.Client[*sql.Tx]
	db     *sql.DB
	sqlite bool
	id     string
}

// driver reaches the store's database; listen adds a pgx connection for
// LISTEN on Postgres.
func driver(st *store.Store, listen bool) riverdriver.Driver[*sql.Tx] {
	switch {
	case st.Dialect() != store.Postgres:
		return riversqlite.New(st.SQL())
	case listen:
		// database/sql for queries (shared with GORM), a pgx connection for LISTEN.
		return riverdatabasesql.NewWithPgxListener(st.SQL(), st.PgxPool())
	default:
		return riverdatabasesql.New(st.SQL())
	}
}

// Migrate applies River's own schema migrations; it is idempotent.
func Migrate(ctx context.Context, st *store.Store) error {
	m, err := rivermigrate.New(driver(st, false), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("queue: migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: migrate: %w", err)
	}
	return nil
}

// New builds a client whose jobs are worked by workers.
func New(st *store.Store, workers *river.Workers, cfg Config) (*Client, error) {
	logger := slog.New(slog.DiscardHandler)
	if cfg.Logger != nil {
		logger = slog.New(quietHandler{cfg.Logger.Handler(), slog.LevelWarn})
	}
	rc := &river.Config{
		Logger:            logger,
		Workers:           workers,
		FetchCooldown:     cfg.FetchCooldown,
		FetchPollInterval: cfg.FetchPollInterval,
		PeriodicJobs:      cfg.PeriodicJobs,
		// Runs carry their own retry policy; River's attempts are the ceiling.
		MaxAttempts: 25,
		JobTimeout:  cfg.JobTimeout,
		ID:          cfg.ID,
		PollOnly:    cfg.PollOnly,
	}
	if cfg.JobTimeout > 0 {
		rc.RescueStuckJobsAfter = cfg.JobTimeout + RescueGrace
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	c, err := river.NewClient(driver(st, !cfg.PollOnly), rc)
	if err != nil {
		return nil, fmt.Errorf("queue: new client: %w", err)
	}
	return &Client{river: c, db: st.SQL(), sqlite: st.Dialect() == store.SQLite, id: cfg.ID}, nil
}

// Start begins working jobs; an insert-only client must not be started.
// Jobs left running by a crashed predecessor are made available again at
// once: with SQLite, which only one process may use, all of them; on
// Postgres, those last attempted by a worker with this client's ID.
func (c *Client) Start(ctx context.Context) error {
	var err error
	switch {
	case c.sqlite:
		_, err = c.db.ExecContext(ctx, "UPDATE river_job SET state = 'available' WHERE state = 'running'")
	case c.id != "":
		_, err = c.db.ExecContext(ctx, `UPDATE river_job SET state = 'available'
			WHERE state = 'running' AND attempted_by[array_length(attempted_by, 1)] = $1`, c.id)
	}
	if err != nil {
		return fmt.Errorf("queue: recover jobs of a stopped process: %w", err)
	}
	if err := c.river.Start(ctx); err != nil {
		return fmt.Errorf("queue: start: %w", err)
	}
	return nil
}

// Stop waits for running jobs to finish until ctx ends, then cancels them.
func (c *Client) Stop(ctx context.Context) error {
	err := c.river.Stop(ctx)
	if err == nil {
		return nil
	}
	hard, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.river.StopAndCancel(hard); err != nil {
		return fmt.Errorf("queue: stop: %w", err)
	}
	return nil
}

// InsertTx enqueues a job inside the store transaction tx: the job exists if
// and only if the transaction commits. It returns the job's id.
func (c *Client) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	res, err := c.river.InsertTx(ctx, tx.SQLTx(), args, opts)
	if err != nil {
		return 0, fmt.Errorf("queue: insert %s: %w", args.Kind(), err)
	}
	return res.Job.ID, nil
}

// InsertManyTx inserts several jobs in the caller's transaction in one
// statement and returns their ids in order.
func (c *Client) InsertManyTx(ctx context.Context, tx *store.Tx, jobs []river.InsertManyParams) ([]int64, error) {
	res, err := c.river.InsertManyTx(ctx, tx.SQLTx(), jobs)
	if err != nil {
		return nil, fmt.Errorf("queue: insert %d jobs: %w", len(jobs), err)
	}
	ids := make([]int64, len(res))
	for i, r := range res {
		ids[i] = r.Job.ID
	}
	return ids, nil
}

// Cancel cancels a job: a queued one never runs, a running one has its
// context cancelled. A job that already finished is left alone.
func (c *Client) Cancel(ctx context.Context, jobID int64) error {
	if _, err := c.river.JobCancel(ctx, jobID); err != nil && !errors.Is(err, river.ErrNotFound) {
		return fmt.Errorf("queue: cancel job %d: %w", jobID, err)
	}
	return nil
}

// Backlog counts jobs ready to run and not yet picked up: the depth webhook
// ingestion compares with its limit.
func (c *Client) Backlog(ctx context.Context) (int, error) {
	var n int
	if err := c.db.QueryRowContext(ctx, "SELECT count(*) FROM river_job WHERE state = 'available'").Scan(&n); err != nil {
		return 0, fmt.Errorf("queue: backlog: %w", err)
	}
	return n, nil
}

// Check verifies that River's tables answer.
func (c *Client) Check(ctx context.Context) error {
	if _, err := c.river.JobList(ctx, river.NewJobListParams().First(1)); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

// River exposes the underlying client for workers that need its API
// (snoozing, subscriptions in tests).
func (c *Client) River() *river.Client[*sql.Tx] { return c.river }
