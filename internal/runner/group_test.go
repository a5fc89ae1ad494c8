package runner_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// Concurrent enqueues share transactions: every call still gets its own run
// with its own job, in its own tenant, a dedupe key starts one run however
// many deliveries carry it at once, and a payload the database refuses fails
// only its own call.
func TestConcurrentEnqueuesCommitTogether(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := testdb.Open(t, dialect)
		parts := assemble(t, st)
		def, _ := json.Marshal(map[string]any{
			"nodes": []map[string]any{
				{"id": "hook", "type": "trigger.webhook", "config": map[string]any{"auth": map[string]any{"mode": "none"}}},
				{"id": "m", "type": "map", "config": map[string]any{"jq": "."}},
			},
			"edges": []map[string]any{{"from": "hook", "to": "m"}},
		})
		type target struct {
			ts      *store.Scoped
			flow    *store.Flow
			version *store.FlowVersion
		}
		newTarget := func(slug string) target {
			tenant := &store.Tenant{Slug: slug, Name: slug}
			if err := st.CreateTenant(ctx, tenant, &store.User{Email: "a@" + slug + ".test", PasswordHash: "x", Role: "admin"},
				&store.APIKey{Name: "k", Prefix: slug, KeyHash: "h" + slug, Role: "admin"}); err != nil {
				t.Fatal(err)
			}
			ts := st.Tenant(tenant.ID)
			flow := &store.Flow{Name: "Orders"}
			v, err := ts.CreateFlow(ctx, flow, def, "test")
			if err != nil {
				t.Fatal(err)
			}
			return target{ts, flow, v}
		}
		a, b := newTarget("alpha"), newTarget("beta")

		type outcome struct {
			target    target
			key       string
			runID     string
			duplicate bool
			err       error
		}
		var calls []*outcome
		for i := range 120 {
			calls = append(calls, &outcome{target: a}, &outcome{target: b})
			calls = append(calls, &outcome{target: a, key: fmt.Sprintf("order-%d", i%40)}) // each key three times
		}
		refused := &outcome{target: a}
		calls = append(calls, refused)
		var wg sync.WaitGroup
		for i, c := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				payload := fmt.Appendf(nil, `{"n":%d}`, i)
				if c == refused {
					payload = []byte(`{"note":"nul \u0000 byte"}`) // Postgres refuses NUL in jsonb
				}
				run, dup, err := parts.Enqueuer.Enqueue(ctx, runner.Start{TenantID: c.target.ts.TenantID(), Flow: c.target.flow,
					Version: c.target.version, Payload: payload, DedupeKey: c.key})
				c.err, c.duplicate = err, dup
				if err == nil {
					c.runID = run.ID
				}
			}()
		}
		wg.Wait()

		firsts := map[string]string{}
		ids := map[string]bool{}
		for _, c := range calls {
			if c == refused {
				if dialect == store.Postgres && c.err == nil {
					t.Error("Postgres stored a payload with a NUL byte")
				}
				continue
			}
			if c.err != nil {
				t.Fatalf("enqueue failed: %v", c.err)
			}
			run, err := c.target.ts.Run(ctx, c.runID)
			if err != nil || run.JobID == nil {
				t.Fatalf("run %s in its own tenant: %+v, %v", c.runID, run, err)
			}
			other := a
			if c.target.ts == a.ts {
				other = b
			}
			if _, err := other.ts.Run(ctx, c.runID); err == nil {
				t.Fatalf("run %s is visible to the other tenant", c.runID)
			}
			if c.key == "" {
				if c.duplicate || ids[c.runID] {
					t.Fatalf("a call without a dedupe key shares run %s", c.runID)
				}
				ids[c.runID] = true
				continue
			}
			if first, ok := firsts[c.key]; ok && first != c.runID {
				t.Fatalf("dedupe key %s started runs %s and %s", c.key, first, c.runID)
			}
			firsts[c.key] = c.runID
		}
		fresh := 0
		for _, c := range calls {
			if c.key != "" && !c.duplicate {
				fresh++
			}
		}
		if fresh != 40 {
			t.Errorf("%d deliveries with a dedupe key were answered as new, want 40 (one per key)", fresh)
		}
		_, totalA, _ := a.ts.ListRuns(ctx, store.RunFilter{Limit: 1})
		_, totalB, _ := b.ts.ListRuns(ctx, store.RunFilter{Limit: 1})
		wantA := int64(120 + 40)
		if dialect == store.SQLite {
			wantA++ // SQLite stores the NUL byte
		}
		if totalA != wantA || totalB != 120 {
			t.Fatalf("runs stored: alpha %d, beta %d; want %d and 120", totalA, totalB, wantA)
		}
		var jobs int
		if err := st.SQL().QueryRowContext(ctx, "SELECT count(*) FROM river_job").Scan(&jobs); err != nil || int64(jobs) != wantA+120 {
			t.Fatalf("%d jobs for %d runs (%v)", jobs, wantA+120, err)
		}
	})
}
