// Package store is Bridgework's persistence layer: GORM models behind
// tenant-scoped methods, on Postgres or an embedded SQLite file. Nothing
// outside this package imports GORM.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/store/sqlitedialect"
)

// Dialect names.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// ErrNotFound is returned when a row does not exist or belongs to another tenant.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write would break a uniqueness rule or was
// based on a stale version.
var ErrConflict = errors.New("conflict")

// Store is a handle on the database. Its zero value is not usable; call Open.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	pool    *pgxpool.Pool
	lock    *os.File // SQLite: the single-process lock
	dialect string
	// The caches of hot configuration reads (see configCache), shared with
	// the Store of transactions.
	caches *caches
}

// caches are a Store's configuration caches and their generation counter.
type caches struct {
	gen         atomic.Uint64
	deliveries  *configCache[HookDelivery]
	connections *configCache[Connection]
}

// Options tune the connection pool.
type Options struct {
	MaxConns int // Postgres pool size; 0 picks a default
	// QueryTracer, on Postgres, sees every query (benchmarks count round trips).
	QueryTracer pgx.QueryTracer
}

// Open connects to the database named by db. For SQLite the file's directory
// is created, and GORM and River share one *sql.DB.
func Open(ctx context.Context, db config.Database, opts Options) (*Store, error) {
	s := &Store{dialect: db.Dialect}
	var dialector gorm.Dialector
	switch db.Dialect {
	case Postgres:
		pcfg, err := pgxpool.ParseConfig(db.URL)
		if err != nil {
			return nil, fmt.Errorf("store: parse postgres URL: %w", err)
		}
		if opts.MaxConns > 0 {
			pcfg.MaxConns = int32(opts.MaxConns)
		} else if !strings.Contains(db.URL, "pool_max_conns") {
			pcfg.MaxConns = 30
		}
		if opts.QueryTracer != nil {
			pcfg.ConnConfig.Tracer = opts.QueryTracer
		}
		s.pool, err = pgxpool.NewWithConfig(ctx, pcfg)
		if err != nil {
			return nil, fmt.Errorf("store: connect to postgres: %w", err)
		}
		s.sqlDB = stdlib.OpenDBFromPool(s.pool)
		// database/sql keeps only 2 idle connections by default and hands the
		// rest back to the pool after each use: under load every query then
		// pays for a fresh connection wrapper. Keep as many as the pool has.
		s.sqlDB.SetMaxOpenConns(int(pcfg.MaxConns))
		s.sqlDB.SetMaxIdleConns(int(pcfg.MaxConns))
		dialector = postgres.New(postgres.Config{Conn: s.sqlDB})
	case SQLite:
		if err := os.MkdirAll(filepath.Dir(db.Path), 0o700); err != nil {
			return nil, fmt.Errorf("store: create data directory: %w", err)
		}
		var err error
		if s.lock, err = lockFile(db.Path); err != nil {
			return nil, err
		}
		s.sqlDB = openSQLite(sqliteDSN(db.Path))
		// Writers are serialised by SQLite itself (BEGIN IMMEDIATE + busy_timeout);
		// a few connections let readers proceed in parallel under WAL.
		s.sqlDB.SetMaxOpenConns(4)
		s.sqlDB.SetMaxIdleConns(4)
		s.sqlDB.SetConnMaxIdleTime(0)
		dialector = sqlitedialect.New(s.sqlDB)
	default:
		return nil, fmt.Errorf("store: unknown dialect %q", db.Dialect)
	}
	gdb, err := gorm.Open(dialector, &gorm.Config{
		Logger:                 logger.Discard,
		NowFunc:                Now,
		SkipDefaultTransaction: true,
		TranslateError:         true,
	})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := registerTenancy(gdb); err != nil {
		s.Close()
		return nil, err
	}
	s.caches = &caches{}
	s.caches.deliveries = newConfigCache[HookDelivery](&s.caches.gen)
	s.caches.connections = newConfigCache[Connection](&s.caches.gen)
	if err := registerConfigInvalidation(gdb, &s.caches.gen); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: register cache callbacks: %w", err)
	}
	s.db = gdb
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN turns a path into a modernc.org/sqlite DSN with the settings
// Bridgework relies on: WAL, a busy timeout, foreign keys, immediate write
// transactions and a sortable time format.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

// Now is the store's clock: UTC with microsecond precision, which both
// databases keep exactly.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Dialect reports "postgres" or "sqlite".
func (s *Store) Dialect() string { return s.dialect }

// SQL returns the shared connection pool (River's driver uses it).
func (s *Store) SQL() *sql.DB { return s.sqlDB }

// PgxPool returns the native Postgres pool (River listens on it); nil on SQLite.
func (s *Store) PgxPool() *pgxpool.Pool { return s.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Close releases the connections.
func (s *Store) Close() {
	if s.sqlDB != nil {
		s.sqlDB.Close()
	}
	if s.pool != nil {
		s.pool.Close()
	}
	if s.lock != nil {
		s.lock.Close()
	}
}

// Tx is a store bound to one database transaction.
type Tx struct {
	Store
}

// SQLTx exposes the transaction so River can insert jobs in it.
func (tx *Tx) SQLTx() *sql.Tx {
	t, _ := tx.db.Statement.ConnPool.(*sql.Tx)
	return t
}

// InTx runs fn in a transaction, committing when it returns nil.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return s.db.WithContext(ctx).Transaction(func(gtx *gorm.DB) error {
		return fn(&Tx{Store{db: gtx, sqlDB: s.sqlDB, pool: s.pool, dialect: s.dialect, caches: s.caches}})
	})
}

// translate maps GORM's errors to the store's.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey), isUniqueViolation(err):
		return fmt.Errorf("%w: %v", ErrConflict, err)
	}
	return err
}

// isUniqueViolation recognises SQLite's unique-constraint error, which GORM's
// translator does not know for the modernc driver.
func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
