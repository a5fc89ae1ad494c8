package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
)

// TickInterval is how often the scheduler looks for due schedules.
const TickInterval = 5 * time.Second

// TickArgs is the scheduler's periodic job. River runs periodic jobs on the
// elected leader only, and each firing is claimed with a conditional update,
// so a schedule fires once per tick across all processes.
type TickArgs struct{}

// Kind names the job type in River.
func (TickArgs) Kind() string { return "schedule_tick" }

// InsertOpts keep at most one pending tick.
func (TickArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: TickInterval}}
}

// TickJob is the periodic job definition to pass to the queue.
func TickJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(TickInterval),
		func() (river.JobArgs, *river.InsertOpts) { return TickArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// TickWorker starts the runs of due schedules.
type TickWorker struct {
	river.WorkerDefaults[TickArgs]
	Enqueuer *Enqueuer
	Logger   *slog.Logger
	Now      func() time.Time
}

// Work fires every due schedule once.
func (w *TickWorker) Work(ctx context.Context, _ *river.Job[TickArgs]) error {
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	due, err := w.Enqueuer.Store.DueSchedules(ctx, now, 500)
	if err != nil {
		return err
	}
	for _, s := range due {
		if err := w.fire(ctx, s, now); err != nil {
			w.Logger.Error("schedule did not fire", slog.String("tenant_id", s.TenantID), slog.String("flow_id", s.FlowID), slog.Any("err", err))
		}
	}
	return nil
}

// fire claims one due firing and starts its run in the same transaction.
func (w *TickWorker) fire(ctx context.Context, s store.Schedule, now time.Time) error {
	ts := w.Enqueuer.Store.Tenant(s.TenantID)
	flow, err := ts.Flow(ctx, s.FlowID)
	if err != nil {
		return err
	}
	version, err := w.Enqueuer.PublishedVersion(ctx, s.TenantID, flow)
	if err != nil {
		return err
	}
	plan, err := w.Enqueuer.Plans.Plan(ctx, s.TenantID, version.ID, version.Definition)
	if err != nil {
		return err
	}
	sched, ok := nodes.TriggerOf[*nodes.Schedule](plan)
	if !ok {
		return fmt.Errorf("the published trigger of flow %s is not a schedule", s.FlowID)
	}
	payload, err := json.Marshal(nodes.SchedulePayload(s.NextRunAt))
	if err != nil {
		return err
	}
	return w.Enqueuer.Store.InTx(ctx, func(tx *store.Tx) error {
		claimed, err := tx.Tenant(s.TenantID).AdvanceSchedule(ctx, s.ID, s.NextRunAt, sched.Next(now))
		if err != nil || !claimed {
			return err
		}
		_, _, err = w.Enqueuer.EnqueueTx(ctx, tx, Start{TenantID: s.TenantID, Flow: flow, Version: version, Payload: payload})
		return err
	})
}
