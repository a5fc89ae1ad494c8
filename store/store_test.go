package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/config"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

func TestMigrateIsIdempotent(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		st := testdb.OpenEmpty(t, testdb.URL(t, dialect))
		ctx := context.Background()
		first, err := st.Migrate(ctx)
		if err != nil {
			t.Fatalf("first migrate: %v", err)
		}
		all, _ := store.Migrations(dialect)
		if len(first) != len(all) {
			t.Fatalf("first migrate applied %v, want all %d", first, len(all))
		}
		second, err := st.Migrate(ctx)
		if err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		if len(second) != 0 {
			t.Fatalf("second migrate applied %v, want nothing", second)
		}
	})
}

func TestMigrationsExistForBothDialects(t *testing.T) {
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) != len(lite) {
		t.Fatalf("postgres has %d migrations, sqlite %d: every change needs both", len(pg), len(lite))
	}
	for i := range pg {
		if pg[i].Name != lite[i].Name {
			t.Errorf("migration %d is %s on postgres but %s on sqlite", i, pg[i].Name, lite[i].Name)
		}
	}
}

func newTenant(t *testing.T, st *store.Store, slug string) *store.Tenant {
	t.Helper()
	tn := &store.Tenant{Slug: slug, Name: slug}
	user := &store.User{Email: "admin@" + slug + ".test", PasswordHash: "x", Role: "admin"}
	key := &store.APIKey{Name: "first", Prefix: slug, KeyHash: "hash-" + slug, Role: "admin"}
	if err := st.CreateTenant(context.Background(), tn, user, key); err != nil {
		t.Fatalf("create tenant %s: %v", slug, err)
	}
	return tn
}

func TestTenantScoping(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a, b := newTenant(t, st, "alpha"), newTenant(t, st, "beta")

		conn := &store.Connection{ID: store.NewID(), Name: "erp", Type: "epicor", Config: store.JSON(`{"a":1}`)}
		if err := st.Tenant(a.ID).CreateConnection(ctx, conn); err != nil {
			t.Fatal(err)
		}
		if conn.TenantID != a.ID {
			t.Fatalf("tenant id stamped %q, want %q", conn.TenantID, a.ID)
		}
		if _, err := st.Tenant(b.ID).Connection(ctx, conn.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("tenant b read tenant a's connection: err = %v, want ErrNotFound", err)
		}
		if list, _ := st.Tenant(b.ID).ListConnections(ctx); len(list) != 0 {
			t.Fatalf("tenant b lists %d connections of tenant a", len(list))
		}
		if err := st.Tenant(b.ID).DeleteConnection(ctx, conn.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("tenant b deleted tenant a's connection: err = %v", err)
		}
		got, err := st.Tenant(a.ID).Connection(ctx, conn.ID)
		if err != nil || string(got.Config) == "" {
			t.Fatalf("tenant a cannot read its own connection: %v", err)
		}
		dup := &store.Connection{ID: store.NewID(), Name: "erp", Type: "epicor", Config: store.JSON(`{}`)}
		if err := st.Tenant(a.ID).CreateConnection(ctx, dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate name: err = %v, want ErrConflict", err)
		}
	})
}

func TestTenantOwnedQueryWithoutScopeFails(t *testing.T) {
	st := testdb.Open(t, store.SQLite)
	if _, err := st.UnscopedConnectionCountForTest(context.Background()); !errors.Is(err, store.ErrUnscoped) {
		t.Fatalf("unscoped query: err = %v, want ErrUnscoped", err)
	}
}

func TestSQLiteServesOneProcess(t *testing.T) {
	url := testdb.URL(t, store.SQLite)
	db, _ := config.ParseDatabaseURL(url)
	first, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(context.Background(), db, store.Options{}); err == nil || !strings.Contains(err.Error(), "another Bridgework process") {
		t.Fatalf("second open: %v", err)
	}
	first.Close()
	again, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	again.Close()
}

// Run history is compressed with lz4 on Postgres (migration 0005).
func TestRunHistoryCompressesWithLZ4(t *testing.T) {
	st := testdb.Open(t, store.Postgres)
	rows, err := st.SQL().QueryContext(context.Background(), `SELECT attname, attcompression FROM pg_attribute
WHERE attrelid IN ('runs'::regclass, 'run_steps'::regclass) AND attname IN ('payload', 'input', 'output')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var name, method string
		if err := rows.Scan(&name, &method); err != nil {
			t.Fatal(err)
		}
		got[name] = method
	}
	for _, col := range []string{"payload", "input", "output"} {
		if got[col] != "l" {
			t.Errorf("column %s compression %q, want l (lz4): %v", col, got[col], got)
		}
	}
}
