package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/coalesce"
	"github.com/bridgework/bridgework/internal/connections"
	"github.com/bridgework/bridgework/internal/plans"
	"github.com/bridgework/bridgework/internal/telemetry"
	"github.com/bridgework/bridgework/schema"
	"github.com/bridgework/bridgework/store"
)

// Worker executes runs. It is a thin adapter: load the run, execute its plan,
// map the outcome onto the run's status and the job's fate.
type Worker struct {
	river.WorkerDefaults[Args]
	Store  *store.Store
	Plans  *plans.Compiler
	Logger *slog.Logger
	// Schemas, when set, checks each new run's payload against its flow's
	// accepted data schema before the first attempt.
	Schemas *Schemas
	exec    engine.Executor
	tenants tenantStatus
	// Telemetry measures and traces runs; nil measures nothing.
	Telemetry *telemetry.Telemetry
	// LeanSteps keeps a step's input in run history only when the step
	// failed: less to encode and write per run. Outputs are always kept,
	// since retries and replays resume from them.
	LeanSteps bool

	// Runs starting or settling at the same time share statements.
	batchOnce sync.Once
	starts    coalesce.Batcher[*startCall]
	settles   coalesce.Batcher[*settleCall]
}

// Work executes one attempt of a run.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	ts := w.Store.Tenant(job.Args.TenantID)
	if active, err := w.tenants.active(ctx, w.Store, job.Args.TenantID); err != nil {
		return err
	} else if !active {
		return river.JobSnooze(SuspendedRecheck) // the tenant is suspended: hold its runs
	}
	run, previous, err := w.begin(ctx, job.Args.TenantID, job.Args.RunID)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("run %s no longer exists", job.Args.RunID))
	}
	if errors.Is(err, store.ErrConflict) {
		return nil // already settled (a duplicate job, or a cancel won the race)
	}
	if err != nil {
		return err
	}
	attempt := run.Attempt
	// A queued run on its first attempt has no steps yet unless some were
	// seeded into it (replays, batches), which its job says.
	first := previous == store.RunQueued && attempt == 1
	log := w.Logger.With(slog.String("run_id", run.ID), slog.String("flow_id", run.FlowID),
		slog.String("tenant_id", job.Args.TenantID))
	ctx, end := w.Telemetry.StartRun(telemetry.WithTraceParent(ctx, job.Args.TraceParent), telemetry.Run{
		TenantID: job.Args.TenantID, FlowID: run.FlowID, RunID: run.ID, First: first})
	outcome := telemetry.OutcomePending
	defer func() { end(outcome) }()
	if first && w.Schemas != nil && len(run.Payload) > 0 {
		payload, err := engine.DecodeJSON(run.Payload)
		if err != nil {
			outcome = telemetry.OutcomeFailed
			return w.settle(ctx, ts, run.ID, store.RunFailed, "the trigger payload is not valid JSON: "+err.Error(), "")
		}
		var invalid *schema.ValidationError
		if err := w.Schemas.check(ctx, ts, run, payload); errors.As(err, &invalid) {
			outcome = telemetry.OutcomeFailed
			return w.settle(ctx, ts, run.ID, store.RunFailed, err.Error(), ValidationStep)
		} else if err != nil {
			// Not checked: hand the attempt back so the retry checks again.
			return errors.Join(err, ts.SetRunOutcome(ctx, run.ID, store.RunQueued, "", ""), ts.SetRunAttempt(ctx, run.ID, attempt-1))
		}
	}
	// Versions are immutable: with the plan compiled, the definition is not needed.
	plan, compiled := w.Plans.Cached(run.FlowVersionID)
	if !compiled {
		version, err := ts.FlowVersionByID(ctx, run.FlowVersionID)
		if err != nil {
			return err
		}
		if plan, err = w.Plans.Plan(ctx, job.Args.TenantID, version.ID, version.Definition); err != nil {
			outcome = telemetry.OutcomeFailed
			log.Warn("run failed: the flow version no longer compiles", slog.Any("err", err))
			return w.settle(ctx, ts, run.ID, store.RunFailed, "the flow version no longer compiles: "+err.Error(), "")
		}
	}
	st := newState(ts, run.ID, first && job.Args.Fresh)
	st.lean = w.LeanSteps
	in := engine.RunInput{
		RunID: run.ID, Trigger: json.RawMessage(run.Payload), BusinessKey: run.BusinessKey,
		State: st, Attempt: attempt,
	}
	if len(run.Replay) > 0 {
		var spec ReplaySpec
		if err := json.Unmarshal(run.Replay, &spec); err != nil {
			outcome = telemetry.OutcomeFailed
			log.Warn("run failed: unreadable replay settings", slog.Any("err", err))
			return w.settle(ctx, ts, run.ID, store.RunFailed, "the replay settings are unreadable: "+err.Error(), "")
		}
		if spec.Step != "" && len(spec.Input) > 0 {
			in.Inputs = map[string]any{spec.Step: spec.Input}
		}
		if spec.ForceEffects {
			ctx = connections.WithForcedEffects(ctx)
		}
	}
	exec := engine.Executor{Hook: w.Telemetry}
	res, err := exec.Execute(ctx, plan, in)
	if err != nil {
		log.Warn("run execution interrupted; the job will retry", slog.Any("err", err))
		// Storage trouble or shutdown: River retries the job; checkpoints keep
		// completed side effects from repeating.
		return fmt.Errorf("execute run %s: %w", run.ID, err)
	}
	steps := st.Take() // stored with the outcome
	switch res.Status {
	case engine.RunSucceeded:
		outcome = telemetry.OutcomeSucceeded
		return w.settle(ctx, ts, run.ID, store.RunSucceeded, "", "", steps...)
	case engine.RunSuspended:
		if err := w.settle(ctx, ts, run.ID, store.RunWaiting, "", "", steps...); err != nil {
			return err
		}
		return river.JobSnooze(max(time.Until(res.Until), 0))
	}
	msg := res.Err.Error()
	policy := plan.Settings().Retry
	if res.Retryable && (attempt < policy.MaxAttempts || (outage(res.Err) && time.Since(run.CreatedAt) < OutageWindow)) {
		delay := max(engine.RetryDelay(policy, attempt), res.RetryAfter)
		if err := w.settle(ctx, ts, run.ID, store.RunQueued, msg, res.FailedNode, steps...); err != nil {
			return err
		}
		if errors.Is(res.Err, httpx.ErrRateLimited) {
			// Being told to slow down is not a failed attempt: give it back.
			if err := ts.SetRunAttempt(ctx, run.ID, attempt-1); err != nil {
				return err
			}
		}
		log.Info("run attempt failed; retrying", slog.Int("attempt", attempt), slog.Duration("delay", delay),
			slog.String("node", res.FailedNode), slog.String("err", msg))
		return river.JobSnooze(delay)
	}
	outcome = telemetry.OutcomeFailed
	log.Warn("run failed", slog.Int("attempt", attempt), slog.String("node", res.FailedNode), slog.String("err", msg))
	return w.settle(ctx, ts, run.ID, store.RunFailed, msg, res.FailedNode, steps...)
}

// OutageWindow is how long a run keeps retrying while its target is
// unavailable or rate limiting (network errors, 429, 502-504), whatever its
// attempt limit: an outage of minutes ends with the run completed, not dead.
const OutageWindow = time.Hour

// outage reports failures caused by the target being down or busy rather than
// by the request.
func outage(err error) bool {
	return errors.Is(err, httpx.ErrUnavailable) || errors.Is(err, httpx.ErrRateLimited)
}

// settle records where an attempt left the run, with card numbers masked in
// its error, together with the attempt's last buffered steps.
func (w *Worker) settle(ctx context.Context, ts *store.Scoped, runID, status, msg, node string, steps ...store.RunStep) error {
	w.batchOnce.Do(w.initBatches)
	c := &settleCall{ctx: ctx, s: store.Settlement{TenantID: ts.TenantID(), RunID: runID, Status: status,
		Error: httpx.RedactCardNumbers(msg), FailedNode: node, Steps: steps}}
	w.settles.Do(c)
	return c.err
}

// begin starts a run's attempt (store.BeginAttempts), sharing the statement
// with runs starting at the same time.
func (w *Worker) begin(ctx context.Context, tenantID, runID string) (*store.Run, string, error) {
	w.batchOnce.Do(w.initBatches)
	c := &startCall{ctx: ctx, a: store.AttemptStart{TenantID: tenantID, RunID: runID}}
	w.starts.Do(c)
	return c.a.Run, c.a.Previous, c.a.Err
}

type startCall struct {
	ctx context.Context
	a   store.AttemptStart
}

type settleCall struct {
	ctx context.Context
	s   store.Settlement
	err error
}

// batchMax bounds the runs started or settled in one statement.
const batchMax = 128

func (w *Worker) initBatches() {
	parallel := parallelWrites(w.Store)
	w.starts = coalesce.Batcher[*startCall]{Max: batchMax, Parallel: parallel, Run: func(calls []*startCall) {
		starts := make([]*store.AttemptStart, len(calls))
		for i, c := range calls {
			starts[i] = &c.a
		}
		w.Store.BeginAttempts(context.WithoutCancel(calls[0].ctx), starts)
	}}
	w.settles = coalesce.Batcher[*settleCall]{Max: batchMax, Parallel: parallel, Run: w.settleBatch}
}

// settleBatch stores the outcomes of runs settling together in one
// statement; when that fails, each is settled alone, so a run whose steps the
// database refuses does not hold the others back.
func (w *Worker) settleBatch(calls []*settleCall) {
	all := make([]*store.Settlement, len(calls))
	for i, c := range calls {
		all[i] = &c.s
	}
	err := w.Store.SettleRuns(context.WithoutCancel(calls[0].ctx), all)
	if err == nil || len(calls) == 1 {
		for _, c := range calls {
			c.err = err
		}
		return
	}
	for _, c := range calls {
		c.err = w.Store.SettleRuns(context.WithoutCancel(c.ctx), []*store.Settlement{&c.s})
	}
}
