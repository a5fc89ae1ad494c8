package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/bridgework/bridgework/migrations"
)

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the embedded migrations for a dialect in order.
func Migrations(dialect string) ([]Migration, error) {
	entries, err := fs.ReadDir(migrations.FS, dialect)
	if err != nil {
		return nil, fmt.Errorf("store: read %s migrations: %w", dialect, err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("store: migration %s/%s is not named NNNN_description.sql", dialect, name)
		}
		body, err := fs.ReadFile(migrations.FS, path.Join(dialect, name))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s: %w", name, err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("store: two %s migrations share version %d", dialect, out[i].Version)
		}
	}
	return out, nil
}

// Migrate applies every migration not yet recorded in bridgework_migrations,
// each in its own transaction. It is safe to run concurrently from several
// processes on Postgres (an advisory lock serialises them) and to run again.
// It returns the versions it applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	all, err := Migrations(s.dialect)
	if err != nil {
		return nil, err
	}
	create := `CREATE TABLE IF NOT EXISTS bridgework_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMP NOT NULL)`
	if err := s.db.WithContext(ctx).Exec(create).Error; err != nil {
		return nil, fmt.Errorf("store: create migrations table: %w", err)
	}
	var applied []int
	for _, m := range all {
		done := false
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if s.dialect == Postgres {
				// Serialise concurrent migrators; the lock ends with the transaction.
				if err := tx.Exec("SELECT pg_advisory_xact_lock(7243145)").Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Raw("SELECT count(*) FROM bridgework_migrations WHERE version = ?", m.Version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := tx.Exec(m.SQL).Error; err != nil {
				return err
			}
			done = true
			return tx.Exec("INSERT INTO bridgework_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.Version, m.Name, Now()).Error
		})
		if err != nil {
			return applied, fmt.Errorf("store: apply migration %s: %w", m.Name, err)
		}
		if done {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

// LockMigrations keeps every other process from migrating the database
// until unlock is called. On Postgres it holds a transaction-scoped advisory
// lock in a transaction of its own, which also holds behind a PgBouncer in
// transaction pooling mode (River's migrator does not serialise itself). On
// SQLite it does nothing: only one process can open the file.
func (s *Store) LockMigrations(ctx context.Context) (unlock func(), err error) {
	if s.pool == nil {
		return func() {}, nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: lock migrations: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(7243146)"); err != nil {
		tx.Rollback(context.Background())
		return nil, fmt.Errorf("store: lock migrations: %w", err)
	}
	return func() { tx.Rollback(context.Background()) }, nil
}
