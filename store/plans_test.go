package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// The statements that start and settle runs are planned for their arguments
// at every execution, not prepared: a prepared statement keeps the generic
// plan Postgres made for it, and one made while runs was small (a new
// install) scans the whole table for every batch as the table grows.
func TestBatchedRunStatementsArePlannedForTheirRuns(t *testing.T) {
	if !slices.Contains(testdb.Dialects, "postgres") {
		t.Skip("Postgres plans only")
	}
	ctx := context.Background()
	st := testdb.Open(t, "postgres")
	// One connection, so the statements it prepared can be listed.
	st.SQL().SetMaxOpenConns(1)
	ts := st.Tenant(newTenant(t, st, "alpha").ID)
	// More executions than Postgres makes custom plans for before it
	// settles on a generic one.
	for range 8 {
		run := newRun(t, ts)
		if _, _, err := begin(st, ts.TenantID(), run.ID); err != nil {
			t.Fatal(err)
		}
		if err := settle(st, ts.TenantID(), run.ID, store.RunSucceeded, "", "", nil); err != nil {
			t.Fatal(err)
		}
	}
	var prepared int
	if err := st.SQL().QueryRowContext(ctx, `SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%jsonb_to_recordset%' AND statement NOT LIKE '%pg_prepared_statements%'`).Scan(&prepared); err != nil {
		t.Fatal(err)
	}
	if prepared != 0 {
		t.Errorf("%d batched run statements prepared, want none", prepared)
	}

	// Planned for two runs of a table of thousands (not analysed yet, as on
	// a new install), they reach the runs through the primary key.
	run := newRun(t, ts)
	if _, err := st.SQL().ExecContext(ctx, `INSERT INTO runs SELECT (jsonb_populate_record(r, jsonb_build_object('id', r.id || '-' || g))).*
		FROM runs r, generate_series(1, 5000) g WHERE r.id = $1`, run.ID); err != nil {
		t.Fatal(err)
	}
	keys, _ := json.Marshal([]map[string]string{{"id": run.ID, "tenant_id": ts.TenantID()}, {"id": run.ID + "-1", "tenant_id": ts.TenantID()}})
	outcomes, _ := json.Marshal([]map[string]any{{"id": run.ID, "tenant_id": ts.TenantID(), "status": "succeeded", "error": "", "failed_node": "", "finished": true}})
	ids := []string{run.ID, run.ID + "-1"}
	now := store.Now()
	for name, c := range map[string]struct {
		sql  string
		args []any
	}{
		"start":  {store.BeginAttemptsSQLForTest, []any{string(keys), ids, now, now}},
		"settle": {store.SettleRunsSQLForTest, []any{"[]", string(outcomes), ids, now, now}},
	} {
		plan := explain(t, st.SQL(), "EXPLAIN (COSTS OFF) "+c.sql, append([]any{pgx.QueryExecModeExec}, c.args...)...)
		if strings.Contains(plan, "Seq Scan on runs") || !strings.Contains(plan, "runs_pkey") {
			t.Errorf("%s: want the runs reached through runs_pkey, got the plan\n%s", name, plan)
		}
	}
}

// A ledger entry is settled by its id. With a generic plan made on an empty
// table, Postgres must still use the primary key, not the tenant's unique
// index on idempotency keys (which would walk all the tenant's entries).
func TestSettlingALedgerEntryKeepsToItsPrimaryKey(t *testing.T) {
	if !slices.Contains(testdb.Dialects, "postgres") {
		t.Skip("Postgres plans only")
	}
	ctx := context.Background()
	st := testdb.Open(t, "postgres")
	conn, err := st.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// SettleEffect, as the store's tenant scope sends it.
	update := `UPDATE "effects" SET "error"=$1,"output"=$2,"status"=$3,"updated_at"=$4 WHERE id = $5 AND "effects"."tenant_id" = $6`
	args := `'', NULL, 'succeeded', now(), 'e1', 't1'`
	for _, q := range []string{"SET plan_cache_mode = force_generic_plan", "PREPARE settle_effect AS " + update,
		fmt.Sprintf("EXECUTE settle_effect(%s)", args)} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	plan := explain(t, conn, fmt.Sprintf("EXPLAIN (COSTS OFF) EXECUTE settle_effect(%s)", args))
	if !strings.Contains(plan, "effects_pkey") {
		t.Errorf("want the entry reached through effects_pkey, got the plan\n%s", plan)
	}
}

// explain returns the plan EXPLAIN prints for query, one line per row.
func explain(t *testing.T, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}

// Sent unprepared, the batched statements still run in the transaction of
// the store they are called on.
func TestUnpreparedStatementsJoinTheStoresTransaction(t *testing.T) {
	if !slices.Contains(testdb.Dialects, "postgres") {
		t.Skip("the unprepared path is Postgres's")
	}
	ctx := context.Background()
	st := testdb.Open(t, "postgres")
	ts := st.Tenant(newTenant(t, st, "alpha").ID)
	run := newRun(t, ts)
	rollback := errors.New("roll back")
	err := st.InTx(ctx, func(tx *store.Tx) error {
		a := &store.AttemptStart{TenantID: ts.TenantID(), RunID: run.ID}
		tx.BeginAttempts(ctx, []*store.AttemptStart{a})
		if a.Err != nil {
			return a.Err
		}
		if err := tx.SettleRuns(ctx, []*store.Settlement{{TenantID: ts.TenantID(), RunID: run.ID, Status: store.RunSucceeded}}); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	got, err := ts.Run(ctx, run.ID)
	if err != nil || got.Status != store.RunQueued || got.Attempt != 0 {
		t.Errorf("after the rollback the run is %+v (%v), want it queued with no attempt", got, err)
	}
}
