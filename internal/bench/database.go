package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/bridgework/bridgework/internal/testdb"
)

// databases hands out fresh, empty databases: a schema on one Postgres
// server, or a SQLite file in a temporary directory. close drops them all.
type databases struct {
	pgURL   string
	cluster *testdb.Cluster
	dir     string
	schemas []string
}

func newDatabases(ctx context.Context, o Options) (*databases, error) {
	dir, err := os.MkdirTemp("", "bridgework-bench-")
	if err != nil {
		return nil, err
	}
	d := &databases{dir: dir, pgURL: o.PostgresURL}
	for _, db := range o.Databases {
		if db == "postgres" && d.pgURL == "" {
			// A private cluster: other users of a shared server skew the figures.
			if d.cluster, err = testdb.StartCluster(ctx); err != nil {
				os.RemoveAll(dir)
				return nil, err
			}
			d.pgURL = d.cluster.URL
		}
	}
	return d, nil
}

// fresh returns the BRIDGEWORK_DATABASE_URL of a new, empty database.
func (d *databases) fresh(ctx context.Context, dialect string) (string, error) {
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := "bench_" + hex.EncodeToString(suffix)
	if dialect == "sqlite" {
		return "sqlite://" + filepath.Join(d.dir, name+".db"), nil
	}
	db, err := sql.Open("pgx", d.pgURL)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", fmt.Errorf("bench: create schema: %w", err)
	}
	d.schemas = append(d.schemas, name)
	u, err := url.Parse(d.pgURL)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func (d *databases) close() {
	if len(d.schemas) > 0 {
		if db, err := sql.Open("pgx", d.pgURL); err == nil {
			for _, s := range d.schemas {
				db.Exec("DROP SCHEMA " + s + " CASCADE")
			}
			db.Close()
		}
	}
	if d.cluster != nil {
		d.cluster.Stop()
	}
	os.RemoveAll(d.dir)
}
