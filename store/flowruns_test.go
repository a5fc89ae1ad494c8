package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// FlowRunSummaries finds each flow's newest run and counts the window's
// finished runs of the scoped tenant only: runs finished before the window,
// still active or cancelled are not counted, and another tenant's rows never
// are, even one pointing at this tenant's flow.
func TestFlowRunSummaries(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a, b := newTenant(t, st, "alpha"), newTenant(t, st, "beta")
		ta, tb := st.Tenant(a.ID), st.Tenant(b.ID)
		def := store.JSON(`{"nodes":[],"edges":[]}`)
		busy, idle := &store.Flow{Name: "busy"}, &store.Flow{Name: "idle"}
		vBusy, err := ta.CreateFlow(ctx, busy, def, "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ta.CreateFlow(ctx, idle, def, "test"); err != nil {
			t.Fatal(err)
		}
		other := &store.Flow{Name: "other"}
		vOther, err := tb.CreateFlow(ctx, other, def, "test")
		if err != nil {
			t.Fatal(err)
		}

		now := store.Now()
		since := now.Add(-24 * time.Hour)
		at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
		add := func(ts *store.Scoped, flowID, versionID, status string, created time.Duration, finished *time.Time) *store.Run {
			t.Helper()
			r := &store.Run{FlowID: flowID, FlowVersionID: versionID, Status: status, CreatedAt: now.Add(created), UpdatedAt: now}
			r.StartedAt, r.FinishedAt = at(created+time.Second), finished
			if err := ts.CreateRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		add(ta, busy.ID, vBusy.ID, store.RunFailed, -30*time.Hour, at(-29*time.Hour))        // before the window
		add(ta, busy.ID, vBusy.ID, store.RunFailed, -25*time.Hour, at(-23*time.Hour))        // started before, finished inside
		add(ta, busy.ID, vBusy.ID, store.RunSucceeded, -3*time.Hour, at(-3*time.Hour))       // inside
		add(ta, busy.ID, vBusy.ID, store.RunSucceeded, -2*time.Hour, at(-2*time.Hour))       // inside
		add(ta, busy.ID, vBusy.ID, store.RunCancelled, -90*time.Minute, at(-89*time.Minute)) // not an outcome
		last := add(ta, busy.ID, vBusy.ID, store.RunWaiting, -time.Minute, nil)              // newest, not finished
		add(tb, busy.ID, vBusy.ID, store.RunFailed, -time.Second, at(-time.Second))          // another tenant's row
		add(tb, other.ID, vOther.ID, store.RunFailed, -time.Hour, at(-time.Hour))

		got, err := ta.FlowRunSummaries(ctx, []string{busy.ID, idle.ID, other.ID}, since)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("summaries for %d flows, want busy and idle only: %+v", len(got), got)
		}
		s := got[busy.ID]
		if s.Finished != 3 || s.Failed != 1 {
			t.Errorf("busy: %d finished, %d failed in the window; want 3 and 1", s.Finished, s.Failed)
		}
		if s.LastRun == nil || s.LastRun.ID != last.ID || s.LastRun.Status != store.RunWaiting || s.LastRun.FinishedAt != nil {
			t.Fatalf("busy: last run %+v, want the waiting run %s", s.LastRun, last.ID)
		}
		if !s.LastRun.CreatedAt.Equal(last.CreatedAt) || s.LastRun.StartedAt == nil || !s.LastRun.StartedAt.Equal(*last.StartedAt) {
			t.Errorf("busy: last run times %v/%v, want %v/%v", s.LastRun.CreatedAt, s.LastRun.StartedAt, last.CreatedAt, *last.StartedAt)
		}
		if s := got[idle.ID]; s.LastRun != nil || s.Finished != 0 || s.Failed != 0 {
			t.Errorf("idle: %+v, want no runs", s)
		}

		mine, err := tb.FlowRunSummaries(ctx, []string{other.ID}, since)
		if err != nil {
			t.Fatal(err)
		}
		if s := mine[other.ID]; s.Finished != 1 || s.Failed != 1 || s.LastRun == nil {
			t.Errorf("other tenant's own flow: %+v", s)
		}
		if none, err := ta.FlowRunSummaries(ctx, nil, since); err != nil || len(none) != 0 {
			t.Errorf("no flows: %v, %v", none, err)
		}
	})
}
