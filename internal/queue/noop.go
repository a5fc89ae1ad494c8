package queue

import (
	"context"

	"github.com/riverqueue/river"
)

// NoopArgs is a job that does nothing. It measures the queue's own throughput
// (the benchmark's baseline) and lets health checks and tests exercise River
// end to end.
type NoopArgs struct {
	// Tag lets tests find the jobs they inserted.
	Tag string `json:"tag,omitempty"`
}

// Kind names the job type in River.
func (NoopArgs) Kind() string { return "noop" }

// NoopWorker completes NoopArgs jobs immediately.
type NoopWorker struct {
	river.WorkerDefaults[NoopArgs]
}

// Work does nothing and succeeds.
func (NoopWorker) Work(context.Context, *river.Job[NoopArgs]) error { return nil }

// NewWorkers returns a worker registry holding the built-in workers; callers
// add theirs with river.AddWorker.
func NewWorkers() *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &NoopWorker{})
	return w
}
