package bench

import (
	"context"
	"fmt"
	"os"

	"github.com/bridgework/bridgework/internal/testdb"
)

// databases hands out fresh, empty databases: a schema on one Postgres
// server, or a SQLite file in a temporary directory. close drops them all.
type databases struct {
	pgURL   string
	cluster *testdb.Cluster
	dir     string
	files   int
	drops   []func()
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
	if dialect == "sqlite" {
		d.files++
		return fmt.Sprintf("sqlite://%s/bench-%d.db", d.dir, d.files), nil
	}
	u, drop, err := testdb.Schema(ctx, d.pgURL)
	if err != nil {
		return "", err
	}
	d.drops = append(d.drops, drop)
	return u, nil
}

func (d *databases) close() {
	for _, drop := range d.drops {
		drop()
	}
	if d.cluster != nil {
		d.cluster.Stop()
	}
	os.RemoveAll(d.dir)
}
