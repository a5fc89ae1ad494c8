package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
)

func TestBranchingAndSkipPropagation(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `c:condition:{"expression":"input.ok"}`, `yes:map:{"jq":"\"yes\""}`, `yes2:map:{"jq":". + \"!\""}`, `no:map:{"jq":"\"no\""}`},
		[]string{"t->c", "c.true->yes", "yes->yes2", "c.false->no"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	tests := []struct {
		trigger string
		want    string
	}{
		{`{"ok":true}`, "t=succeeded c=succeeded:true yes=succeeded no=skipped yes2=succeeded"},
		{`{"ok":false}`, "t=succeeded c=succeeded:false yes=skipped no=succeeded yes2=skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.trigger, func(t *testing.T) {
			t.Parallel()
			state := &engine.MemoryState{}
			res := execute(t, plan, []byte(tt.trigger), state, nil)
			if res.Status != engine.RunSucceeded {
				t.Fatalf("status = %s (%v), want succeeded", res.Status, res.Err)
			}
			if got := statuses(state); got != tt.want {
				t.Errorf("steps = %s\nwant    %s", got, tt.want)
			}
		})
	}
}

func TestJoins(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, nil)
	tests := []struct {
		name  string
		nodes []string
		edges []string
		key   string
		want  string
	}{
		{
			name:  "if/else merge gets the taken branch's output",
			nodes: []string{trig, `c:condition:{"expression":"input.n > 1"}`, `a:map:{"jq":"{a: .n}"}`, `b:map:{"jq":"{b: .n}"}`, `j:map:{"jq":"."}`},
			edges: []string{"t->c", "c.true->a", "c.false->b", "a->j", "b->j"},
			key:   "j", want: `{"a":2}`,
		},
		{
			name:  "parallel join gets an object keyed by parent id",
			nodes: []string{trig, `a:map:{"jq":".n"}`, `b:map:{"jq":".n * 10"}`, `j:map:{"jq":"{sum: (.a + .b), via_nodes: $nodes.b}"}`},
			edges: []string{"t->a", "t->b", "a->j", "b->j"},
			key:   "j", want: `{"sum":22,"via_nodes":20}`,
		},
		{
			name:  "join behind two untaken ports is skipped",
			nodes: []string{trig, `c:condition:{"expression":"false"}`, `a:map:{"jq":"1"}`, `j:map:{"jq":"."}`, `after:map:{"jq":"\"ran\""}`},
			edges: []string{"t->c", "c.true->a", "c.true->j", "a->j", "c.false->after"},
			key:   "j", want: "null",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan := mustCompile(t, flowDoc(tt.nodes, tt.edges, ""), reg, engine.Env{})
			state := &engine.MemoryState{}
			if res := execute(t, plan, map[string]any{"n": 2}, state, nil); res.Status != engine.RunSucceeded {
				t.Fatalf("status = %s (%v)", res.Status, res.Err)
			}
			if got := output(t, state, tt.key); got != tt.want {
				t.Errorf("output of %s = %s, want %s (steps %s)", tt.key, got, tt.want, statuses(state))
			}
		})
	}
}

func TestSwitchRoutes(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `s:switch:{"expression":"input.channel","cases":["web","store"]}`, `web:map:{"jq":"1"}`, `store:map:{"jq":"2"}`, `other:map:{"jq":"3"}`},
		[]string{"t->s", "s.web->web", "s.store->store", "s.default->other"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	for channel, want := range map[string]string{
		"web":   "t=succeeded s=succeeded:web web=succeeded store=skipped other=skipped",
		"store": "t=succeeded s=succeeded:store web=skipped store=succeeded other=skipped",
		"fax":   "t=succeeded s=succeeded:default web=skipped store=skipped other=succeeded",
	} {
		state := &engine.MemoryState{}
		execute(t, plan, map[string]any{"channel": channel}, state, nil)
		if got := statuses(state); got != want {
			t.Errorf("channel %s: steps = %s, want %s", channel, got, want)
		}
	}
}

func TestForeach(t *testing.T) {
	t.Parallel()
	conns := newFakeConnectors()
	reached := make(chan struct{})
	var once sync.Once
	conns.invoke = func(ctx context.Context, call engine.ConnectorCall) (any, error) {
		conns.mu.Lock()
		if conns.inflight == 2 {
			once.Do(func() { close(reached) })
		}
		conns.mu.Unlock()
		// hold the first calls until two run at once, proving concurrency
		select {
		case <-reached:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return map[string]any{"sku": call.Input}, nil
	}
	doc := flowDoc(
		[]string{trig,
			`f:foreach:{"items":".lines","concurrency":2}`,
			`call:connector:{"connection":"epicor","operation":"get_customer","input":".sku"}`,
			`shape:map:{"jq":"{sku: .sku, i: $index, qty: $item.qty}"}`,
			`after:map:{"jq":"map(.sku)"}`},
		[]string{"t->f", "f.item->call", "call->shape", "f.done->after"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{Connectors: conns})
	var lines []any
	for i := range 5 {
		lines = append(lines, map[string]any{"sku": fmt.Sprintf("SKU-%d", i), "qty": i + 1})
	}
	state := &engine.MemoryState{}
	res := execute(t, plan, map[string]any{"lines": lines}, state, nil)
	if res.Status != engine.RunSucceeded {
		t.Fatalf("status = %s (%v)", res.Status, res.Err)
	}
	if got := len(conns.Calls()); got != 5 {
		t.Errorf("connector called %d times, want 5", got)
	}
	if conns.maxInflight != 2 {
		t.Errorf("at most %d iterations ran at once, want exactly the bound 2", conns.maxInflight)
	}
	if got, want := output(t, state, "shape[3]"), `{"i":3,"qty":4,"sku":"SKU-3"}`; got != want {
		t.Errorf("shape[3] = %s, want %s", got, want)
	}
	if got, want := output(t, state, "after"), `["SKU-0","SKU-1","SKU-2","SKU-3","SKU-4"]`; got != want {
		t.Errorf("after = %s, want %s", got, want)
	}
	if rec, _ := state.Step("call[0]"); rec.SideEffects {
		t.Errorf("reading connector step marked as having side effects")
	}
	keys := map[string]bool{}
	for _, c := range conns.Calls() {
		keys[c.IdempotencyKey] = true
	}
	if !keys["run-1:call[0]"] || !keys["run-1:call[4]"] {
		t.Errorf("idempotency keys = %v, want run-1:call[i]", keys)
	}
}

func TestForeachFailureAndErrorPort(t *testing.T) {
	t.Parallel()
	conns := newFakeConnectors()
	conns.invoke = func(_ context.Context, call engine.ConnectorCall) (any, error) {
		if call.Input == "bad" {
			return nil, errors.New("epicor: create sales order: 400 part not found")
		}
		return call.Input, nil
	}
	reg := newRegistry(t, nil)
	nodeList := []string{trig, `f:foreach:{"items":".","concurrency":1}`, `call:connector:{"connection":"epicor","operation":"create_sales_order"}`, `oops:map:{"jq":".message"}`}
	lines := []any{"ok", "bad", "ok"}

	plan := mustCompile(t, flowDoc(nodeList[:3], []string{"t->f", "f.item->call"}, ""), reg, engine.Env{Connectors: conns})
	state := &engine.MemoryState{}
	res := execute(t, plan, lines, state, nil)
	if res.Status != engine.RunFailed || res.FailedStep != "call[1]" || res.FailedNode != "call" || res.Retryable {
		t.Fatalf("result = %+v, want permanent failure at call[1]", res)
	}
	if !strings.Contains(res.Err.Error(), "400 part not found") {
		t.Errorf("error = %v", res.Err)
	}

	plan = mustCompile(t, flowDoc(nodeList, []string{"t->f", "f.item->call", "f.error->oops"}, ""), reg, engine.Env{Connectors: conns})
	state = &engine.MemoryState{}
	res = execute(t, plan, lines, state, nil)
	if res.Status != engine.RunSucceeded {
		t.Fatalf("status = %s (%v), want the error port to catch the failure", res.Status, res.Err)
	}
	if got := output(t, state, "oops"); !strings.Contains(got, "400 part not found") {
		t.Errorf("oops output = %s", got)
	}
}

func TestErrorPort(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `boom:fail:{"message":"customer missing"}`, `handle:map:{"jq":"{msg: .message, node: .node}"}`},
		[]string{"t->boom", "boom.error->handle"}, "")
	state := &engine.MemoryState{}
	res := execute(t, mustCompile(t, doc, newRegistry(t, nil), engine.Env{}), nil, state, nil)
	if res.Status != engine.RunSucceeded {
		t.Fatalf("status = %s (%v)", res.Status, res.Err)
	}
	if got, want := statuses(state), "t=succeeded boom=failed:error handle=succeeded"; got != want {
		t.Errorf("steps = %s, want %s", got, want)
	}
	if got, want := output(t, state, "handle"), `{"msg":"customer missing","node":"boom"}`; got != want {
		t.Errorf("handle = %s, want %s", got, want)
	}
}

func TestFailuresAreReported(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, map[string]funcNode{
		"test.wait": func(ctx context.Context, _ *engine.Input) (engine.Outcome, error) {
			<-ctx.Done()
			return engine.Outcome{}, ctx.Err()
		},
		"test.panic": func(context.Context, *engine.Input) (engine.Outcome, error) {
			panic("index out of range")
		},
		"test.throttled": func(context.Context, *engine.Input) (engine.Outcome, error) {
			return engine.Outcome{}, &engine.TransientError{Err: errors.New("429 slow down"), After: 7 * time.Second}
		},
		"test.badport": func(context.Context, *engine.Input) (engine.Outcome, error) {
			return engine.Outcome{Port: "sideways"}, nil
		},
		"test.unencodable": func(context.Context, *engine.Input) (engine.Outcome, error) {
			return engine.Outcome{Output: make(chan int)}, nil
		},
	})
	tests := []struct {
		name      string
		node      string
		settings  string
		retryable bool
		after     time.Duration
		message   string
	}{
		{name: "node timeout", node: `x:test.wait:{"timeout":"20ms"}`, retryable: true, message: "step timed out after 20ms"},
		{name: "run timeout", node: `x:test.wait`, settings: `{"timeout":"30ms"}`, retryable: true, message: "run timed out after 30ms"},
		{name: "panic", node: `x:test.panic`, message: `panic in node "x": index out of range`},
		{name: "retry after", node: `x:test.throttled`, retryable: true, after: 7 * time.Second, message: "429 slow down"},
		{name: "fail node is permanent", node: `x:fail:{"message_jq":"\"order \\(.id) rejected\""}`, message: "order 7 rejected"},
		{name: "jq runtime error", node: `x:map:{"jq":".id | ascii_downcase"}`, message: "jq:"},
		{name: "several jq values", node: `x:map:{"jq":"1, 2"}`, message: "yielded 2 values"},
		{name: "output size cap", node: `x:map:{"jq":"[range(100)] | map(\"abcdefghij\")"}`, settings: `{"max_output_bytes":500}`, message: "larger than settings.max_output_bytes (500 bytes)"},
		{name: "unknown port", node: `x:test.badport`, message: `unknown port "sideways"`},
		{name: "unencodable output", node: `x:test.unencodable`, message: "normalize value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			plan := mustCompile(t, flowDoc([]string{trig, tt.node}, []string{"t->x"}, tt.settings), reg, engine.Env{})
			state := &engine.MemoryState{}
			res := execute(t, plan, map[string]any{"id": 7}, state, nil)
			if res.Status != engine.RunFailed || res.FailedNode != "x" || res.FailedStep != "x" {
				t.Fatalf("result = %+v, want failure at x", res)
			}
			if !strings.Contains(res.Err.Error(), tt.message) {
				t.Errorf("error = %q, want it to contain %q", res.Err, tt.message)
			}
			if res.Retryable != tt.retryable || res.RetryAfter != tt.after {
				t.Errorf("retryable = %v after %s, want %v after %s", res.Retryable, res.RetryAfter, tt.retryable, tt.after)
			}
			var se *engine.StepError
			if !errors.As(res.Err, &se) || se.NodeID != "x" {
				t.Errorf("error %v is not a *StepError for x", res.Err)
			}
			if rec, ok := state.Step("x"); !ok || rec.Status != engine.StepFailed || rec.Error == "" {
				t.Errorf("step x recorded as %+v, want failed with error", rec)
			}
		})
	}
}

func TestCheckpointResume(t *testing.T) {
	t.Parallel()
	conns := newFakeConnectors()
	var flaky struct {
		sync.Mutex
		calls int
	}
	reg := newRegistry(t, map[string]funcNode{
		"test.flaky": func(_ context.Context, in *engine.Input) (engine.Outcome, error) {
			flaky.Lock()
			defer flaky.Unlock()
			flaky.calls++
			if flaky.calls == 1 {
				return engine.Outcome{}, &engine.TransientError{Err: errors.New("503 unavailable")}
			}
			return engine.Outcome{Output: in.Value}, nil
		},
	})
	doc := flowDoc(
		[]string{trig, `create:connector:{"connection":"epicor","operation":"create_sales_order"}`, `shape:map:{"jq":".input.id"}`, `x:test.flaky`},
		[]string{"t->create", "create->shape", "shape->x"}, "")
	plan := mustCompile(t, doc, reg, engine.Env{Connectors: conns})
	state := &engine.MemoryState{}

	res := execute(t, plan, map[string]any{"id": 42}, state, nil)
	if res.Status != engine.RunFailed || !res.Retryable {
		t.Fatalf("first execution = %+v, want a retryable failure", res)
	}
	res = execute(t, plan, map[string]any{"id": 42}, state, nil)
	if res.Status != engine.RunSucceeded {
		t.Fatalf("second execution = %s (%v), want succeeded", res.Status, res.Err)
	}
	if n := len(conns.Calls()); n != 1 {
		t.Errorf("connector invoked %d times across two executions, want 1", n)
	}
	if got := output(t, state, "x"); got != "42" {
		t.Errorf("x output = %s, want 42 (from the reused checkpoint)", got)
	}
	rec, _ := state.Step("create")
	if !rec.SideEffects {
		t.Errorf("writing connector step not marked as having side effects")
	}
	if rec, _ := state.Step("shape"); rec.SideEffects {
		t.Errorf("map step marked as having side effects")
	}
}

func TestDelaySuspendsAndResumes(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `wait:delay:{"duration":"10m"}`, `after:map:{"jq":".n + 1"}`}, []string{"t->wait", "wait->after"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	state := &engine.MemoryState{}
	clock := &fixedClock{t: epoch}
	until := epoch.Add(10 * time.Minute)

	for _, at := range []time.Time{epoch, epoch.Add(5 * time.Minute)} {
		clock.Set(at)
		res := execute(t, plan, map[string]any{"n": 1}, state, clock)
		if res.Status != engine.RunSuspended || !res.Until.Equal(until) {
			t.Fatalf("at %s: result = %+v, want suspended until %s", at, res, until)
		}
	}
	if _, ran := state.Step("after"); ran {
		t.Fatalf("node after the delay ran while suspended")
	}
	clock.Set(until)
	res := execute(t, plan, map[string]any{"n": 1}, state, clock)
	if res.Status != engine.RunSucceeded {
		t.Fatalf("after the delay: %s (%v)", res.Status, res.Err)
	}
	if got := output(t, state, "after"); got != "2" {
		t.Errorf("after = %s, want 2", got)
	}
}

type brokenState struct{ engine.MemoryState }

func (*brokenState) Record(context.Context, engine.StepRecord) error {
	return errors.New("database is down")
}

func TestExecuteReportsStateFailures(t *testing.T) {
	t.Parallel()
	plan := mustCompile(t, flowDoc([]string{trig}, nil, ""), newRegistry(t, nil), engine.Env{})
	var x engine.Executor
	_, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "r", State: &brokenState{}})
	if err == nil || !strings.Contains(err.Error(), "database is down") {
		t.Fatalf("Execute error = %v, want the state's error", err)
	}
	_, err = x.Execute(context.Background(), plan, engine.RunInput{RunID: "r"})
	if err == nil {
		t.Fatalf("Execute without state succeeded")
	}
}

func TestNestedForeach(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig,
			`orders:foreach:{"items":".orders"}`,
			`lines:foreach:{"items":".lines","concurrency":1}`,
			`line:map:{"jq":"\"\\($item)x\\($index)\""}`,
			`summary:map:{"jq":"{lines: ., order: $index}"}`},
		[]string{"t->orders", "orders.item->lines", "lines.item->line", "lines.done->summary"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	state := &engine.MemoryState{}
	trigger := map[string]any{"orders": []any{
		map[string]any{"lines": []any{"a", "b"}},
		map[string]any{"lines": []any{"c"}},
	}}
	if res := execute(t, plan, trigger, state, nil); res.Status != engine.RunSucceeded {
		t.Fatalf("status = %s (%v)", res.Status, res.Err)
	}
	if got := output(t, state, "line[0][1]"); got != `"bx1"` {
		t.Errorf("line[0][1] = %s", got)
	}
	if got, want := output(t, state, "orders"), `[{"lines":["ax0","bx1"],"order":0},{"lines":["cx0"],"order":1}]`; got != want {
		t.Errorf("orders = %s, want %s", got, want)
	}
}

func TestForeachBranchEndingInSeveralNodes(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `f:foreach:{"items":"."}`, `big:condition:{"expression":"input > 1"}`, `yes:map:{"jq":"\"big\""}`, `no:map:{"jq":"\"small\""}`},
		[]string{"t->f", "f.item->big", "big.true->yes", "big.false->no"}, "")
	state := &engine.MemoryState{}
	execute(t, mustCompile(t, doc, newRegistry(t, nil), engine.Env{}), []any{1, 2}, state, nil)
	if got, want := output(t, state, "f"), `[{"no":"small"},{"yes":"big"}]`; got != want {
		t.Errorf("f = %s, want %s", got, want)
	}
}

func TestDelayInsideForeachSuspendsTheRun(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `f:foreach:{"items":"."}`, `wait:delay:{"until":"."}`, `after:map:{"jq":"$nodes.f"}`},
		[]string{"t->f", "f.item->wait", "f.done->after"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	state := &engine.MemoryState{}
	clock := &fixedClock{t: epoch}
	soon, later := epoch.Add(time.Minute), epoch.Add(time.Hour)
	trigger := []any{later.Format(time.RFC3339), soon.Format(time.RFC3339)}
	res := execute(t, plan, trigger, state, clock)
	if res.Status != engine.RunSuspended || !res.Until.Equal(soon) {
		t.Fatalf("result = %+v, want suspended until the earliest delay %s", res, soon)
	}
	clock.Set(later)
	res = execute(t, plan, trigger, state, clock)
	if res.Status != engine.RunSucceeded {
		t.Fatalf("after both delays: %+v", res)
	}
	if got := output(t, state, "after"); !strings.Contains(got, later.Format(time.RFC3339)) {
		t.Errorf("after = %s", got)
	}
}

// countingState records like MemoryState and counts flushes.
type countingState struct {
	engine.MemoryState
	flushes int
}

func (c *countingState) Flush(context.Context) error {
	c.flushes++
	return nil
}

func TestRunInputReachesNodes(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `m:map:{"jq":"{run: $run, trigger: $trigger.n}"}`}, []string{"t->m"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	state := &countingState{}
	var x engine.Executor
	res, err := x.Execute(context.Background(), plan, engine.RunInput{
		RunID: "run-9", BusinessKey: "10234", Trigger: []byte(`{"n":1}`), State: state, Attempt: 3,
	})
	if err != nil || res.Status != engine.RunSucceeded {
		t.Fatalf("Execute = %+v, %v", res, err)
	}
	if got, want := output(t, &state.MemoryState, "m"), `{"run":{"business_key":"10234","id":"run-9"},"trigger":1}`; got != want {
		t.Errorf("m = %s, want %s", got, want)
	}
	rec, _ := state.Step("m")
	if rec.Attempt != 3 || rec.NodeType != "map" || rec.StartedAt.IsZero() || rec.FinishedAt.Before(rec.StartedAt) {
		t.Errorf("record = %+v", rec)
	}
	if state.flushes != 1 {
		t.Errorf("Flush called %d times, want 1", state.flushes)
	}
}

func TestForeachWithoutBranchEmitsItems(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `f:foreach:{"items":"map(. * 2)"}`, `sum:map:{"jq":"add"}`}, []string{"t->f", "f.done->sum"}, "")
	state := &engine.MemoryState{}
	execute(t, mustCompile(t, doc, newRegistry(t, nil), engine.Env{}), []any{1, 2, 3}, state, nil)
	if got := output(t, state, "sum"); got != "12" {
		t.Errorf("sum = %s, want 12", got)
	}
}

func TestForeachReportsTheFirstFailureNotTheCancellations(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, map[string]funcNode{
		"test.item": func(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
			if in.Value == "bad" {
				return engine.Outcome{}, errors.New("bad item")
			}
			<-ctx.Done() // only the failure of "bad" ends this
			return engine.Outcome{}, ctx.Err()
		},
	})
	doc := flowDoc([]string{trig, `f:foreach:{"items":".","concurrency":3}`, "x:test.item"}, []string{"t->f", "f.item->x"}, "")
	res := execute(t, mustCompile(t, doc, reg, engine.Env{}), []any{"slow", "slow", "bad"}, &engine.MemoryState{}, nil)
	if res.Status != engine.RunFailed || res.FailedStep != "x[2]" || !strings.Contains(res.Err.Error(), "bad item") {
		t.Fatalf("result = %+v, want the failure of x[2]", res)
	}
}

func TestNodesVariableIsASnapshot(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `a:map:{"jq":"$nodes"}`, `b:map:{"jq":"$nodes"}`, `c:map:{"jq":"$nodes | keys"}`}, []string{"t->a", "a->b", "b->c"}, "")
	state := &engine.MemoryState{}
	if res := execute(t, mustCompile(t, doc, newRegistry(t, nil), engine.Env{}), 1, state, nil); res.Status != engine.RunSucceeded {
		t.Fatalf("status = %s (%v)", res.Status, res.Err)
	}
	for key, want := range map[string]string{
		"a": `{"t":1}`,
		"b": `{"a":{"t":1},"t":1}`,
		"c": `["a","b","t"]`,
	} {
		if got := output(t, state, key); got != want {
			t.Errorf("%s = %s, want %s", key, got, want)
		}
	}
}

func TestNonJSONNumbersFailTheStep(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `m:map:{"jq":"{x: infinite}"}`}, []string{"t->m"}, "")
	res := execute(t, mustCompile(t, doc, newRegistry(t, nil), engine.Env{}), nil, &engine.MemoryState{}, nil)
	if res.Status != engine.RunFailed || !strings.Contains(res.Err.Error(), "unsupported value") {
		t.Fatalf("result = %+v, want a failure about the unsupported number", res)
	}
}

func TestFlowBuiltInGoGetsDefaultSettings(t *testing.T) {
	t.Parallel()
	flow := &engine.Flow{
		Nodes: []engine.FlowNode{{ID: "t", Type: "trigger.webhook"}, {ID: "m", Type: "map", Config: []byte(`{"jq":".n"}`)}},
		Edges: []engine.Edge{{From: "t", To: "m"}},
	}
	plan, err := engine.Compile(context.Background(), flow, newRegistry(t, nil), engine.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if res := execute(t, plan, map[string]any{"n": 5}, &engine.MemoryState{}, nil); res.Status != engine.RunSucceeded {
		t.Fatalf("status = %s (%v)", res.Status, res.Err)
	}
}

// strictState refuses records made with a finished context, like a database would.
type strictState struct{ engine.MemoryState }

func (s *strictState) Record(ctx context.Context, step engine.StepRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.MemoryState.Record(ctx, step)
}

func TestRunTimeoutIsStillRecorded(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, map[string]funcNode{
		"test.wait": func(ctx context.Context, _ *engine.Input) (engine.Outcome, error) {
			<-ctx.Done()
			return engine.Outcome{}, ctx.Err()
		},
	})
	plan := mustCompile(t, flowDoc([]string{trig, "x:test.wait"}, []string{"t->x"}, `{"timeout":"20ms"}`), reg, engine.Env{})
	state := &strictState{}
	var x engine.Executor
	res, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "r", State: state})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if res.Status != engine.RunFailed || !res.Retryable {
		t.Fatalf("result = %+v, want a retryable failure", res)
	}
	if rec, ok := state.Step("x"); !ok || rec.Status != engine.StepFailed {
		t.Errorf("step x = %+v, want it recorded as failed", rec)
	}
}

func TestPlanIsSharedByConcurrentRuns(t *testing.T) {
	t.Parallel()
	doc := flowDoc(
		[]string{trig, `f:foreach:{"items":".lines"}`, `m:map:{"jq":". * $trigger.k"}`, `sum:map:{"jq":"add"}`},
		[]string{"t->f", "f.item->m", "f.done->sum"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	var wg sync.WaitGroup
	for k := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			state := &engine.MemoryState{}
			var x engine.Executor
			res, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: fmt.Sprint(k), Trigger: map[string]any{"k": k, "lines": []any{1, 2, 3}}, State: state})
			if err != nil || res.Status != engine.RunSucceeded {
				t.Errorf("run %d: %+v %v", k, res, err)
				return
			}
			if rec, _ := state.Step("sum"); rec.Output != 6*k {
				t.Errorf("run %d: sum = %v, want %d", k, rec.Output, 6*k)
			}
		}()
	}
	wg.Wait()
}

// A replay with an edited input runs the edited step, and what follows it, on
// the replacement instead of the upstream output.
func TestExecuteWithEditedInput(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `a:map:{"jq":".n + 1"}`, `b:map:{"jq":". * 10"}`}, []string{"t->a", "a->b"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	state := &engine.MemoryState{}
	var x engine.Executor
	res, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "r", Trigger: map[string]any{"n": 1}, State: state,
		Inputs: map[string]any{"a": map[string]any{"n": 41}}})
	if err != nil || res.Status != engine.RunSucceeded {
		t.Fatalf("execute: %v %+v", err, res)
	}
	if a, b := output(t, state, "a"), output(t, state, "b"); a != "42" || b != "420" {
		t.Fatalf("a = %s, b = %s; want 42 and 420", a, b)
	}
	if rec, _ := state.Step("a"); fmt.Sprint(rec.Input) != "map[n:41]" {
		t.Fatalf("recorded input of a = %v, want the edited one", rec.Input)
	}
}

// journalState records like MemoryState and logs its calls beside the
// nodes' own entries; checkpointErr fails every checkpoint.
type journalState struct {
	engine.MemoryState
	log           *[]string
	checkpointErr error
}

func (j *journalState) Record(ctx context.Context, rec engine.StepRecord) error {
	*j.log = append(*j.log, "record "+rec.StepKey)
	return j.MemoryState.Record(ctx, rec)
}

func (j *journalState) Checkpoint(context.Context) error {
	*j.log = append(*j.log, "checkpoint")
	return j.checkpointErr
}

// The engine checkpoints before each step with side effects, never before
// one without, so an earlier side effect's record is kept before the next
// side effect starts.
func TestCheckpointBeforeEverySideEffect(t *testing.T) {
	t.Parallel()
	var log []string
	write := func(name string) funcNode {
		return func(context.Context, *engine.Input) (engine.Outcome, error) {
			log = append(log, "run "+name)
			return engine.Outcome{Output: name}, nil
		}
	}
	reg := newRegistry(t, nil)
	for _, typ := range []string{"test.writeA", "test.writeB"} {
		reg.Register(engine.NodeSpec{Type: typ, Title: typ, SideEffects: true, Config: &engine.Schema{Type: "object"}, Ports: []string{engine.PortOut}},
			func(*engine.Build) (engine.Node, error) { return write(typ[len("test."):]), nil })
	}
	doc := flowDoc([]string{trig, "a:test.writeA", `m:map:{"jq":"."}`, "b:test.writeB"}, []string{"t->a", "a->m", "m->b"}, "")
	plan := mustCompile(t, doc, reg, engine.Env{})
	var x engine.Executor
	res, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "run-1", Trigger: 1, State: &journalState{log: &log}, Attempt: 1})
	if err != nil || res.Status != engine.RunSucceeded {
		t.Fatalf("Execute = %+v, %v", res, err)
	}
	want := []string{"record t", "checkpoint", "run writeA", "record a", "record m", "checkpoint", "run writeB", "record b"}
	if strings.Join(log, ", ") != strings.Join(want, ", ") {
		t.Errorf("calls:\n got %v\nwant %v", log, want)
	}

	// A checkpoint that fails stops the run before the side effect, as an
	// infrastructure error (the run is executed again).
	log = nil
	_, err = x.Execute(context.Background(), plan, engine.RunInput{RunID: "run-2", Trigger: 1,
		State: &journalState{log: &log, checkpointErr: errors.New("database unavailable")}, Attempt: 1})
	if err == nil || !strings.Contains(err.Error(), `checkpoint before step "a"`) || !strings.Contains(err.Error(), "database unavailable") {
		t.Fatalf("Execute with a failing checkpoint: %v", err)
	}
	if slices.Contains(log, "run writeA") {
		t.Errorf("the side effect ran although its checkpoint failed: %v", log)
	}
}

// A step's record names the parent whose output its input is, when there is
// exactly one such recorded output; not for the trigger, a join, a foreach
// element or an edited input.
func TestStepRecordsNameWhereTheirInputCameFrom(t *testing.T) {
	t.Parallel()
	doc := flowDoc([]string{trig, `a:map:{"jq":". + 1"}`, `b:map:{"jq":". * 2"}`, `j:map:{"jq":"."}`,
		`f:foreach:{"items":"[., .]"}`, `x:map:{"jq":". + 10"}`, `y:map:{"jq":"."}`},
		[]string{"t->a", "a->b", "a->j", "b->j", "t->f", "f.item->x", "x->y"}, "")
	plan := mustCompile(t, doc, newRegistry(t, nil), engine.Env{})
	state := &engine.MemoryState{}
	if res := execute(t, plan, 1, state, nil); res.Status != engine.RunSucceeded {
		t.Fatalf("run: %+v", res)
	}
	for key, want := range map[string]string{"t": "", "a": "t", "b": "a", "j": "", "f": "t", "x[0]": "", "y[0]": "x[0]", "y[1]": "x[1]"} {
		rec, ok := state.Step(key)
		if !ok {
			t.Fatalf("no step %s", key)
		}
		if rec.InputFrom != want {
			t.Errorf("%s: InputFrom %q, want %q", key, rec.InputFrom, want)
		}
	}

	var x engine.Executor
	edited := &engine.MemoryState{}
	if _, err := x.Execute(context.Background(), plan, engine.RunInput{RunID: "run-2", Trigger: 1, State: edited, Attempt: 1,
		Inputs: map[string]any{"b": 40}}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := edited.Step("b"); rec.InputFrom != "" || fmt.Sprint(rec.Input) != "40" {
		t.Errorf("an edited input: %+v, want it recorded itself", rec)
	}
}
