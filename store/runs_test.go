package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
		run, prev, err := begin(st, a.ID, id)
		var payload bytes.Buffer
		if err == nil {
			err = json.Compact(&payload, run.Payload)
		}
		if err != nil || prev != store.RunQueued || run.Attempt != 1 || run.Status != store.RunRunning || payload.String() != `{"n":1}` {
			t.Fatalf("first begin: run %+v, previous %q, err %v; want attempt 1 running from queued with its payload", run, prev, err)
		}
		run, prev, err = begin(st, a.ID, id) // a retry after a crash
		if err != nil || prev != store.RunRunning || run.Attempt != 2 {
			t.Fatalf("retry: attempt %d, previous %q, err %v; want attempt 2 from running", run.Attempt, prev, err)
		}
		if err := ts.SetRunOutcome(ctx, id, store.RunWaiting, "", ""); err != nil {
			t.Fatal(err)
		}
		run, prev, err = begin(st, a.ID, id) // resuming after a delay continues the attempt
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
			if _, _, err := begin(st, a.ID, id); !errors.Is(err, store.ErrConflict) {
				t.Fatalf("%s run: err = %v, want ErrConflict", final, err)
			}
			if got, _ := ts.Run(ctx, id); got.Status != final || got.Attempt != 0 {
				t.Fatalf("%s run changed to %s attempt %d", final, got.Status, got.Attempt)
			}
		}
		if _, _, err := begin(st, a.ID, store.NewID()); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing run: err = %v, want ErrNotFound", err)
		}
		other := newRun()
		if _, _, err := begin(st, b.ID, other); !errors.Is(err, store.ErrNotFound) {
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
		run := newRun(t, ts)
		now := store.Now()
		until := now.Add(time.Hour)
		steps := []store.RunStep{
			{RunID: run.ID, StepKey: "m", NodeID: "m", NodeType: "map", Status: "succeeded", Input: store.JSON(`{"a":1}`),
				Output: store.JSON(`[1,2]`), Attempt: 1, StartedAt: now, FinishedAt: now},
			{RunID: run.ID, StepKey: "wait", NodeID: "wait", NodeType: "delay", Status: "suspended", Attempt: 1,
				StartedAt: now, FinishedAt: now, UntilAt: &until},
		}
		if err := settle(st, ts.TenantID(), run.ID, store.RunWaiting, "", "", steps); err != nil {
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
		if err := settle(st, ts.TenantID(), run.ID, store.RunFailed, "boom", "m", []store.RunStep{
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

// Several runs of different tenants start and settle in one call, each with
// its own outcome, and no start or settlement crosses into another tenant.
func TestBeginAttemptsAndSettleRunsTogether(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		a, b := newTenant(t, st, "alpha"), newTenant(t, st, "beta")
		run := func(tenantID string) string { return newRun(t, st.Tenant(tenantID)).ID }
		runA, runB, done, cancelled := run(a.ID), run(b.ID), run(a.ID), run(b.ID)
		if err := st.Tenant(a.ID).SetRunOutcome(ctx, done, store.RunSucceeded, "", ""); err != nil {
			t.Fatal(err)
		}
		starts := []*store.AttemptStart{
			{TenantID: a.ID, RunID: runA}, {TenantID: b.ID, RunID: runB}, {TenantID: a.ID, RunID: done},
			{TenantID: a.ID, RunID: store.NewID()}, {TenantID: a.ID, RunID: cancelled}, // b's run, asked as a's
		}
		st.BeginAttempts(ctx, starts)
		for i, s := range starts[:2] {
			if s.Err != nil || s.Run == nil || s.Run.ID != s.RunID || s.Run.TenantID != s.TenantID || s.Previous != store.RunQueued ||
				s.Run.Attempt != 1 || !strings.Contains(string(s.Run.Payload), s.TenantID) {
				t.Errorf("start %d: %+v", i, s)
			}
		}
		if !errors.Is(starts[2].Err, store.ErrConflict) || !errors.Is(starts[3].Err, store.ErrNotFound) || !errors.Is(starts[4].Err, store.ErrNotFound) {
			t.Errorf("settled, missing, other tenant's: %v, %v, %v; want conflict, not found, not found", starts[2].Err, starts[3].Err, starts[4].Err)
		}
		if r, _ := st.Tenant(b.ID).Run(ctx, cancelled); r.Status != store.RunQueued || r.Attempt != 0 {
			t.Fatalf("another tenant's start touched the run: %s attempt %d", r.Status, r.Attempt)
		}
		if err := st.Tenant(b.ID).SetRunOutcome(ctx, cancelled, store.RunCancelled, "", ""); err != nil {
			t.Fatal(err)
		}

		now := store.Now()
		step := func(runID string) []store.RunStep {
			return []store.RunStep{{RunID: runID, StepKey: "m", NodeID: "m", NodeType: "map", Status: "succeeded",
				Output: store.JSON(`{"ok":true}`), Attempt: 1, StartedAt: now, FinishedAt: now}}
		}
		err := st.SettleRuns(ctx, []*store.Settlement{
			{TenantID: a.ID, RunID: runA, Status: store.RunSucceeded, Steps: step(runA)},
			{TenantID: b.ID, RunID: runB, Status: store.RunQueued, Error: "try again", FailedNode: "m"},
			{TenantID: b.ID, RunID: cancelled, Status: store.RunSucceeded, Steps: step(cancelled)},
			{TenantID: a.ID, RunID: runB, Status: store.RunFailed, Error: "not a's run"},
		})
		if err != nil {
			t.Fatal(err)
		}
		ra, _ := st.Tenant(a.ID).Run(ctx, runA)
		rb, _ := st.Tenant(b.ID).Run(ctx, runB)
		rc, _ := st.Tenant(b.ID).Run(ctx, cancelled)
		if ra.Status != store.RunSucceeded || ra.FinishedAt == nil {
			t.Errorf("alpha's run: %s finished %v", ra.Status, ra.FinishedAt)
		}
		if rb.Status != store.RunQueued || rb.Error != "try again" || rb.FailedNode != "m" || rb.FinishedAt != nil {
			t.Errorf("beta's run: %+v; want queued for a retry, untouched by alpha's settlement", rb)
		}
		if rc.Status != store.RunCancelled {
			t.Errorf("a cancelled run became %s", rc.Status)
		}
		steps, _ := st.Tenant(a.ID).RunSteps(ctx, runA)
		if len(steps) != 1 || steps[0].TenantID != a.ID || !steps[0].StartedAt.Equal(now) {
			t.Errorf("alpha's steps: %+v", steps)
		}
	})
}

// A step stored with InputFrom is read back with its parent's output as its
// input: the parent's latest record that had finished when the step started.
func TestRunStepsFillInputsFromTheirParent(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		ts := st.Tenant(newTenant(t, st, "alpha").ID)
		run := newRun(t, ts)
		t0 := store.Now()
		at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
		step := func(key string, attempt, start, end int, output, from string) store.RunStep {
			rs := store.RunStep{RunID: run.ID, StepKey: key, NodeID: key, NodeType: "map", Status: "succeeded", InputFrom: from,
				Attempt: attempt, StartedAt: at(start), FinishedAt: at(end)}
			if output != "" {
				rs.Output = store.JSON(output)
			}
			return rs
		}
		if err := settle(st, ts.TenantID(), run.ID, store.RunQueued, "retry", "b", []store.RunStep{
			step("a", 1, 0, 1, `{"v":1}`, ""), step("b", 1, 2, 3, "", "a"),
		}); err != nil {
			t.Fatal(err)
		}
		if err := settle(st, ts.TenantID(), run.ID, store.RunSucceeded, "", "", []store.RunStep{
			step("a", 2, 4, 5, `{"v":2}`, ""), step("b", 2, 6, 7, `{"done":true}`, "a"), step("c", 2, 8, 9, "", "missing"),
		}); err != nil {
			t.Fatal(err)
		}
		steps, err := ts.RunSteps(ctx, run.ID)
		if err != nil || len(steps) != 5 {
			t.Fatalf("%d steps, %v", len(steps), err)
		}
		var got []string
		for _, s := range steps {
			got = append(got, s.StepKey+"@"+fmt.Sprint(s.Attempt)+"="+strings.ReplaceAll(string(s.Input), " ", ""))
		}
		if want := `a@1= b@1={"v":1} a@2= b@2={"v":2} c@2=`; strings.Join(got, " ") != want {
			t.Errorf("inputs %s, want %s", strings.Join(got, " "), want)
		}
		var stored int
		q := "SELECT count(*) FROM run_steps WHERE run_id = " + placeholder(dialect) + " AND input IS NOT NULL"
		if err := st.SQL().QueryRowContext(ctx, q, run.ID).Scan(&stored); err != nil || stored != 0 {
			t.Errorf("%d inputs stored (%v), want none: the references are filled in on reading", stored, err)
		}
	})
}

// begin starts one run's attempt through BeginAttempts.
func begin(st *store.Store, tenantID, runID string) (*store.Run, string, error) {
	a := &store.AttemptStart{TenantID: tenantID, RunID: runID}
	st.BeginAttempts(context.Background(), []*store.AttemptStart{a})
	return a.Run, a.Previous, a.Err
}

// settle stores one run's outcome and steps through SettleRuns.
func settle(st *store.Store, tenantID, runID, status, errMsg, node string, steps []store.RunStep) error {
	return st.SettleRuns(context.Background(), []*store.Settlement{{TenantID: tenantID, RunID: runID, Status: status,
		Error: errMsg, FailedNode: node, Steps: steps}})
}

// Step fields with characters JSON must escape reach the database intact.
func TestSettleRunsKeepsAwkwardText(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		st := testdb.Open(t, dialect)
		ctx := context.Background()
		ts := st.Tenant(newTenant(t, st, "alpha").ID)
		run := newRun(t, ts)
		awkward := "say \"hi\"\\ \n\ttab \x01 ünïcode ✓ <&>"
		now := store.Now()
		in := store.RunStep{RunID: run.ID, StepKey: "m[0]\t", NodeID: "m", NodeType: "map", Status: "failed", Port: "error",
			Error: awkward, Output: store.JSON(`{"message":"a \"quoted\" line\nand more"}`), Attempt: 3, StartedAt: now, FinishedAt: now}
		if err := settle(st, ts.TenantID(), run.ID, store.RunFailed, awkward, "m", []store.RunStep{in}); err != nil {
			t.Fatal(err)
		}
		steps, err := ts.RunSteps(ctx, run.ID)
		if err != nil || len(steps) != 1 {
			t.Fatalf("%d steps, %v", len(steps), err)
		}
		got := steps[0]
		var out map[string]string
		json.Unmarshal(got.Output, &out)
		if got.Error != awkward || got.StepKey != in.StepKey || got.Attempt != 3 || !got.StartedAt.Equal(now) || out["message"] != "a \"quoted\" line\nand more" {
			t.Errorf("stored %+v (output %v)", got, out)
		}
		if r, _ := ts.Run(ctx, run.ID); r.Error != awkward {
			t.Errorf("run error %q", r.Error)
		}
	})
}

// newRun creates a queued run of a new flow of the tenant; its payload names
// the tenant.
func newRun(t *testing.T, ts *store.Scoped) *store.Run {
	t.Helper()
	ctx := context.Background()
	flow := &store.Flow{ID: store.NewID(), Name: "f"}
	v, err := ts.CreateFlow(ctx, flow, store.JSON(`{"nodes":[]}`), "test")
	if err != nil {
		t.Fatal(err)
	}
	run := &store.Run{ID: store.NewID(), FlowID: flow.ID, FlowVersionID: v.ID, Payload: store.JSON(`{"t":"` + ts.TenantID() + `"}`)}
	if err := ts.CreateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	return run
}
