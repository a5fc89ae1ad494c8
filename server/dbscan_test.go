package server_test

import (
	"context"
	"fmt"
)

// tenantTables are the tables whose rows carry a tenant_id.
var tenantTables = []string{"users", "api_keys", "connections", "flows", "flow_versions", "runs", "run_steps",
	"hooks", "schedules", "event_triggers", "audit_log"}

// placeholder is the dialect's first bind parameter.
func (h *harness) placeholder() string {
	if h.store.Dialect() == "postgres" {
		return "$1"
	}
	return "?"
}

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
		q := fmt.Sprintf("SELECT count(*) FROM %s WHERE %s = %s", table, col, h.placeholder())
		if err := h.store.SQL().QueryRowContext(context.Background(), q, tenantID).Scan(&n); err != nil {
			h.t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}
