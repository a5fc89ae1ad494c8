package batch_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/batch"
	"github.com/bridgework/bridgework/nodes"
)

// Seed checkpoints every node outside the batch branch: the trigger and the
// nodes leading to the batch node take the port towards it, the batch node
// takes its batch port with the items, and side branches take none.
func TestSeedRunsOnlyTheBatchBranch(t *testing.T) {
	t.Parallel()
	doc := `{"nodes":[
		{"id":"hook","type":"trigger.webhook"},
		{"id":"shape","type":"map","config":{"jq":"."}},
		{"id":"side","type":"map","config":{"jq":"1"}},
		{"id":"collect","type":"batch","config":{"size":2}},
		{"id":"after","type":"map","config":{"jq":"2"}},
		{"id":"apply","type":"map","config":{"jq":".items"}},
		{"id":"log","type":"map","config":{"jq":"3"}}],
	"edges":[{"from":"hook","to":"shape"},{"from":"hook","to":"side"},{"from":"shape","to":"collect"},
		{"from":"collect","to":"after","port":"collected"},{"from":"collect","to":"apply","port":"batch"},{"from":"apply","to":"log"}]}`
	reg := engine.NewRegistry()
	nodes.Register(reg, nodes.Deps{Batches: &batch.Service{}})
	flow, err := engine.ParseFlow([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := engine.Compile(context.Background(), flow, reg, engine.Env{})
	if err != nil {
		t.Fatal(err)
	}
	steps := batch.Seed(plan, "collect", "run-1", []byte(`{"items":[1,2],"count":2}`), time.Now())
	got := map[string]string{}
	for _, s := range steps {
		if s.Status != "succeeded" || s.RunID != "run-1" {
			t.Errorf("step %s: %+v", s.StepKey, s)
		}
		got[s.StepKey] = s.Port
	}
	want := map[string]string{"hook": "out", "shape": "out", "side": "", "collect": "batch", "after": ""}
	if len(got) != len(want) {
		t.Fatalf("seeded %v, want %v", got, want)
	}
	for k, port := range want {
		if p, ok := got[k]; !ok || p != port {
			t.Errorf("step %s port %q (seeded %v), want %q", k, p, ok, port)
		}
	}

	state := &engine.MemoryState{}
	for _, s := range steps {
		rec := engine.StepRecord{StepKey: s.StepKey, NodeID: s.NodeID, Status: engine.StepSucceeded, Port: s.Port}
		if len(s.Output) > 0 {
			rec.Output, _ = engine.DecodeJSON(s.Output)
		}
		state.Record(context.Background(), rec)
	}
	var x engine.Executor
	res, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "run-1", Trigger: map[string]any{}, State: state, Attempt: 1})
	if err != nil || res.Status != engine.RunSucceeded {
		t.Fatalf("execute: %+v %v", res, err)
	}
	if st, _ := state.Step("apply"); st.Status != engine.StepSucceeded || toJSON(st.Output) != "[1,2]" {
		t.Errorf("apply: %+v", st)
	}
	if st, _ := state.Step("log"); st.Status != engine.StepSucceeded {
		t.Errorf("log did not run: %+v", st)
	}
	for _, key := range []string{"side", "after"} {
		if st, _ := state.Step(key); st.Status == engine.StepSucceeded && st.Attempt == 1 {
			t.Errorf("%s ran in the batch run: %+v", key, st)
		}
	}
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
