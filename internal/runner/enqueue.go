// Package runner starts flow runs and works them: a run row and its River job
// are created in one transaction, and a thin River worker executes the run's
// compiled plan through the engine, recording every step.
package runner

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/coalesce"
	"github.com/bridgework/bridgework/internal/pan"
	"github.com/bridgework/bridgework/internal/plans"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/telemetry"
	"github.com/bridgework/bridgework/store"
)

// Args identify the run a job executes; payloads stay in the database.
type Args struct {
	TenantID string `json:"tenant_id"`
	RunID    string `json:"run_id"`
	// TraceParent continues the trigger's trace in the job (W3C traceparent).
	TraceParent string `json:"traceparent,omitempty"`
	// Fresh says no steps were seeded into the run when it was created, so
	// its first attempt need not read any.
	Fresh bool `json:"fresh,omitempty"`
}

// Kind names the job type in River.
func (Args) Kind() string { return "run_flow" }

// InsertOpts keep runs retrying under the flow's own policy rather than
// River's: failures snooze the job, so River's attempt limit is a backstop.
func (Args) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 10} }

// Enqueuer creates runs.
type Enqueuer struct {
	Store *store.Store
	Queue *queue.Client
	Plans *plans.Compiler
	// GroupMax bounds the runs committed in one grouped transaction; 0 means
	// DefaultGroupMax, 1 commits each alone.
	GroupMax int

	versions  versionCache
	groupOnce sync.Once
	group     coalesce.Batcher[*call]
}

// Start describes a run to create.
type Start struct {
	TenantID  string
	Flow      *store.Flow
	Version   *store.FlowVersion
	Payload   []byte            // the trigger payload, JSON
	Decoded   any               // Payload already decoded with engine.DecodeJSON, if at hand
	DedupeKey string            // empty: no deduplication
	ReplayOf  string            // the run a replay takes over
	Replay    store.JSON        // a replay's spec (ReplaySpec), stored on the new run
	JobOpts   *river.InsertOpts // scheduling of the run's job (bulk replays spread out)
	// Seeded must be set by callers that store steps into the new run in the
	// same transaction (replays, batches): its first attempt then reads them.
	Seeded bool
}

// ErrNotPublished is returned when a trigger fires for a flow with no published version.
var ErrNotPublished = errors.New("the flow has no published version")

// PublishedVersion loads the version of a flow that runs.
func (e *Enqueuer) PublishedVersion(ctx context.Context, tenantID string, f *store.Flow) (*store.FlowVersion, error) {
	if f.PublishedVersion == nil {
		return nil, ErrNotPublished
	}
	k := versionKey{tenantID: tenantID, flowID: f.ID, version: *f.PublishedVersion}
	if v, ok := e.versions.get(k); ok {
		return v, nil
	}
	v, err := e.Store.Tenant(tenantID).FlowVersion(ctx, f.ID, *f.PublishedVersion)
	if err != nil {
		return nil, err
	}
	e.versions.put(k, v)
	return v, nil
}

// Enqueue stores a queued run and its job in one transaction. With a dedupe
// key that already started a run of the flow, it returns that run and
// duplicate = true, and creates nothing. Concurrent calls share
// transactions (see enqueueGrouped), so a burst costs few commits.
func (e *Enqueuer) Enqueue(ctx context.Context, s Start) (run *store.Run, duplicate bool, err error) {
	if s.Seeded || s.JobOpts != nil {
		return e.enqueueOne(ctx, s)
	}
	return e.enqueueGrouped(ctx, s)
}

// enqueueOne is Enqueue in a transaction of its own.
func (e *Enqueuer) enqueueOne(ctx context.Context, s Start) (run *store.Run, duplicate bool, err error) {
	err = e.Store.InTx(ctx, func(tx *store.Tx) error {
		run, duplicate, err = e.EnqueueTx(ctx, tx, s)
		return err
	})
	if errors.Is(err, store.ErrConflict) && s.DedupeKey != "" {
		// A concurrent delivery with the same key won the race.
		if existing, findErr := e.Store.Tenant(s.TenantID).RunByDedupeKey(ctx, s.Flow.ID, s.DedupeKey); findErr == nil {
			return existing, true, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return run, duplicate, nil
}

// EnqueueTx is Enqueue inside the caller's transaction.
func (e *Enqueuer) EnqueueTx(ctx context.Context, tx *store.Tx, s Start) (*store.Run, bool, error) {
	run, err := e.newRun(ctx, s)
	if err != nil {
		return nil, false, err
	}
	ts := tx.Tenant(s.TenantID)
	if s.DedupeKey != "" {
		existing, err := ts.RunByDedupeKey(ctx, s.Flow.ID, s.DedupeKey)
		if err == nil {
			return existing, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return nil, false, err
		}
	}
	// The job goes in first so the run row carries its id: both commit together.
	jobID, err := e.Queue.InsertTx(ctx, tx, e.args(ctx, s, run), s.JobOpts)
	if err != nil {
		return nil, false, err
	}
	run.JobID = &jobID
	if err := ts.CreateRun(ctx, run); err != nil {
		return nil, false, err
	}
	return run, false, nil
}

// newRun builds the row of a run to start, not yet stored. The stored
// payload, which the run later executes on, has card data masked.
func (e *Enqueuer) newRun(ctx context.Context, s Start) (*store.Run, error) {
	plan, err := e.Plans.Plan(ctx, s.TenantID, s.Version.ID, s.Version.Definition)
	if err != nil {
		return nil, fmt.Errorf("compile flow version %d: %w", s.Version.Version, err)
	}
	payload := s.Decoded
	if payload == nil {
		if payload, err = engine.DecodeJSON(s.Payload); err != nil {
			return nil, err
		}
	}
	key, err := plan.BusinessKey(payload)
	if err != nil {
		return nil, fmt.Errorf("business key: %w", err)
	}
	run := &store.Run{ID: store.NewID(), FlowID: s.Flow.ID, FlowVersionID: s.Version.ID, BusinessKey: httpx.RedactCardNumbers(key),
		Payload: pan.MaskJSON(s.Payload), Replay: s.Replay}
	if s.DedupeKey != "" {
		run.DedupeKey = &s.DedupeKey
	}
	if s.ReplayOf != "" {
		run.ReplayOf = &s.ReplayOf
	}
	return run, nil
}

// args are the job arguments of a run.
func (e *Enqueuer) args(ctx context.Context, s Start, run *store.Run) Args {
	return Args{TenantID: s.TenantID, RunID: run.ID, TraceParent: telemetry.TraceParent(ctx), Fresh: !s.Seeded}
}
