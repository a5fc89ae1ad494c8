package nodes_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// compileNode compiles a flow holding a node "n" of the given type (behind a
// webhook trigger unless it is a trigger itself) and returns the node.
func compileNode(tb testing.TB, typ, config string, env engine.Env, deps nodes.Deps) (engine.Node, error) {
	tb.Helper()
	reg := engine.NewRegistry()
	nodes.Register(reg, deps)
	spec, _, ok := reg.Lookup(typ)
	if !ok {
		tb.Fatalf("node type %q is not registered", typ)
	}
	doc := fmt.Sprintf(`{"nodes":[{"id":"n","type":%q,"config":%s}]}`, typ, config)
	if !spec.Trigger {
		doc = fmt.Sprintf(`{"nodes":[{"id":"t","type":"trigger.webhook"},{"id":"n","type":%q,"config":%s}],"edges":[{"from":"t","to":"n"}]}`, typ, config)
	}
	flow, err := engine.ParseFlow([]byte(doc))
	if err != nil {
		tb.Fatalf("ParseFlow: %v", err)
	}
	plan, err := engine.Compile(context.Background(), flow, reg, env)
	if err != nil {
		return nil, err
	}
	n, _, _ := plan.Node("n")
	return n, nil
}

func mustNode(tb testing.TB, typ, config string) engine.Node {
	tb.Helper()
	n, err := compileNode(tb, typ, config, engine.Env{}, nodes.Deps{HTTPClient: &http.Client{}})
	if err != nil {
		tb.Fatalf("compile %s %s: %v", typ, config, err)
	}
	return n
}

// wantProblem asserts that err is a validation error with a problem at
// node n and field whose message contains msg.
func wantProblem(tb testing.TB, err error, field, msg string) {
	tb.Helper()
	var verr *engine.ValidationError
	if !errors.As(err, &verr) {
		tb.Fatalf("error = %v, want *engine.ValidationError", err)
	}
	for _, p := range verr.Problems {
		if p.NodeID == "n" && p.Field == field && strings.Contains(p.Message, msg) {
			return
		}
	}
	tb.Fatalf("no problem at n/%s containing %q in %v", field, msg, verr.Problems)
}

// input builds a step input from a JSON document.
func input(tb testing.TB, doc string) *engine.Input {
	tb.Helper()
	v, err := engine.DecodeJSON([]byte(doc))
	if err != nil {
		tb.Fatalf("input %s: %v", doc, err)
	}
	return &engine.Input{
		Value:   v,
		Trigger: v,
		Nodes:   map[string]any{"t": v},
		Run:     map[string]any{"id": "run-1", "business_key": "10234"},
		NodeID:  "n", StepKey: "n", RunID: "run-1", Attempt: 1, Now: epoch,
	}
}

func run(tb testing.TB, n engine.Node, in *engine.Input) (engine.Outcome, error) {
	tb.Helper()
	return n.Run(context.Background(), in)
}

func toJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("encode %v: %v", v, err)
	}
	return string(b)
}

// expectError checks err against want: with want set, err must contain it
// and expectError returns true (the case is done); without, err must be nil.
func expectError(tb testing.TB, err error, want string) bool {
	tb.Helper()
	if want == "" {
		if err != nil {
			tb.Fatalf("unexpected error: %v", err)
		}
		return false
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		tb.Fatalf("error = %v, want it to contain %q", err, want)
	}
	return true
}
