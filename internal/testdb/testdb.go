package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/store"
)

// Dialects are the databases every storage suite runs against.
var Dialects = []string{store.Postgres, store.SQLite}

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
	cluster    *Cluster
)

// Main wraps testing.M.Run so a throwaway cluster started by this test binary
// is stopped when it exits. Use it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if cluster != nil {
		if err := cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// ServerURL returns the Postgres server shared by this test binary.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	serverOnce.Do(func() { serverURL, cluster, serverErr = FindServer(context.Background()) })
	if serverErr != nil {
		tb.Fatal(serverErr)
	}
	return serverURL
}

// ForEach runs fn as a subtest once per dialect.
func ForEach(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// URL returns a BRIDGEWORK_DATABASE_URL for a fresh, empty database of the
// dialect: a new schema on the test server, or a new SQLite file. It is
// removed when the test ends.
func URL(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == store.SQLite {
		return "sqlite://" + filepath.Join(tb.TempDir(), "bridgework.db")
	}
	u, drop, err := Schema(context.Background(), ServerURL(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(drop)
	return u
}

// Schema creates a fresh, empty schema on the Postgres server at base. It
// returns a URL whose search_path is that schema, and a function dropping it.
func Schema(ctx context.Context, base string) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, fmt.Errorf("testdb: parse %s: %w", base, err)
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer db.Close()
	schema := "t_" + randomHex(8)
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, fmt.Errorf("testdb: create schema: %w", err)
	}
	drop := func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// Open returns a migrated store (Bridgework and River schemas) on a fresh
// database of the dialect, closed when the test ends.
func Open(tb testing.TB, dialect string) *store.Store {
	tb.Helper()
	st := OpenEmpty(tb, URL(tb, dialect))
	ctx := context.Background()
	if _, err := st.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	if err := queue.Migrate(ctx, st); err != nil {
		tb.Fatal(err)
	}
	return st
}

// OpenEmpty opens a store on rawURL without migrating it.
func OpenEmpty(tb testing.TB, rawURL string) *store.Store {
	tb.Helper()
	db, err := config.ParseDatabaseURL(rawURL)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(context.Background(), db, store.Options{MaxConns: 10})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	return st
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
