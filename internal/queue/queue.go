// Package queue runs Bridgework's background jobs on River, on the same
// database and connection pool as the store, so jobs are inserted in the same
// transaction as the rows they belong to.
package queue

import (
	"context"
	"database/sql"
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
	Logger       *slog.Logger
}

// Client enqueues and works jobs.
type Client struct {
	river *river.Client[*sql.Tx]
}

func driver(st *store.Store) riverdriver.Driver[*sql.Tx] {
	if st.Dialect() == store.Postgres {
		// database/sql for queries (shared with GORM), a pgx connection for LISTEN.
		return riverdatabasesql.NewWithPgxListener(st.SQL(), st.PgxPool())
	}
	return riversqlite.New(st.SQL())
}

// Migrate applies River's own schema migrations; it is idempotent.
func Migrate(ctx context.Context, st *store.Store) error {
	m, err := rivermigrate.New(driver(st), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
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
	}
	if cfg.Workers > 0 {
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	c, err := river.NewClient(driver(st), rc)
	if err != nil {
		return nil, fmt.Errorf("queue: new client: %w", err)
	}
	return &Client{river: c}, nil
}

// Start begins working jobs; an insert-only client must not be started.
func (c *Client) Start(ctx context.Context) error {
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
// and only if the transaction commits.
func (c *Client) InsertTx(ctx context.Context, tx *store.Tx, args river.JobArgs, opts *river.InsertOpts) error {
	if _, err := c.river.InsertTx(ctx, tx.SQLTx(), args, opts); err != nil {
		return fmt.Errorf("queue: insert %s: %w", args.Kind(), err)
	}
	return nil
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
