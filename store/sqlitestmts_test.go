package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// cacheOf returns the statement cache of a connection.
func cacheOf(t *testing.T, conn *sql.Conn) map[string]*cachedStmt {
	t.Helper()
	var stmts map[string]*cachedStmt
	if err := conn.Raw(func(dc any) error {
		stmts = dc.(*cachingConn).stmts
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return stmts
}

// A connection compiles a statement once and reuses it; a query whose
// statement still has rows open runs uncached beside it; a schema change is
// seen by a cached statement; and the cache stays bounded.
func TestSQLiteStatementCache(t *testing.T) {
	ctx := context.Background()
	db := openSQLite(sqliteDSN(filepath.Join(t.TempDir(), "cache.db")))
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)"); err != nil {
		t.Fatal(err)
	}
	const insert = "INSERT INTO items (name) VALUES (?)"
	for i := range 3 {
		if _, err := conn.ExecContext(ctx, insert, fmt.Sprint("item ", i)); err != nil {
			t.Fatal(err)
		}
	}
	before := cacheOf(t, conn)[insert]
	if _, err := conn.ExecContext(ctx, insert, "item 3"); err != nil {
		t.Fatal(err)
	}
	if after := cacheOf(t, conn)[insert]; before == nil || after != before {
		t.Fatalf("the insert was compiled again: %p then %p", before, after)
	}

	const query = "SELECT id, name FROM items WHERE id >= ? ORDER BY id"
	outer, err := conn.QueryContext(ctx, query, 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for outer.Next() {
		var id int
		var name string
		if err := outer.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		if id == 2 { // the same statement while its first rows are open
			var n int
			if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM ("+query+")", 3).Scan(&n); err != nil || n != 2 {
				t.Fatalf("a query beside open rows: %d, %v", n, err)
			}
			inner, err := conn.QueryContext(ctx, query, 4)
			if err != nil {
				t.Fatal(err)
			}
			inner.Next()
			var innerID int
			var innerName string
			if err := inner.Scan(&innerID, &innerName); err != nil || innerID != 4 {
				t.Fatalf("the same query beside its own open rows: %d, %v", innerID, err)
			}
			inner.Close()
		}
	}
	if err := outer.Close(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids) != "[1 2 3 4]" {
		t.Fatalf("rows %v, want [1 2 3 4]: the inner query disturbed the outer rows", ids)
	}
	if cs := cacheOf(t, conn)[query]; cs == nil || cs.busy {
		t.Fatalf("the query's statement is %+v after its rows closed, want cached and idle", cs)
	}

	columns := func() []string {
		rows, err := conn.QueryContext(ctx, "SELECT * FROM items WHERE id >= ? ORDER BY id", 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		return cols
	}
	if cols := columns(); len(cols) != 2 {
		t.Fatalf("columns: %v", cols)
	}
	if _, err := conn.ExecContext(ctx, "ALTER TABLE items ADD COLUMN price REAL"); err != nil {
		t.Fatal(err)
	}
	if cols := columns(); len(cols) != 3 {
		t.Fatalf("columns of the cached SELECT * after ALTER TABLE: %v", cols)
	}

	for i := range stmtCacheMax + 10 {
		if err := conn.QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(new(int)); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(cacheOf(t, conn)); n > stmtCacheMax {
		t.Fatalf("%d statements cached, want at most %d", n, stmtCacheMax)
	}
}
