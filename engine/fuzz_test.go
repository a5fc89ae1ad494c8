package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bridgework/bridgework/engine"
)

// FuzzParseAndCompile feeds arbitrary documents through ParseFlow and Compile:
// neither may panic, and every rejection by Compile is a *ValidationError.
func FuzzParseAndCompile(f *testing.F) {
	for _, doc := range docExamples(f) {
		f.Add(doc)
	}
	for _, seed := range []string{
		`{}`, `null`, `{"nodes":null}`,
		`{"nodes":[{"id":"t","type":"trigger.webhook"},{"id":"a","type":"map","config":{"jq":"."}}],"edges":[{"from":"a","to":"a"},{"from":"t","to":"a"}]}`,
		`{"nodes":[{"id":"t","type":"trigger.webhook"},{"id":"f","type":"foreach","config":{"items":"."}},{"id":"g","type":"foreach","config":{"items":"."}}],"edges":[{"from":"t","to":"f"},{"from":"f","to":"g","port":"item"},{"from":"g","to":"f","port":"done"}]}`,
		`{"nodes":[{"id":"t","type":"trigger.webhook","config":{"auth":[]}}],"settings":{"business_key":"$__loc__"}}`,
	} {
		f.Add([]byte(seed))
	}
	reg := newRegistry(f, nil)
	env := engine.Env{Connectors: &docsConnectors{}}
	f.Fuzz(func(t *testing.T, data []byte) {
		flow, err := engine.ParseFlow(data)
		if err != nil {
			return
		}
		plan, err := engine.Compile(context.Background(), flow, reg, env)
		var verr *engine.ValidationError
		switch {
		case err != nil && !errors.As(err, &verr):
			t.Fatalf("Compile returned %T %v, want *engine.ValidationError", err, err)
		case err != nil && len(verr.Problems) == 0:
			t.Fatalf("ValidationError without problems")
		case err == nil && len(plan.Order()) != len(flow.Nodes):
			t.Fatalf("plan has %d nodes, flow %d", len(plan.Order()), len(flow.Nodes))
		}
	})
}
