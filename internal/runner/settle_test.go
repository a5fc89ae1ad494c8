package runner

import (
	"context"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// Runs settling together are stored together; when one settlement is refused
// (here: steps of a run that does not exist), the others are still stored and
// only that one reports the error.
func TestSettleBatchIsolatesARefusedRun(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := testdb.Open(t, dialect)
		ts, flow, v := tenantWithFlow(t, st, store.JSON(`{"nodes":[]}`))
		now := store.Now()
		call := func(runID string) *settleCall {
			return &settleCall{ctx: ctx, s: store.Settlement{TenantID: ts.TenantID(), RunID: runID, Status: store.RunSucceeded,
				Steps: []store.RunStep{{RunID: runID, StepKey: "m", NodeID: "m", NodeType: "map", Status: "succeeded",
					Attempt: 1, StartedAt: now, FinishedAt: now}}}}
		}
		var good []*settleCall
		for range 2 {
			run := &store.Run{ID: store.NewID(), FlowID: flow.ID, FlowVersionID: v.ID}
			if err := ts.CreateRun(ctx, run); err != nil {
				t.Fatal(err)
			}
			good = append(good, call(run.ID))
		}
		refused := call(store.NewID())
		w := &Worker{Store: st}
		w.settleBatch([]*settleCall{good[0], refused, good[1]})
		if refused.err == nil {
			t.Error("steps of a missing run were stored")
		}
		for i, c := range good {
			run, _ := ts.Run(ctx, c.s.RunID)
			steps, _ := ts.RunSteps(ctx, c.s.RunID)
			if c.err != nil || run.Status != store.RunSucceeded || len(steps) != 1 {
				t.Errorf("run %d settled beside a refused one: err %v, status %s, %d steps", i, c.err, run.Status, len(steps))
			}
		}
	})
}

// tenantWithFlow provisions a tenant with one flow of definition def.
func tenantWithFlow(tb testing.TB, st *store.Store, def store.JSON) (*store.Scoped, *store.Flow, *store.FlowVersion) {
	tb.Helper()
	ctx := context.Background()
	tenant := &store.Tenant{Slug: "acme", Name: "Acme"}
	if err := st.CreateTenant(ctx, tenant, &store.User{Email: "a@acme.test", PasswordHash: "x", Role: "admin"},
		&store.APIKey{Name: "k", Prefix: "p", KeyHash: "h", Role: "admin"}); err != nil {
		tb.Fatal(err)
	}
	ts := st.Tenant(tenant.ID)
	flow := &store.Flow{Name: "Orders"}
	v, err := ts.CreateFlow(ctx, flow, def, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return ts, flow, v
}
