package approval

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/bridgework/bridgework/store"
)

// WakeArgs asks to resume a run waiting at a decided approval. The job is
// inserted in the decision's transaction, so a decision never commits
// without its wake-up.
type WakeArgs struct {
	TenantID string `json:"tenant_id"`
	RunID    string `json:"run_id"`
}

// Kind names the job type in River.
func (WakeArgs) Kind() string { return "approval_wake" }

// wakeRetry is how soon a wake-up looks again while the run's job is running.
const wakeRetry = time.Second

// WakeWorker makes the run's own job available now. The run keeps its one
// job (its job_id, which cancelling uses): a second job for the same run
// could execute it concurrently. A job snoozed until the approval's timeout
// is made available at once with River's JobRetry; a job that is running
// (it may have read the approval just before the decision) is looked at
// again shortly, once it has snoozed.
type WakeWorker struct {
	river.WorkerDefaults[WakeArgs]
	Service *Service
}

// Work wakes the run's job.
func (w *WakeWorker) Work(ctx context.Context, job *river.Job[WakeArgs]) error {
	run, err := w.Service.Store.Tenant(job.Args.TenantID).Run(ctx, job.Args.RunID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if run.JobID == nil || (run.Status != store.RunWaiting && run.Status != store.RunRunning && run.Status != store.RunQueued) {
		return nil
	}
	rc := w.Service.Queue.River()
	target, err := rc.JobGet(ctx, *run.JobID)
	if errors.Is(err, river.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	switch target.State {
	case rivertype.JobStateRunning:
		return river.JobSnooze(wakeRetry)
	case rivertype.JobStateScheduled, rivertype.JobStateRetryable:
		_, err = rc.JobRetry(ctx, target.ID)
		return err
	}
	return nil // available already, or finished
}
