package runner

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/schema"
	"github.com/bridgework/bridgework/store"
)

// ValidationStep is the step key under which a run's payload check against
// its flow's accepted data schema is recorded.
const ValidationStep = "$validation"

// schemaCacheTTL bounds how long an accepted schema change takes to apply.
const schemaCacheTTL = 30 * time.Second

// Schemas finds and caches the accepted data schema of each flow.
type Schemas struct {
	Store *store.Store
	mu    sync.Mutex
	cache map[string]cachedSchema
}

type cachedSchema struct {
	schema  *schema.Schema // nil: the flow has none
	mode    schema.Mode
	fetched time.Time
}

// For returns the flow's schema and mode; a nil schema means no check.
func (s *Schemas) For(ctx context.Context, tenantID, flowID string) (*schema.Schema, schema.Mode, error) {
	s.mu.Lock()
	c, ok := s.cache[flowID]
	s.mu.Unlock()
	if ok && time.Since(c.fetched) < schemaCacheTTL {
		return c.schema, c.mode, nil
	}
	c = cachedSchema{fetched: time.Now()}
	d, err := s.Store.Tenant(tenantID).SchemaForFlow(ctx, flowID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, "", err
	default:
		if c.schema, err = schema.Parse(d.Document); err != nil {
			return nil, "", err
		}
		if c.mode, err = schema.ParseMode(d.Mode); err != nil {
			return nil, "", err
		}
	}
	s.mu.Lock()
	if s.cache == nil {
		s.cache = map[string]cachedSchema{}
	}
	s.cache[flowID] = c
	s.mu.Unlock()
	return c.schema, c.mode, nil
}

// check validates a run's trigger payload against its flow's schema and
// records the outcome as a step. In fail mode violations fail the run
// permanently; in warn mode they are recorded and the run goes on.
func (s *Schemas) check(ctx context.Context, ts *store.Scoped, run *store.Run, payload any) error {
	sc, mode, err := s.For(ctx, ts.TenantID(), run.FlowID)
	if err != nil || sc == nil {
		return err
	}
	violations, failure := schema.Check(sc, payload, mode)
	if len(violations) == 0 {
		return nil
	}
	now := store.Now()
	st := newState(ts, run.ID, false)
	rec := engine.StepRecord{StepKey: ValidationStep, NodeID: ValidationStep, NodeType: "schema", Status: engine.StepSucceeded,
		Output: map[string]any{"mode": mode, "violations": violations}, Attempt: run.Attempt, StartedAt: now, FinishedAt: now}
	if failure != nil {
		rec.Status, rec.Error = engine.StepFailed, failure.Error()
	}
	if err := st.Record(ctx, rec); err != nil {
		return err
	}
	if err := st.write(ctx); err != nil {
		return err
	}
	return failure
}
