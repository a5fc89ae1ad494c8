package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/bridgework/bridgework/internal/jsonkind"
)

// RunStatus is the outcome of one execution of a run.
type RunStatus string

// Run statuses.
const (
	RunSucceeded RunStatus = "succeeded"
	RunFailed    RunStatus = "failed"
	// RunSuspended means a delay step is waiting; execute the run again
	// with the same RunState at or after Result.Until.
	RunSuspended RunStatus = "suspended"
)

// Clock tells the time; tests pass a fixed one.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// RunInput is one execution of a run.
type RunInput struct {
	RunID string
	// Trigger is the trigger payload: plain JSON values, json.RawMessage or
	// anything encoding/json can encode.
	Trigger any
	// BusinessKey is exposed to expressions as $run.business_key (compute
	// it once with Plan.BusinessKey when the run is created).
	BusinessKey string
	// State holds the steps of earlier executions and records new ones.
	State RunState
	// Clock defaults to the system clock.
	Clock Clock
	// Attempt is the job attempt number, copied into step records.
	Attempt int
	// Inputs replaces the computed input of steps, by step key: a replay
	// with an edited input (values as Trigger). The edited step and what
	// follows it run on the replacement.
	Inputs map[string]any
}

// Result is the outcome of Execute.
type Result struct {
	Status RunStatus
	// Until is set when Status is RunSuspended.
	Until time.Time
	// FailedNode and FailedStep name the step that failed the run (the
	// innermost one inside foreach branches); Err is its error.
	FailedNode string
	FailedStep string
	Err        error
	// Retryable tells whether running again may succeed (network errors,
	// 5xx, 429, timeouts); RetryAfter is a delay the target asked for.
	Retryable  bool
	RetryAfter time.Duration
}

// StepError is a step failure; it wraps the node's error.
type StepError struct {
	NodeID  string
	StepKey string
	Err     error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("node %q: %v", e.StepKey, e.Err)
}

// Unwrap returns the node's error.
func (e *StepError) Unwrap() error { return e.Err }

// StepHook observes step executions (metrics, tracing). StartStep is called
// before a node runs; the returned context is the node's, and end is called
// with the node's error once it returns.
type StepHook interface {
	StartStep(ctx context.Context, nodeID, nodeType string) (_ context.Context, end func(error))
}

// Executor runs compiled plans. The zero value is ready to use.
type Executor struct {
	// Hook, when set, observes every node run.
	Hook StepHook
}

// Execute runs a plan for one trigger payload. Steps recorded as succeeded
// in in.State are not run again: their outputs are reused. A node failure is
// reported in the Result (not as an error); the error is for failures of the
// RunState or a cancelled ctx, after which the run should be executed again.
func (x *Executor) Execute(ctx context.Context, plan *Plan, in RunInput) (Result, error) {
	if plan == nil || in.State == nil {
		return Result{}, errors.New("engine: execute: plan and state are required")
	}
	trigger, err := Normalize(in.Trigger)
	if err != nil {
		return Result{}, fmt.Errorf("engine: execute: trigger payload: %w", err)
	}
	completed, err := in.State.Completed(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("engine: execute: load completed steps: %w", err)
	}
	clock := in.Clock
	if clock == nil {
		clock = systemClock{}
	}
	runCtx, cancel := context.WithTimeout(ctx, time.Duration(plan.settings.Timeout))
	defer cancel()
	inputs := make(map[string]any, len(in.Inputs))
	for k, v := range in.Inputs {
		if inputs[k], err = Normalize(v); err != nil {
			return Result{}, fmt.Errorf("engine: execute: input of step %q: %w", k, err)
		}
	}
	r := &run{
		stateCtx:  ctx,
		plan:      plan,
		in:        in,
		inputs:    inputs,
		trigger:   trigger,
		completed: completed,
		clock:     clock,
		hook:      x.Hook,
		runInfo:   map[string]any{"id": in.RunID, "business_key": in.BusinessKey},
	}
	root := &scope{run: r, nodes: plan.root, outputs: map[string]any{}, settled: make(map[string]settlement, len(plan.order))}
	res := root.execute(runCtx)
	flushErr := in.State.Flush(ctx)
	if res.infra != nil {
		return Result{}, res.infra
	}
	if ctx.Err() != nil {
		return Result{}, fmt.Errorf("engine: execute: %w", ctx.Err())
	}
	if flushErr != nil {
		return Result{}, fmt.Errorf("engine: execute: flush steps: %w", flushErr)
	}
	switch {
	case res.failure != nil:
		f := innermost(res.failure)
		cause := res.failure.Err
		if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
			cause = fmt.Errorf("run timed out after %s: %w", time.Duration(plan.settings.Timeout), cause)
		}
		return Result{
			Status:     RunFailed,
			FailedNode: f.NodeID,
			FailedStep: f.StepKey,
			Err:        &StepError{NodeID: f.NodeID, StepKey: f.StepKey, Err: cause},
			Retryable:  Retryable(cause),
			RetryAfter: RetryAfter(cause),
		}, nil
	case !res.until.IsZero():
		return Result{Status: RunSuspended, Until: res.until}, nil
	}
	return Result{Status: RunSucceeded}, nil
}

func innermost(e *StepError) *StepError {
	for {
		var inner *StepError
		if !errors.As(e.Err, &inner) {
			return e
		}
		e = inner
	}
}

type run struct {
	// stateCtx is the caller's context, used for RunState calls so a run
	// that times out still records its failure.
	stateCtx  context.Context
	plan      *Plan
	in        RunInput
	trigger   any
	completed map[string]StepRecord
	inputs    map[string]any // edited step inputs, by step key
	clock     Clock
	hook      StepHook
	runInfo   map[string]any
}

type settleState uint8

const (
	settledOutput    settleState = iota + 1 // output on port (success, or failure routed to "error")
	settledSkipped                          // no output; children may be skipped
	settledSuspended                        // waiting; children wait too
)

type settlement struct {
	state  settleState
	port   string
	output any
}

// scope runs a list of nodes: the top level of a plan, or one foreach
// iteration of a branch.
type scope struct {
	run     *run
	nodes   []*planNode
	suffix  string // step key suffix, "[i]" per enclosing iteration
	entry   string // in an iteration, the foreach node: its output here is the element, not its record's
	item    any
	index   any
	outputs map[string]any // $nodes; replaced, never modified (see setOutput)
	settled map[string]settlement
}

type scopeResult struct {
	failure *StepError
	until   time.Time // earliest suspension
	infra   error     // RunState failure
}

func (s *scope) execute(ctx context.Context) scopeResult {
	var res scopeResult
	for _, n := range s.nodes {
		if err := ctx.Err(); err != nil {
			return scopeResult{failure: &StepError{NodeID: n.id, StepKey: s.stepKey(n), Err: err}}
		}
		input, from, state := s.gather(n)
		if state != 0 {
			s.settled[n.id] = settlement{state: state}
			if state == settledSkipped {
				if err := s.record(n, StepRecord{Status: StepSkipped}); err != nil {
					return scopeResult{infra: err}
				}
			}
			continue
		}
		st, out := s.step(ctx, n, input, from)
		switch {
		case out.infra != nil:
			return out
		case out.failure != nil:
			return out
		case !out.until.IsZero():
			if res.until.IsZero() || out.until.Before(res.until) {
				res.until = out.until
			}
		}
		s.settled[n.id] = st
	}
	return res
}

// gather works out a node's input from its settled parents, or that it is
// skipped or waiting. from is the step key of the one parent whose recorded
// output the input is, if there is such a parent (see StepRecord.InputFrom).
func (s *scope) gather(n *planNode) (input any, from string, state settleState) {
	var (
		active []planEdge
		values []any
	)
	if n == s.run.plan.trigger {
		return s.run.trigger, "", 0
	}
	for _, e := range n.parents {
		st := s.settled[e.from.id]
		switch st.state {
		case settledSuspended:
			return nil, "", settledSuspended
		case settledOutput:
			if st.port == e.port {
				active = append(active, e)
				values = append(values, st.output)
			}
		}
	}
	switch len(active) {
	case 0:
		return nil, "", settledSkipped
	case 1:
		if p := active[0].from; p.id != s.entry {
			from = s.stepKey(p)
		}
		return values[0], from, 0
	}
	joined := make(map[string]any, len(active))
	for i, e := range active {
		joined[e.from.id] = values[i]
	}
	return joined, "", 0
}

func (s *scope) stepKey(n *planNode) string {
	if s.suffix == "" {
		return n.id
	}
	return n.id + s.suffix
}

func (s *scope) record(n *planNode, rec StepRecord) error {
	rec.StepKey = s.stepKey(n)
	rec.NodeID = n.id
	rec.NodeType = n.typ
	rec.Attempt = s.run.in.Attempt
	rec.SideEffects = n.sideEffects
	if rec.StartedAt.IsZero() {
		rec.StartedAt = s.run.clock.Now()
		rec.FinishedAt = rec.StartedAt
	}
	if err := s.run.in.State.Record(s.run.stateCtx, rec); err != nil {
		return fmt.Errorf("engine: record step %q: %w", rec.StepKey, err)
	}
	return nil
}

// step runs one node (or reuses its checkpoint) and settles it; from is
// gather's parent step key.
func (s *scope) step(ctx context.Context, n *planNode, input any, from string) (settlement, scopeResult) {
	key := s.stepKey(n)
	prev, hasPrev := s.run.completed[key]
	if hasPrev && prev.Status == StepSucceeded {
		s.setOutput(n.id, prev.Output)
		return settlement{state: settledOutput, port: prev.Port, output: prev.Output}, scopeResult{}
	}
	if edited, ok := s.run.inputs[key]; ok {
		input, from = edited, ""
	}
	in := &Input{
		Value: input, Trigger: s.run.trigger, Nodes: s.outputs, Run: s.run.runInfo,
		Item: s.item, Index: s.index, NodeID: n.id, StepKey: key,
		RunID: s.run.in.RunID, Attempt: s.run.in.Attempt, Now: s.run.clock.Now(),
	}
	if hasPrev && prev.Status == StepSuspended {
		in.SuspendedUntil = prev.Until
	}
	if n.sideEffects {
		if err := s.run.in.State.Checkpoint(s.run.stateCtx); err != nil {
			return settlement{}, scopeResult{infra: fmt.Errorf("engine: checkpoint before step %q: %w", key, err)}
		}
	}
	rec := StepRecord{Input: input, InputFrom: from, StartedAt: in.Now}
	out, err := s.invoke(ctx, n, in)
	if err == nil && !out.SuspendUntil.IsZero() {
		rec.Status, rec.Until, rec.FinishedAt = StepSuspended, out.SuspendUntil, s.run.clock.Now()
		if err := s.record(n, rec); err != nil {
			return settlement{}, scopeResult{infra: err}
		}
		return settlement{state: settledSuspended}, scopeResult{until: out.SuspendUntil}
	}
	if err == nil && n.spec.Iterates {
		var res scopeResult
		out.Output, res = s.iterate(ctx, n, out.Output)
		switch {
		case res.infra != nil:
			return settlement{}, res
		case res.failure != nil:
			err = res.failure
		case !res.until.IsZero():
			return settlement{state: settledSuspended}, res
		default:
			err = s.checkSize(out.Output)
		}
	}
	rec.FinishedAt = s.run.clock.Now()
	if err != nil {
		rec.Status, rec.Error = StepFailed, err.Error()
		stepErr := &StepError{NodeID: n.id, StepKey: key, Err: err}
		if len(n.children[PortError]) == 0 {
			if rerr := s.record(n, rec); rerr != nil {
				return settlement{}, scopeResult{infra: rerr}
			}
			return settlement{}, scopeResult{failure: stepErr}
		}
		rec.Port = PortError
		rec.Output = map[string]any{"message": err.Error(), "node": n.id, "step": key, "retryable": Retryable(err)}
		if rerr := s.record(n, rec); rerr != nil {
			return settlement{}, scopeResult{infra: rerr}
		}
		return settlement{state: settledOutput, port: PortError, output: rec.Output}, scopeResult{}
	}
	rec.Status, rec.Port, rec.Output = StepSucceeded, out.Port, out.Output
	if err := s.record(n, rec); err != nil {
		return settlement{}, scopeResult{infra: err}
	}
	s.setOutput(n.id, out.Output)
	return settlement{state: settledOutput, port: out.Port, output: out.Output}, scopeResult{}
}

// setOutput adds a step's output to $nodes. Maps handed to earlier steps
// are never changed (their outputs may hold them), so it copies.
func (s *scope) setOutput(id string, v any) {
	next := make(map[string]any, len(s.outputs)+1)
	for k, o := range s.outputs {
		next[k] = o
	}
	next[id] = v
	s.outputs = next
}

// invoke calls the node under its timeout, turning panics into errors and
// checking the port and the output's size.
func (s *scope) invoke(ctx context.Context, n *planNode, in *Input) (out Outcome, err error) {
	stepCtx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	if h := s.run.hook; h != nil {
		var end func(error)
		stepCtx, end = h.StartStep(stepCtx, n.id, n.typ)
		defer func() { end(err) }()
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in node %q: %v", n.id, r)
		}
	}()
	out, err = n.node.Run(stepCtx, in)
	if err != nil {
		if ctx.Err() == nil && errors.Is(stepCtx.Err(), context.DeadlineExceeded) {
			// the step's own timeout, whatever error the node made of it
			err = fmt.Errorf("step timed out after %s: %w", n.timeout, &TransientError{Err: err})
		}
		return Outcome{}, err
	}
	if !out.SuspendUntil.IsZero() {
		return out, nil
	}
	switch {
	case n.spec.Iterates:
		out.Port = PortDone
	case out.Port == "":
		out.Port = PortOut
	}
	if !n.hasPort(out.Port) {
		return Outcome{}, fmt.Errorf("node took unknown port %q", out.Port)
	}
	if n != s.run.plan.trigger && sameValue(out.Output, in.Value) {
		return out, nil // passed through: checked when it was produced
	}
	limit := s.run.plan.settings.MaxOutputBytes
	if limit <= 0 {
		limit = math.MaxInt
	}
	size := plainSize(out.Output, limit)
	if size < 0 {
		if out.Output, err = Normalize(out.Output); err != nil {
			return Outcome{}, err
		}
		size = plainSize(out.Output, limit)
	}
	if size > limit && !n.spec.Iterates {
		return Outcome{}, sizeError(limit)
	}
	return out, nil
}

func (s *scope) checkSize(v any) error {
	limit := s.run.plan.settings.MaxOutputBytes
	if limit > 0 && plainSize(v, limit) > limit {
		return sizeError(limit)
	}
	return nil
}

func sizeError(limit int) error {
	return fmt.Errorf("output is larger than settings.max_output_bytes (%d bytes)", limit)
}

func (n *planNode) hasPort(port string) bool {
	for _, p := range n.ports {
		if p == port {
			return true
		}
	}
	return false
}

// iterate runs a foreach node's branch once per element, at most
// Concurrency() at a time, and collects each iteration's result.
func (s *scope) iterate(ctx context.Context, f *planNode, items any) (any, scopeResult) {
	list, ok := items.([]any)
	if !ok {
		return nil, scopeResult{failure: &StepError{NodeID: f.id, StepKey: s.stepKey(f), Err: fmt.Errorf("items must be an array, got %s", jsonkind.Article(jsonkind.Of(items)))}}
	}
	limit := DefaultConcurrency
	if cl, ok := f.node.(ConcurrencyLimiter); ok && cl.Concurrency() > 0 {
		limit = cl.Concurrency()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]any, len(list))
	outcomes := make([]scopeResult, len(list))
	next := make(chan int)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first *scopeResult // the first failure; later ones may only be its cancellation
	)
	for range min(limit, len(list)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], outcomes[i] = s.iteration(ctx, f, i, list[i])
				if outcomes[i].failure != nil || outcomes[i].infra != nil {
					mu.Lock()
					if first == nil {
						first = &outcomes[i]
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for i := range list {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, *first
	}
	var res scopeResult
	for _, o := range outcomes {
		if !o.until.IsZero() && (res.until.IsZero() || o.until.Before(res.until)) {
			res.until = o.until
		}
	}
	if ctx.Err() != nil { // cancelled from outside: some elements may not have run
		res.failure = &StepError{NodeID: f.id, StepKey: s.stepKey(f), Err: ctx.Err()}
	}
	if res.failure != nil || !res.until.IsZero() {
		return nil, res
	}
	return results, scopeResult{}
}

func (s *scope) iteration(ctx context.Context, f *planNode, i int, item any) (any, scopeResult) {
	child := &scope{
		run:     s.run,
		nodes:   f.body,
		suffix:  s.suffix + "[" + strconv.Itoa(i) + "]",
		entry:   f.id,
		item:    item,
		index:   i,
		outputs: s.outputs,
		settled: map[string]settlement{f.id: {state: settledOutput, port: PortItem, output: item}},
	}
	res := child.execute(ctx)
	if res.failure != nil || res.infra != nil || !res.until.IsZero() {
		return nil, res
	}
	if len(f.sinks) == 0 {
		return item, res // no branch: the element itself
	}
	if len(f.sinks) == 1 {
		return child.settled[f.sinks[0].id].output, res
	}
	joined := map[string]any{}
	for _, sink := range f.sinks {
		if st := child.settled[sink.id]; st.state == settledOutput {
			joined[sink.id] = st.output
		}
	}
	return joined, res
}
