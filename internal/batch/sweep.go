package batch

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// SweepInterval is how often due batches are looked for; a batch runs at
// most this long after it filled up or its wait passed.
const SweepInterval = time.Second

// sweepLimit bounds the batch nodes flushed per sweep.
const sweepLimit = 200

// SweepArgs is the periodic flush job.
type SweepArgs struct{}

// Kind names the job type in River.
func (SweepArgs) Kind() string { return "batch_sweep" }

// InsertOpts keep at most one pending sweep per interval.
func (SweepArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: SweepInterval}}
}

// SweepJob is the periodic job definition to pass to the queue.
func SweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// SweepWorker flushes every due batch.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	Service *Service
	Logger  *slog.Logger
}

// Work starts the runs of due batches; a batch that cannot be flushed (its
// flow unpublished) is logged and left waiting.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	now := time.Now()
	due, err := w.Service.Store.DueBatches(ctx, now, sweepLimit)
	if err != nil {
		return err
	}
	for _, k := range due {
		if _, err := w.Service.Flush(ctx, k, now); err != nil {
			w.Logger.Warn("batch not flushed", slog.String("tenant_id", k.TenantID), slog.String("flow_id", k.FlowID),
				slog.String("node_id", k.NodeID), slog.Any("err", err))
		}
	}
	return nil
}
