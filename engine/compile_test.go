package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/engine"
)

const trig = "t:trigger.webhook"

func TestCompileReportsProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		nodes    []string
		edges    []string
		settings string
		want     []engine.Problem // NodeID, Field and a Message substring
	}{
		{
			name:  "unknown node type",
			nodes: []string{trig, "x:nope"},
			edges: []string{"t->x"},
			want:  []engine.Problem{{NodeID: "x", Field: "type", Message: `unknown node type "nope"`}},
		},
		{
			name:  "dangling edges",
			nodes: []string{trig, `m:map:{"jq":"."}`},
			edges: []string{"t->m", "t->ghost", "ghost2->m"},
			want: []engine.Problem{
				{NodeID: "t", Field: "edges[1].to", Message: `unknown node "ghost"`},
				{NodeID: "m", Field: "edges[2].from", Message: `unknown node "ghost2"`},
			},
		},
		{
			name:  "duplicate edge",
			nodes: []string{trig, `m:map:{"jq":"."}`},
			edges: []string{"t->m", "t.out->m"},
			want:  []engine.Problem{{NodeID: "t", Field: "edges[1]", Message: "duplicate edge"}},
		},
		{
			name:  "duplicate node id",
			nodes: []string{trig, `m:map:{"jq":"."}`, `m:map:{"jq":"."}`},
			edges: []string{"t->m"},
			want:  []engine.Problem{{NodeID: "m", Field: "id", Message: "duplicate node id"}},
		},
		{
			name:  "invalid node id",
			nodes: []string{trig, `a b:map:{"jq":"."}`},
			want:  []engine.Problem{{NodeID: "a b", Field: "nodes[1].id", Message: "node id must"}},
		},
		{
			name:  "cycle names its nodes",
			nodes: []string{trig, `a:map:{"jq":"."}`, `b:map:{"jq":"."}`, `c:map:{"jq":"."}`},
			edges: []string{"t->a", "a->b", "b->c", "c->a"},
			want:  []engine.Problem{{NodeID: "a", Field: "edges", Message: "cycle: a → b → c → a"}},
		},
		{
			name:  "no trigger",
			nodes: []string{`m:map:{"jq":"."}`},
			want:  []engine.Problem{{Field: "nodes", Message: "no trigger"}},
		},
		{
			name:  "several triggers",
			nodes: []string{trig, `t2:trigger.event:{"event":"x"}`},
			want:  []engine.Problem{{NodeID: "t2", Field: "type", Message: "several trigger nodes (t, t2)"}},
		},
		{
			name:  "edge into trigger",
			nodes: []string{trig, `m:map:{"jq":"."}`, `src:map:{"jq":"."}`},
			edges: []string{"t->m", "src->t"},
			want:  []engine.Problem{{NodeID: "t", Field: "edges", Message: "cannot have incoming edges"}},
		},
		{
			name:  "port the node does not have",
			nodes: []string{trig, `c:condition:{"expression":"true"}`, `m:map:{"jq":"."}`},
			edges: []string{"t->c", "c.maybe->m"},
			want:  []engine.Problem{{NodeID: "c", Field: "edges[1].port", Message: `no port "maybe" (ports: true, false, error)`}},
		},
		{
			name:  "default port on a condition",
			nodes: []string{trig, `c:condition:{"expression":"true"}`, `m:map:{"jq":"."}`},
			edges: []string{"t->c", "c->m"},
			want:  []engine.Problem{{NodeID: "c", Field: "edges[1].port", Message: `no port "out"`}},
		},
		{
			name:  "error port on a trigger",
			nodes: []string{trig, `m:map:{"jq":"."}`},
			edges: []string{"t.error->m"},
			want:  []engine.Problem{{NodeID: "t", Field: "edges[0].port", Message: `no port "error"`}},
		},
		{
			name:  "switch port outside its cases",
			nodes: []string{trig, `s:switch:{"expression":"input.kind","cases":["a"]}`, `m:map:{"jq":"."}`},
			edges: []string{"t->s", "s.b->m"},
			want:  []engine.Problem{{NodeID: "s", Field: "edges[1].port", Message: `no port "b" (ports: a, default, error)`}},
		},
		{
			name:  "config violating the schema",
			nodes: []string{trig, `m:map:{"jq":".","multiple":"sometimes","colour":"red"}`, `f:foreach:{"items":".","concurrency":0}`},
			edges: []string{"t->m", "t->f"},
			want: []engine.Problem{
				{NodeID: "m", Field: "config.colour", Message: "is not a known field"},
				{NodeID: "m", Field: "config.multiple", Message: `must be one of "error", "array"`},
				{NodeID: "f", Field: "config.concurrency", Message: "must be at least 1"},
			},
		},
		{
			name:  "missing required config and wrong types",
			nodes: []string{trig, `m:map:{}`, `h:http:{"url":5}`, `w:delay:{"duration":"soon"}`},
			edges: []string{"t->m", "t->h", "t->w"},
			want: []engine.Problem{
				{NodeID: "m", Field: "config.jq", Message: "is required"},
				{NodeID: "h", Field: "config.url", Message: "must be a string, got a number"},
				{NodeID: "w", Field: "config.duration", Message: "must be a duration"},
			},
		},
		{
			name:  "nested config path",
			nodes: []string{`t:trigger.webhook:{"auth":{"mode":"basic"}}`},
			want:  []engine.Problem{{NodeID: "t", Field: "config.auth.mode", Message: "must be one of"}},
		},
		{
			name:  "jq that does not parse",
			nodes: []string{trig, `m:map:{"jq":".order | {"}`},
			edges: []string{"t->m"},
			want:  []engine.Problem{{NodeID: "m", Field: "config.jq", Message: "jq syntax error"}},
		},
		{
			name:  "jq with an undeclared variable",
			nodes: []string{trig, `m:map:{"jq":"$order"}`},
			edges: []string{"t->m"},
			want:  []engine.Problem{{NodeID: "m", Field: "config.jq", Message: "variable not defined: $order"}},
		},
		{
			name:  "expr that does not compile",
			nodes: []string{trig, `c:condition:{"expression":"input.total >"}`},
			edges: []string{"t->c"},
			want:  []engine.Problem{{NodeID: "c", Field: "config.expression", Message: "expr:"}},
		},
		{
			name:  "condition that is not boolean",
			nodes: []string{trig, `c:condition:{"expression":"1 + 2"}`},
			edges: []string{"t->c"},
			want:  []engine.Problem{{NodeID: "c", Field: "config.expression", Message: "expected bool"}},
		},
		{
			name:  "unknown connection and operation",
			nodes: []string{trig, `a:connector:{"connection":"shopify","operation":"x"}`, `b:connector:{"connection":"epicor","operation":"delete_everything"}`},
			edges: []string{"t->a", "t->b"},
			want: []engine.Problem{
				{NodeID: "a", Field: "config.connection", Message: `connection "shopify" does not exist`},
				{NodeID: "b", Field: "config.operation", Message: `has no operation "delete_everything"`},
			},
		},
		{
			name:  "bad cron and schedule without timing",
			nodes: []string{`t:trigger.schedule:{"cron":"every day"}`},
			want:  []engine.Problem{{NodeID: "t", Field: "config.cron", Message: "invalid cron expression"}},
		},
		{
			name:  "foreach branch joined from outside",
			nodes: []string{trig, `f:foreach:{"items":".lines"}`, `a:map:{"jq":"."}`, `b:map:{"jq":"."}`},
			edges: []string{"t->f", "f.item->a", "a->b", "t->b"},
			want:  []engine.Problem{{NodeID: "b", Field: "edges", Message: `branch of foreach "f" but also has parent "t"`}},
		},
		{
			name:     "bad settings",
			nodes:    []string{trig},
			settings: `{"business_key":".a |","max_output_bytes":-1,"retry":{"initial_interval":"10m","max_interval":"1m"}}`,
			want: []engine.Problem{
				{Field: "settings.max_output_bytes", Message: "must not be negative"},
				{Field: "settings.retry.initial_interval", Message: "must not exceed max_interval"},
				{Field: "settings.business_key", Message: "jq syntax error"},
			},
		},
		{
			name:  "too many nodes",
			nodes: manyNodes(engine.MaxNodes + 1),
			want:  []engine.Problem{{Field: "nodes", Message: "the limit is 1000"}, {Field: "nodes", Message: "no trigger"}},
		},
		{
			name:  "node timeout",
			nodes: []string{trig, `m:map:{"jq":".","timeout":"0s"}`},
			edges: []string{"t->m"},
			want:  []engine.Problem{{NodeID: "m", Field: "config.timeout", Message: "must be positive"}},
		},
	}
	reg := newRegistry(t, nil)
	env := engine.Env{Connectors: newFakeConnectors()}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			flow, err := engine.ParseFlow([]byte(flowDoc(tt.nodes, tt.edges, tt.settings)))
			if err != nil {
				t.Fatalf("ParseFlow: %v", err)
			}
			plan, err := engine.Compile(context.Background(), flow, reg, env)
			var verr *engine.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Compile error = %v (plan %v), want *ValidationError", err, plan != nil)
			}
			var got []engine.Problem
			for _, p := range verr.Problems {
				if p.Severity == engine.SeverityError {
					got = append(got, p)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), describe(got))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.NodeID != w.NodeID || g.Field != w.Field || !strings.Contains(g.Message, w.Message) {
					t.Errorf("problem %d = %s, want node %q field %q message containing %q", i, g, w.NodeID, w.Field, w.Message)
				}
			}
		})
	}
}

func describe(ps []engine.Problem) string {
	var lines []string
	for _, p := range ps {
		lines = append(lines, "  "+string(p.Severity)+": "+p.String())
	}
	return strings.Join(lines, "\n")
}

func TestCompileReportsAllProblemsTogether(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{`m:map:{"jq":"{"}`, "x:nope"}, []string{"m->x", "m->y", "x->m"}, "")
	flow, err := engine.ParseFlow([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = engine.Compile(context.Background(), flow, newRegistry(t, nil), engine.Env{})
	var verr *engine.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("Compile error = %v, want *ValidationError", err)
	}
	fields := map[string]bool{}
	for _, p := range verr.Problems {
		fields[p.NodeID+"/"+p.Field] = true
	}
	for _, want := range []string{"m/config.jq", "x/type", "m/edges[1].to", "/nodes", "m/edges"} {
		if !fields[want] {
			t.Errorf("missing problem %s in:\n%s", want, describe(verr.Problems))
		}
	}
	if !strings.HasPrefix(err.Error(), "invalid flow: ") {
		t.Errorf("Error() = %q", err)
	}
}

func TestCompileWarnsAboutUnreachableNodes(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `a:map:{"jq":"."}`, `lost:map:{"jq":"."}`}, []string{"t->a"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	w := plan.Warnings()
	if len(w) != 1 || w[0].NodeID != "lost" || w[0].Severity != engine.SeverityWarning {
		t.Fatalf("warnings = %v, want one warning for node lost", w)
	}
}

func TestCompileWithoutConnectors(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `c:connector:{"connection":"epicor","operation":"get_customer"}`}, []string{"t->c"}, "")
	flow, _ := engine.ParseFlow([]byte(doc))
	_, err := engine.Compile(context.Background(), flow, newRegistry(t, nil), engine.Env{})
	var verr *engine.ValidationError
	if !errors.As(err, &verr) || verr.Problems[0].NodeID != "c" || verr.Problems[0].Field != "config.connection" {
		t.Fatalf("Compile error = %v, want a problem at c/config.connection", err)
	}
}

func TestPlanStructure(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `c:condition:{"expression":"input.ok"}`, `yes:map:{"jq":"1"}`, `no:map:{"jq":"2"}`, `join:map:{"jq":"."}`},
		[]string{"t->c", "c.true->yes", "c.false->no", "yes->join", "no->join"}, `{"business_key":".order.number"}`)
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	if got, want := plan.Order(), []string{"t", "c", "yes", "no", "join"}; !slices.Equal(got, want) {
		t.Errorf("Order() = %v, want %v", got, want)
	}
	if got := plan.Children("c", engine.PortTrue); !slices.Equal(got, []string{"yes"}) {
		t.Errorf("Children(c, true) = %v", got)
	}
	if got := plan.Parents("join"); len(got) != 2 || got[0].From != "yes" || got[1].From != "no" {
		t.Errorf("Parents(join) = %v", got)
	}
	if plan.TriggerID() != "t" {
		t.Errorf("TriggerID() = %q", plan.TriggerID())
	}
	if _, spec, ok := plan.Node("c"); !ok || spec.Type != "condition" {
		t.Errorf("Node(c) = %v, %v", spec.Type, ok)
	}
	s := plan.Settings()
	if s.MaxOutputBytes != engine.DefaultMaxOutputBytes || s.Retry.MaxAttempts != engine.DefaultMaxAttempts {
		t.Errorf("settings defaults not applied: %+v", s)
	}
	key, err := plan.BusinessKey([]byte(`{"order":{"number":10234}}`))
	if err != nil || key != "10234" {
		t.Errorf("BusinessKey = %q, %v; want 10234", key, err)
	}
	key, err = plan.BusinessKey(map[string]any{"order": map[string]any{"number": "HL-7"}})
	if err != nil || key != "HL-7" {
		t.Errorf("BusinessKey = %q, %v; want HL-7", key, err)
	}
}

func manyNodes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`m%d:map:{"jq":"."}`, i)
	}
	return out
}
