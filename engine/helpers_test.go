package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

// funcNode is a test node type whose behaviour the test supplies.
type funcNode func(ctx context.Context, in *engine.Input) (engine.Outcome, error)

func (f funcNode) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	return f(ctx, in)
}

// newRegistry returns the built-in node types plus the given test types.
func newRegistry(tb testing.TB, funcs map[string]funcNode) *engine.Registry {
	tb.Helper()
	r := engine.NewRegistry()
	nodes.Register(r, nodes.Deps{HTTPClient: &http.Client{}})
	for typ, fn := range funcs {
		r.Register(engine.NodeSpec{
			Type:   typ,
			Title:  typ,
			Config: &engine.Schema{Type: "object", ClosedProperties: true},
			Ports:  []string{engine.PortOut},
		}, func(*engine.Build) (engine.Node, error) { return fn, nil })
	}
	return r
}

// fakeConnectors is an in-memory Connectors that records its calls and
// tracks how many run at once.
type fakeConnectors struct {
	mu          sync.Mutex
	ops         map[string]engine.OperationInfo // "connection/operation"
	calls       []engine.ConnectorCall
	inflight    int
	maxInflight int
	invoke      func(ctx context.Context, call engine.ConnectorCall) (any, error)
}

func newFakeConnectors() *fakeConnectors {
	return &fakeConnectors{ops: map[string]engine.OperationInfo{
		"epicor/create_sales_order": {Writes: true},
		"epicor/get_customer":       {},
	}}
}

func (f *fakeConnectors) Operation(_ context.Context, conn, op string) (engine.OperationInfo, error) {
	if conn != "epicor" {
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: conn}
	}
	info, ok := f.ops[conn+"/"+op]
	if !ok {
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: conn, Operation: op}
	}
	return info, nil
}

func (f *fakeConnectors) Invoke(ctx context.Context, call engine.ConnectorCall) (any, error) {
	f.mu.Lock()
	f.calls = append(f.calls, call)
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if f.invoke != nil {
		return f.invoke(ctx, call)
	}
	return map[string]any{"ok": true, "input": call.Input}, nil
}

func (f *fakeConnectors) Calls() []engine.ConnectorCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]engine.ConnectorCall(nil), f.calls...)
}

// fixedClock is a settable clock.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var epoch = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// mustCompile parses and compiles a flow document, failing the test on errors.
func mustCompile(tb testing.TB, doc string, reg *engine.Registry, env engine.Env) *engine.Plan {
	tb.Helper()
	flow, err := engine.ParseFlow([]byte(doc))
	if err != nil {
		tb.Fatalf("ParseFlow: %v", err)
	}
	plan, err := engine.Compile(context.Background(), flow, reg, env)
	if err != nil {
		tb.Fatalf("Compile: %v", err)
	}
	return plan
}

// execute runs a plan on a fresh or given state and fails the test on an
// infrastructure error.
func execute(tb testing.TB, plan *engine.Plan, trigger any, state *engine.MemoryState, clock engine.Clock) engine.Result {
	tb.Helper()
	if clock == nil {
		clock = &fixedClock{t: epoch}
	}
	var x engine.Executor
	res, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "run-1", Trigger: trigger, State: state, Clock: clock, Attempt: 1})
	if err != nil {
		tb.Fatalf("Execute: %v", err)
	}
	return res
}

// statuses returns "key=status[:port]" for every record, in order.
func statuses(state *engine.MemoryState) string {
	var parts []string
	for _, s := range state.Steps() {
		p := s.StepKey + "=" + string(s.Status)
		if s.Port != "" && s.Port != engine.PortOut {
			p += ":" + s.Port
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

// output returns a step's recorded output as compact JSON.
func output(tb testing.TB, state *engine.MemoryState, key string) string {
	tb.Helper()
	rec, ok := state.Step(key)
	if !ok {
		tb.Fatalf("no step %q recorded; steps: %s", key, statuses(state))
	}
	b, err := json.Marshal(rec.Output)
	if err != nil {
		tb.Fatalf("encode output of %q: %v", key, err)
	}
	return string(b)
}

// flowDoc builds a flow document from node and edge shorthands:
// node "id:type:{config}" and edge "from->to" or "from.port->to".
func flowDoc(nodeSpecs []string, edgeSpecs []string, settings string) string {
	var ns, es []string
	for _, n := range nodeSpecs {
		parts := strings.SplitN(n, ":", 3)
		cfg := "{}"
		if len(parts) == 3 {
			cfg = parts[2]
		}
		ns = append(ns, fmt.Sprintf(`{"id":%q,"type":%q,"config":%s}`, parts[0], parts[1], cfg))
	}
	for _, e := range edgeSpecs {
		from, to, _ := strings.Cut(e, "->")
		port := ""
		if i := strings.Index(from, "."); i >= 0 {
			from, port = from[:i], from[i+1:]
		}
		es = append(es, fmt.Sprintf(`{"from":%q,"to":%q,"port":%q}`, from, to, port))
	}
	if settings == "" {
		settings = "{}"
	}
	return fmt.Sprintf(`{"nodes":[%s],"edges":[%s],"settings":%s}`, strings.Join(ns, ","), strings.Join(es, ","), settings)
}
