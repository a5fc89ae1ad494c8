// Package bench measures Bridgework end to end: it starts a real
// `bridgework serve` process on a fresh Postgres schema or SQLite file,
// provisions a tenant and flows over the API, drives webhooks over HTTP and
// measures what arrives at the target systems, next to the throughput of
// the job queue alone on the same database.
package bench

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Scenario names.
const (
	Simple = "simple" // webhook → map → http POST to a local sink, at a fixed offered rate
	Order  = "order"  // the order template against the Heartland and Epicor sandboxes
	Burst  = "burst"  // N simple-flow webhooks as fast as accepted, then until all are done
)

// Options tune a benchmark run. Zero values take the defaults of Defaults.
type Options struct {
	// Binary is the bridgework executable started as the server under test.
	Binary string
	// Databases lists the dialects to measure: "postgres", "sqlite".
	Databases []string
	// PostgresURL is the server to make fresh schemas on; empty: a private
	// throwaway cluster (testdb.StartCluster: fsync and synchronous_commit off).
	PostgresURL string
	// Scenarios lists what to run (Simple, Order, Burst).
	Scenarios []string
	// Workers, FetchCooldown and FetchPollInterval configure the server's
	// queue, and the baseline's.
	Workers                          int
	FetchCooldown, FetchPollInterval time.Duration
	// StepRecording ("full" or "lean") and EnqueueBatch set the server's
	// BRIDGEWORK_STEP_RECORDING and BRIDGEWORK_ENQUEUE_BATCH.
	StepRecording string
	EnqueueBatch  int
	// Duration is how long the simple and order scenarios offer load.
	Duration time.Duration
	// Rate and OrderRate are the offered webhooks per second.
	Rate, OrderRate int
	// BurstSize is the number of orders of the burst scenario.
	BurstSize int
	// BaselineJobs is the number of no-op jobs the queue baseline works.
	BaselineJobs int
	// Senders is the number of concurrent HTTP senders.
	Senders int
	// Drain bounds the wait for runs to finish after the load stops.
	Drain time.Duration
	// ProfileDir, when set, receives a CPU profile of the server per scenario
	// (SCENARIO-DB.cpu.pprof) and one of the bench process itself
	// (SCENARIO-DB.bench.cpu.pprof), both taken over the load's duration.
	ProfileDir string
	Logger     *slog.Logger
}

// Defaults are the options of a plain `bridgework bench`; Quick shortens
// them for CI.
func Defaults(quick bool) Options {
	o := Options{Databases: []string{"postgres", "sqlite"}, Scenarios: []string{Simple, Order, Burst},
		Workers: 50, Duration: 10 * time.Second, Rate: 1000, OrderRate: 400, BurstSize: 20000, BaselineJobs: 5000, Senders: 64,
		FetchCooldown: 10 * time.Millisecond, FetchPollInterval: 50 * time.Millisecond, Drain: time.Minute,
		StepRecording: "full", EnqueueBatch: 256}
	if quick {
		o.Duration, o.BurstSize, o.BaselineJobs, o.Drain = 3*time.Second, 2000, 2000, 20*time.Second
	}
	return o
}

// Result is one scenario on one database.
type Result struct {
	Scenario string `json:"scenario"`
	Database string `json:"database"`
	// OfferedPerSec is the scheduled webhook rate; 0 for the burst (as fast as accepted).
	OfferedPerSec float64 `json:"offered_per_sec"`
	Sent          int64   `json:"sent"`
	Accepted      int64   `json:"accepted"`
	Completed     int64   `json:"completed"`
	// AcceptedPerSec is accepted webhooks over the sending time.
	AcceptedPerSec float64 `json:"accepted_per_sec"`
	// CompletedPerSec is runs that reached the target over the time from the
	// first webhook to the last target write.
	CompletedPerSec float64 `json:"completed_per_sec"`
	// TotalSeconds is from the first webhook to the last completed run.
	TotalSeconds float64     `json:"total_seconds"`
	Webhook      Percentiles `json:"webhook_response"`
	// EndToEnd is from sending the webhook to the target receiving the run's write.
	EndToEnd Percentiles `json:"end_to_end"`
	// CPU is what the server, Postgres and the bench used over the same time.
	CPU CPUUse `json:"cpu"`
	// PeakRSSMB is the server process's VmHWM.
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// Errors counts refused or failed webhooks and failed runs.
	Errors int64 `json:"errors"`
	// BaselinePerSec is the queue's own no-op job throughput on this database.
	BaselinePerSec float64 `json:"baseline_per_sec"`
	// OfBaseline is CompletedPerSec / BaselinePerSec.
	OfBaseline float64 `json:"of_baseline"`
	Note       string  `json:"note,omitempty"`
}

// Report is every result of a run with the settings that produced it.
type Report struct {
	Started  time.Time `json:"started"`
	CPUs     int       `json:"cpus"`
	Settings Settings  `json:"settings"`
	Results  []Result  `json:"results"`
}

// Settings are the options recorded in a report.
type Settings struct {
	Workers           int    `json:"workers"`
	FetchCooldown     string `json:"fetch_cooldown"`
	FetchPollInterval string `json:"fetch_poll_interval"`
	StepRecording     string `json:"step_recording"`
	EnqueueBatch      int    `json:"enqueue_batch"`
	Duration          string `json:"duration"`
	Rate              int    `json:"rate"`
	OrderRate         int    `json:"order_rate"`
	BurstSize         int    `json:"burst"`
	BaselineJobs      int    `json:"baseline_jobs"`
	Senders           int    `json:"senders"`
}

// Run measures every scenario on every database.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	rep := &Report{Started: time.Now().UTC(), CPUs: cpus(), Settings: Settings{Workers: o.Workers,
		FetchCooldown: o.FetchCooldown.String(), FetchPollInterval: o.FetchPollInterval.String(), Duration: o.Duration.String(),
		StepRecording: o.StepRecording, EnqueueBatch: o.EnqueueBatch,
		Rate: o.Rate, OrderRate: o.OrderRate, BurstSize: o.BurstSize, BaselineJobs: o.BaselineJobs, Senders: o.Senders}}
	dbs, err := newDatabases(ctx, o)
	if err != nil {
		return nil, err
	}
	defer dbs.close()
	for _, dialect := range o.Databases {
		o.Logger.Info("baseline", slog.String("database", dialect))
		base, err := baseline(ctx, dbs, dialect, o)
		if err != nil {
			return rep, fmt.Errorf("%s baseline: %w", dialect, err)
		}
		for _, sc := range o.Scenarios {
			o.Logger.Info("scenario", slog.String("scenario", sc), slog.String("database", dialect))
			res, err := runScenario(ctx, dbs, dialect, sc, o)
			if err != nil {
				return rep, fmt.Errorf("%s on %s: %w", sc, dialect, err)
			}
			res.BaselinePerSec = base
			if base > 0 && sc != Order {
				res.OfBaseline = res.CompletedPerSec / base
			}
			rep.Results = append(rep.Results, *res)
		}
	}
	return rep, nil
}

func (o Options) validate() error {
	switch {
	case o.Binary == "":
		return fmt.Errorf("bench: no bridgework binary to start")
	case o.Workers < 1, o.Senders < 1, o.Rate < 1, o.OrderRate < 1, o.BurstSize < 1, o.BaselineJobs < 1:
		return fmt.Errorf("bench: workers, senders, rates and the burst size must be at least 1")
	case o.Duration < time.Second:
		return fmt.Errorf("bench: the duration must be at least 1s, got %s", o.Duration)
	case o.StepRecording != "full" && o.StepRecording != "lean":
		return fmt.Errorf("bench: the step recording must be full or lean, got %q", o.StepRecording)
	case o.EnqueueBatch < 1:
		return fmt.Errorf("bench: the enqueue batch must be at least 1, got %d", o.EnqueueBatch)
	}
	for _, d := range o.Databases {
		if d != "postgres" && d != "sqlite" {
			return fmt.Errorf("bench: unknown database %q (postgres or sqlite)", d)
		}
	}
	for _, s := range o.Scenarios {
		if s != Simple && s != Order && s != Burst {
			return fmt.Errorf("bench: unknown scenario %q (simple, order or burst)", s)
		}
	}
	return nil
}
