package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/pan"
	"github.com/bridgework/bridgework/store"
)

// state is the engine.RunState of one run, stored in run_steps. Steps are
// buffered; the buffer is written when the engine checkpoints before a step
// with side effects and an earlier side effect is still unwritten, so a retry
// finds that earlier one and does not repeat it. The engine's last Flush
// leaves the buffer to the worker, which stores it with the run's outcome
// (Take): a flow whose last side effect is its last step writes its steps once.
// A crash before that repeats the steps after the last written side effect,
// the last side effect included, just as a crash before an immediate write of
// its record would.
type state struct {
	ts    *store.Scoped
	runID string
	// fresh: the run has no recorded steps yet, so there is nothing to read.
	fresh bool
	// lean: inputs are kept only for failed steps.
	lean bool

	mu      sync.Mutex
	pending []store.RunStep
	// unsaved: pending holds the record of a step with side effects.
	unsaved bool
}

func newState(ts *store.Scoped, runID string, fresh bool) *state {
	return &state{ts: ts, runID: runID, fresh: fresh}
}

// Completed returns the latest succeeded or suspended record of each step.
func (s *state) Completed(ctx context.Context) (map[string]engine.StepRecord, error) {
	if s.fresh {
		return map[string]engine.StepRecord{}, nil
	}
	steps, err := s.ts.RunSteps(ctx, s.runID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]engine.StepRecord)
	for _, st := range steps {
		status := engine.StepStatus(st.Status)
		if status != engine.StepSucceeded && status != engine.StepSuspended {
			delete(out, st.StepKey) // a later failure supersedes an earlier suspension
			continue
		}
		rec := engine.StepRecord{StepKey: st.StepKey, NodeID: st.NodeID, NodeType: st.NodeType,
			Status: status, Port: st.Port, Attempt: st.Attempt, StartedAt: st.StartedAt, FinishedAt: st.FinishedAt}
		if len(st.Output) > 0 {
			if rec.Output, err = engine.DecodeJSON(st.Output); err != nil {
				return nil, fmt.Errorf("step %s output: %w", st.StepKey, err)
			}
		}
		if st.UntilAt != nil {
			rec.Until = *st.UntilAt
		}
		out[st.StepKey] = rec
	}
	return out, nil
}

// Record buffers a step.
func (s *state) Record(_ context.Context, rec engine.StepRecord) error {
	row, err := s.row(rec)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.pending = append(s.pending, row)
	s.unsaved = s.unsaved || rec.SideEffects
	s.mu.Unlock()
	return nil
}

// Checkpoint implements engine.RunState: it writes the buffer when it holds a
// side effect's record.
func (s *state) Checkpoint(ctx context.Context) error {
	s.mu.Lock()
	unsaved := s.unsaved
	s.mu.Unlock()
	if !unsaved {
		return nil
	}
	return s.write(ctx)
}

// Flush implements engine.RunState: the buffer is written with the run's
// outcome.
func (s *state) Flush(context.Context) error { return nil }

// Take returns the buffered steps and empties the buffer.
func (s *state) Take() []store.RunStep {
	s.mu.Lock()
	defer s.mu.Unlock()
	batch := s.pending
	s.pending, s.unsaved = nil, false
	return batch
}

// write stores the buffered steps.
func (s *state) write(ctx context.Context) error {
	s.mu.Lock()
	batch := s.pending
	s.pending, s.unsaved = nil, false
	s.mu.Unlock()
	if err := s.ts.InsertSteps(ctx, batch); err != nil {
		s.mu.Lock()
		s.pending, s.unsaved = append(batch, s.pending...), true
		s.mu.Unlock()
		return err
	}
	return nil
}

func (s *state) row(rec engine.StepRecord) (store.RunStep, error) {
	row := store.RunStep{RunID: s.runID, StepKey: rec.StepKey, NodeID: rec.NodeID, NodeType: rec.NodeType,
		Status: string(rec.Status), Port: rec.Port, Error: httpx.RedactCardNumbers(rec.Error), Attempt: rec.Attempt,
		StartedAt: rec.StartedAt.UTC(), FinishedAt: rec.FinishedAt.UTC()}
	var err error
	switch {
	case rec.InputFrom != "":
		row.InputFrom = rec.InputFrom // the parent's output, stored with the parent
	case !s.lean || rec.Status == engine.StepFailed:
		if row.Input, err = encode(rec.Input); err != nil {
			return row, fmt.Errorf("step %s input: %w", rec.StepKey, err)
		}
	}
	if row.Output, err = encode(rec.Output); err != nil {
		return row, fmt.Errorf("step %s output: %w", rec.StepKey, err)
	}
	if !rec.Until.IsZero() {
		u := rec.Until.UTC()
		row.UntilAt = &u
	}
	return row, nil
}

// encode marshals a step's input or output with card data masked: run
// history never holds card numbers or verification values.
func encode(v any) (store.JSON, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	return pan.MaskJSON(b), err
}
