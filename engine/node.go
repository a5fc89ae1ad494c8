package engine

import (
	"context"
	"time"
)

// Node is a compiled node instance. A Plan holds one per flow node and calls
// Run for every step, possibly concurrently (foreach), so Run must not mutate
// the node.
type Node interface {
	Run(ctx context.Context, in *Input) (Outcome, error)
}

// Input is what a node sees when it runs.
type Input struct {
	// Value is the node's input: the upstream output (see docs/flows.md for
	// joins). For the trigger node it is the trigger payload.
	Value any
	// Trigger is the run's trigger payload.
	Trigger any
	// Nodes maps node ids to the outputs of the steps that succeeded so far
	// (inside a foreach iteration: including that iteration's steps).
	Nodes map[string]any
	// Run is {"id": ..., "business_key": ...}.
	Run map[string]any
	// Item and Index are the current foreach element and its index; both are
	// nil outside a foreach branch.
	Item  any
	Index any

	NodeID  string
	StepKey string
	RunID   string
	Attempt int
	// Now is the run clock's time when the step started.
	Now time.Time
	// SuspendedUntil is set when an earlier execution suspended this step.
	SuspendedUntil time.Time
}

// Outcome is what a node returns from Run.
type Outcome struct {
	// Output is the step's output, a JSON-compatible value.
	Output any
	// Port is the output port taken; empty means PortOut.
	Port string
	// SuspendUntil, when set, suspends the step (and the run) until that
	// time instead of completing it. Output and Port are then ignored.
	SuspendUntil time.Time
}
