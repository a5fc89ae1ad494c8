package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

func TestBeginAttempt(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a, b := newTenant(t, st, "alpha"), newTenant(t, st, "beta")
		ts := st.Tenant(a.ID)
		flow := &store.Flow{ID: store.NewID(), Name: "f"}
		v, err := ts.CreateFlow(ctx, flow, store.JSON(`{"nodes":[]}`), "test")
		if err != nil {
			t.Fatal(err)
		}
		newRun := func() string {
			r := &store.Run{ID: store.NewID(), FlowID: flow.ID, FlowVersionID: v.ID, Payload: store.JSON(`{"n":1}`)}
			if err := ts.CreateRun(ctx, r); err != nil {
				t.Fatal(err)
			}
			return r.ID
		}

		id := newRun()
		run, prev, err := ts.BeginAttempt(ctx, id)
		var payload bytes.Buffer
		if err == nil {
			err = json.Compact(&payload, run.Payload)
		}
		if err != nil || prev != store.RunQueued || run.Attempt != 1 || run.Status != store.RunRunning || payload.String() != `{"n":1}` {
			t.Fatalf("first begin: run %+v, previous %q, err %v; want attempt 1 running from queued with its payload", run, prev, err)
		}
		run, prev, err = ts.BeginAttempt(ctx, id) // a retry after a crash
		if err != nil || prev != store.RunRunning || run.Attempt != 2 {
			t.Fatalf("retry: attempt %d, previous %q, err %v; want attempt 2 from running", run.Attempt, prev, err)
		}
		if err := ts.SetRunOutcome(ctx, id, store.RunWaiting, "", ""); err != nil {
			t.Fatal(err)
		}
		run, prev, err = ts.BeginAttempt(ctx, id) // resuming after a delay continues the attempt
		if err != nil || prev != store.RunWaiting || run.Attempt != 2 {
			t.Fatalf("resume: attempt %d, previous %q, err %v; want attempt 2 from waiting", run.Attempt, prev, err)
		}
		got, _ := ts.Run(ctx, id)
		if got.Status != store.RunRunning || got.Attempt != 2 || got.StartedAt == nil {
			t.Fatalf("stored run %+v, want running attempt 2 with a start time", got)
		}

		for _, final := range []string{store.RunSucceeded, store.RunFailed, store.RunCancelled} {
			id := newRun()
			if err := ts.SetRunOutcome(ctx, id, final, "", ""); err != nil {
				t.Fatal(err)
			}
			if _, _, err := ts.BeginAttempt(ctx, id); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("%s run: err = %v, want ErrConflict", final, err)
			}
			if got, _ := ts.Run(ctx, id); got.Status != final || got.Attempt != 0 {
				t.Fatalf("%s run changed to %s attempt %d", final, got.Status, got.Attempt)
			}
		}
		if _, _, err := ts.BeginAttempt(ctx, store.NewID()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing run: err = %v, want ErrNotFound", err)
		}
		other := newRun()
		if _, _, err := st.Tenant(b.ID).BeginAttempt(ctx, other); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("another tenant's run: err = %v, want ErrNotFound", err)
		}
		if got, _ := ts.Run(ctx, other); got.Status != store.RunQueued || got.Attempt != 0 {
			t.Fatalf("another tenant started the run: %s attempt %d", got.Status, got.Attempt)
		}
	})
}

func TestSettleRunStoresStepsWithTheOutcome(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a := newTenant(t, st, "alpha")
		ts := st.Tenant(a.ID)
		flow := &store.Flow{ID: store.NewID(), Name: "f"}
		v, err := ts.CreateFlow(ctx, flow, store.JSON(`{"nodes":[]}`), "test")
		if err != nil {
			t.Fatal(err)
		}
		run := &store.Run{ID: store.NewID(), FlowID: flow.ID, FlowVersionID: v.ID}
		if err := ts.CreateRun(ctx, run); err != nil {
			t.Fatal(err)
		}
		now := store.Now()
		until := now.Add(time.Hour)
		steps := []store.RunStep{
			{RunID: run.ID, StepKey: "m", NodeID: "m", NodeType: "map", Status: "succeeded", Input: store.JSON(`{"a":1}`),
				Output: store.JSON(`[1,2]`), Attempt: 1, StartedAt: now, FinishedAt: now},
			{RunID: run.ID, StepKey: "wait", NodeID: "wait", NodeType: "delay", Status: "suspended", Attempt: 1,
				StartedAt: now, FinishedAt: now, UntilAt: &until},
		}
		if err := ts.SettleRun(ctx, run.ID, store.RunWaiting, "", "", steps); err != nil {
			t.Fatal(err)
		}
		got, _ := ts.Run(ctx, run.ID)
		stored, err := ts.RunSteps(ctx, run.ID)
		if err != nil || got.Status != store.RunWaiting || got.FinishedAt != nil || len(stored) != 2 {
			t.Fatalf("run %s (finished %v), %d steps (%v); want waiting, unfinished, 2 steps", got.Status, got.FinishedAt, len(stored), err)
		}
		byKey := map[string]store.RunStep{}
		for _, s := range stored {
			byKey[s.StepKey] = s
		}
		if m := byKey["m"]; m.TenantID != a.ID || !strings.Contains(string(m.Output), "1") || m.Port != "" {
			t.Fatalf("map step stored as %+v", m)
		}
		if w := byKey["wait"]; w.Input != nil || w.UntilAt == nil || !w.UntilAt.Equal(until) {
			t.Fatalf("delay step stored as %+v", w)
		}
		if err := ts.SettleRun(ctx, run.ID, store.RunFailed, "boom", "m", []store.RunStep{
			{RunID: run.ID, StepKey: "m", NodeID: "m", NodeType: "map", Status: "failed", Error: "boom", Attempt: 2, StartedAt: now, FinishedAt: now},
		}); err != nil {
			t.Fatal(err)
		}
		got, _ = ts.Run(ctx, run.ID)
		if got.Status != store.RunFailed || got.Error != "boom" || got.FailedNode != "m" || got.FinishedAt == nil {
			t.Fatalf("failed run stored as %+v", got)
		}
	})
}
