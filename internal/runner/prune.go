package runner

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/store"
)

// PruneInterval is how often run payloads past their retention are removed.
const PruneInterval = 10 * time.Minute

// pruneBatch bounds each statement so pruning never holds long locks.
const pruneBatch = 500

// PruneArgs is the periodic retention job.
type PruneArgs struct{}

// Kind names the job type in River.
func (PruneArgs) Kind() string { return "prune_payloads" }

// InsertOpts keep at most one pending prune.
func (PruneArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 3, UniqueOpts: river.UniqueOpts{ByPeriod: PruneInterval}}
}

// PruneJob is the periodic job definition to pass to the queue.
func PruneJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(PruneInterval),
		func() (river.JobArgs, *river.InsertOpts) { return PruneArgs{}, nil }, nil)
}

// PruneWorker empties the payloads and step data of runs older than each
// tenant's retention; run metadata (status, times, business key, errors) stays.
type PruneWorker struct {
	river.WorkerDefaults[PruneArgs]
	Store  *store.Store
	Logger *slog.Logger
	Now    func() time.Time
}

// Work prunes every tenant in batches.
func (w *PruneWorker) Work(ctx context.Context, _ *river.Job[PruneArgs]) error {
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	tenants, err := w.Store.ListTenants(ctx)
	if err != nil {
		return err
	}
	for _, t := range tenants {
		if t.PayloadRetentionDays <= 0 {
			continue
		}
		cutoff := now.AddDate(0, 0, -t.PayloadRetentionDays)
		ts := w.Store.Tenant(t.ID)
		for {
			n, err := ts.PrunePayloads(ctx, cutoff, pruneBatch)
			if err != nil {
				return err
			}
			if n < pruneBatch {
				break
			}
		}
	}
	return nil
}
