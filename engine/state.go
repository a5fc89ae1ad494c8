package engine

import (
	"context"
	"sync"
	"time"
)

// StepStatus is the outcome of one step.
type StepStatus string

// Step statuses.
const (
	StepSucceeded StepStatus = "succeeded"
	StepFailed    StepStatus = "failed"
	StepSkipped   StepStatus = "skipped"
	// StepSuspended marks a step waiting until StepRecord.Until (delay).
	StepSuspended StepStatus = "suspended"
)

// StepRecord is what the engine records about one step.
type StepRecord struct {
	// StepKey identifies the step within the run: the node id, followed by
	// "[i]" per enclosing foreach iteration (e.g. "lines[3]").
	StepKey  string     `json:"step_key"`
	NodeID   string     `json:"node_id"`
	NodeType string     `json:"node_type"`
	Status   StepStatus `json:"status"`
	Input    any        `json:"input,omitempty"`
	Output   any        `json:"output,omitempty"`
	// InputFrom is the step key of the parent whose recorded output Input is
	// (the common case of a node with one active parent), so a RunState may
	// store the reference instead of the same document twice. Empty when the
	// input is anything else: the trigger payload, a join, a foreach element,
	// an input edited for a replay.
	InputFrom string `json:"input_from,omitempty"`
	Error     string `json:"error,omitempty"`
	// Port is the output port taken ("error" when a failure was routed).
	Port       string    `json:"port,omitempty"`
	Attempt    int       `json:"attempt"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// Until is when a suspended step may complete.
	Until time.Time `json:"until,omitzero"`
	// SideEffects tells whether the step changed something outside the run
	// (NodeSpec.SideEffects, or the node's SideEffecter answer; see RunState).
	SideEffects bool `json:"side_effects,omitempty"`
}

// RunState stores a run's steps. The engine calls it from several goroutines
// inside a foreach, so implementations must be safe for concurrent use.
//
// Record is called once per settled step and execution: a later execution
// of the same run (retry, resume) records its skipped, failed and new steps
// again under the same step keys, with its own Attempt. An implementation may
// buffer records. A recorded step whose SideEffects is true is what stops a
// retry from repeating the side effect, so it must be persisted before the
// next side effect starts: the engine calls Checkpoint before every step with
// side effects, and Flush once at the end of every execution. Whoever executes
// the run stores what is still buffered with its outcome; until then a crash
// repeats the last side effect, as a crash just before its record was written
// would.
type RunState interface {
	// Completed returns, by step key, the steps that succeeded (checkpoints,
	// not run again) or were suspended (with Until) in earlier executions.
	Completed(ctx context.Context) (map[string]StepRecord, error)
	Record(ctx context.Context, step StepRecord) error
	// Checkpoint persists every buffered record of a step with side effects
	// (and those buffered before it).
	Checkpoint(ctx context.Context) error
	Flush(ctx context.Context) error
}

// MemoryState is an in-memory RunState for tests, benchmarks and the editor's
// test runs. The zero value is ready to use.
type MemoryState struct {
	mu    sync.Mutex
	steps []StepRecord
	done  map[string]StepRecord
}

// Completed implements RunState.
func (m *MemoryState) Completed(context.Context) (map[string]StepRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]StepRecord, len(m.done))
	for k, v := range m.done {
		out[k] = v
	}
	return out, nil
}

// Record implements RunState.
func (m *MemoryState) Record(_ context.Context, step StepRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.steps = append(m.steps, step)
	switch step.Status {
	case StepSucceeded, StepSuspended:
		if m.done == nil {
			m.done = map[string]StepRecord{}
		}
		m.done[step.StepKey] = step
	}
	return nil
}

// Checkpoint implements RunState; MemoryState keeps nothing back.
func (m *MemoryState) Checkpoint(context.Context) error { return nil }

// Flush implements RunState; MemoryState has nothing to flush.
func (m *MemoryState) Flush(context.Context) error { return nil }

// Steps returns every record in the order it was recorded.
func (m *MemoryState) Steps() []StepRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]StepRecord(nil), m.steps...)
}

// Step returns the latest record of a step key.
func (m *MemoryState) Step(key string) (StepRecord, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.steps) - 1; i >= 0; i-- {
		if m.steps[i].StepKey == key {
			return m.steps[i], true
		}
	}
	return StepRecord{}, false
}
