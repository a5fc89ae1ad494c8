package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// tenantTables are the tables whose rows carry a tenant_id.
var tenantTables = []string{"users", "api_keys", "connections", "flows", "flow_versions", "runs", "run_steps",
	"hooks", "schedules", "event_triggers", "audit_log"}

// rowsOfTenant counts a tenant's rows in every tenant-owned table, and its
// row in tenants.
func (h *harness) rowsOfTenant(tenantID string) map[string]int {
	h.t.Helper()
	out := map[string]int{}
	for _, table := range append([]string{"tenants"}, tenantTables...) {
		col := "tenant_id"
		if table == "tenants" {
			col = "id"
		}
		var n int
		q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s = %s", table, col, placeholder(h.store.Dialect()))
		if err := h.store.SQL().QueryRowContext(context.Background(), q, tenantID).Scan(&n); err != nil {
			h.t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// dumpDatabase returns the text of every row of every table (Bridgework's and
// River's), one line per row, for searching.
func (h *harness) dumpDatabase() string {
	h.t.Helper()
	ctx := context.Background()
	q := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if h.store.Dialect() == "postgres" {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
	}
	tables, err := h.store.SQL().QueryContext(ctx, q)
	if err != nil {
		h.t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			h.t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	if len(names) < len(tenantTables) {
		h.t.Fatalf("found only tables %v", names)
	}
	var b strings.Builder
	for _, name := range names {
		rows, err := h.store.SQL().QueryContext(ctx, "SELECT * FROM "+name)
		if err != nil {
			h.t.Fatalf("dump %s: %v", name, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				h.t.Fatalf("dump %s: %v", name, err)
			}
			b.WriteString(name + ":")
			for _, v := range vals {
				b.WriteString(" " + string(v))
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	return b.String()
}
