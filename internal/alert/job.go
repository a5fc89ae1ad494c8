package alert

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// EvaluateInterval is how often alert rules are evaluated.
const EvaluateInterval = time.Minute

// EvaluateArgs is the periodic job that evaluates every rule.
type EvaluateArgs struct{}

// Kind names the job type in River.
func (EvaluateArgs) Kind() string { return "evaluate_alerts" }

// InsertOpts keep one evaluation queued at a time.
func (EvaluateArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 1, UniqueOpts: river.UniqueOpts{ByPeriod: EvaluateInterval}}
}

// EvaluateJob schedules evaluations. River's leader enqueues periodic jobs,
// so across processes each interval is evaluated once.
func EvaluateJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(EvaluateInterval),
		func() (river.JobArgs, *river.InsertOpts) { return EvaluateArgs{}, nil }, nil)
}

// EvaluateWorker works the periodic job.
type EvaluateWorker struct {
	river.WorkerDefaults[EvaluateArgs]
	Evaluator *Evaluator
}

// Work evaluates every tenant's rules.
func (w *EvaluateWorker) Work(ctx context.Context, _ *river.Job[EvaluateArgs]) error {
	return w.Evaluator.EvaluateAll(ctx)
}
