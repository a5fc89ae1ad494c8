package runner_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// assemble builds the application's parts on st, working no jobs.
func assemble(t *testing.T, st *store.Store) *app.Parts {
	t.Helper()
	box, _ := secret.NewBox(bytes.Repeat([]byte{1}, 32))
	parts, err := app.Assemble(st, app.Options{Tokens: auth.NewTokens("0123456789abcdef0123456789abcdef", time.Hour), Box: box,
		PublicURL: "http://x.test", MaxBodyBytes: 1 << 20, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

// A due schedule fires exactly once per tick, even when several processes'
// tick workers run at the same moment, and moves to its next firing.
func TestScheduleFiresOncePerTick(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		st := testdb.Open(t, dialect)
		parts := assemble(t, st)
		tenant := &store.Tenant{Slug: "acme", Name: "Acme"}
		if err := st.CreateTenant(ctx, tenant, &store.User{Email: "a@acme.test", PasswordHash: "x", Role: "admin"},
			&store.APIKey{Name: "k", Prefix: "p", KeyHash: "h", Role: "admin"}); err != nil {
			t.Fatal(err)
		}
		ts := st.Tenant(tenant.ID)
		def, _ := json.Marshal(map[string]any{
			"nodes": []map[string]any{
				{"id": "tick", "type": "trigger.schedule", "config": map[string]any{"interval": "10m"}},
				{"id": "m", "type": "map", "config": map[string]any{"jq": ".scheduled_at"}},
			},
			"edges": []map[string]any{{"from": "tick", "to": "m"}},
		})
		flow := &store.Flow{Name: "Nightly"}
		if _, err := ts.CreateFlow(ctx, flow, def, "test"); err != nil {
			t.Fatal(err)
		}
		due := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
		if err := ts.PublishFlow(ctx, flow.ID, 1, store.Triggers{Schedule: &store.Schedule{NodeID: "tick", NextRunAt: due}}); err != nil {
			t.Fatal(err)
		}
		now := due.Add(time.Second)
		tick := func() {
			w := &runner.TickWorker{Enqueuer: parts.Enqueuer, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
			if err := w.Work(ctx, &river.Job[runner.TickArgs]{}); err != nil {
				t.Error(err)
			}
		}
		var wg sync.WaitGroup
		for range 3 { // three processes ticking at once
			wg.Add(1)
			go func() { defer wg.Done(); tick() }()
		}
		wg.Wait()
		runs, total, err := ts.ListRuns(ctx, store.RunFilter{FlowID: flow.ID, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 {
			t.Fatalf("one due tick started %d runs, want 1", total)
		}
		got, _ := ts.Run(ctx, runs[0].ID)
		var payload map[string]string
		if json.Unmarshal(got.Payload, &payload); payload["scheduled_at"] != "2026-11-27T03:00:00Z" {
			t.Errorf("payload %s", got.Payload)
		}
		tick() // the same moment again: nothing is due any more
		if _, total, _ := ts.ListRuns(ctx, store.RunFilter{FlowID: flow.ID, Limit: 10}); total != 1 {
			t.Fatalf("a second tick at the same time started another run (%d)", total)
		}
		pending, err := st.DueSchedules(ctx, now.Add(10*time.Minute), 10)
		if err != nil || len(pending) != 1 || !pending[0].NextRunAt.After(now) {
			t.Fatalf("the schedule did not move to its next firing: %+v %v", pending, err)
		}
	})
}
