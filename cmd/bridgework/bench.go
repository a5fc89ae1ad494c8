package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bridgework/bridgework/internal/bench"
)

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "Measures Bridgework end to end: starts `bridgework serve` (this binary) on a fresh Postgres schema\n"+
		"(on the server of BRIDGEWORK_DATABASE_URL, else a private throwaway cluster) and a fresh SQLite file,\n"+
		"drives webhooks over HTTP and reports throughput, latencies, peak RSS and the queue's own no-op throughput.\n"+
		"See docs/performance.md.", false, stdout)
	d := bench.Defaults(false)
	quick := fs.Bool("quick", false, "short runs for CI: 3s per scenario, a burst and a baseline of 2000, 20s drain (explicit flags still win)")
	db := fs.String("db", "both", "databases: postgres, sqlite or both")
	scenarios := fs.String("scenarios", "simple,order,burst", "scenarios to run, comma-separated: simple, order, burst")
	fs.IntVar(&d.Workers, "workers", d.Workers, "BRIDGEWORK_WORKERS of the server and the baseline")
	fs.DurationVar(&d.FetchCooldown, "fetch-cooldown", d.FetchCooldown, "BRIDGEWORK_FETCH_COOLDOWN of the server and the baseline")
	fs.DurationVar(&d.FetchPollInterval, "fetch-poll", d.FetchPollInterval, "BRIDGEWORK_FETCH_POLL_INTERVAL of the server and the baseline")
	fs.StringVar(&d.StepRecording, "step-recording", d.StepRecording, "BRIDGEWORK_STEP_RECORDING of the server: full or lean")
	fs.IntVar(&d.EnqueueBatch, "enqueue-batch", d.EnqueueBatch, "BRIDGEWORK_ENQUEUE_BATCH of the server (1: every webhook commits alone)")
	fs.DurationVar(&d.Duration, "duration", d.Duration, "how long the simple and order scenarios offer load")
	fs.IntVar(&d.Rate, "rate", d.Rate, "webhooks per second offered in the simple scenario")
	fs.IntVar(&d.OrderRate, "order-rate", d.OrderRate, "orders per second offered in the order scenario")
	fs.IntVar(&d.BurstSize, "burst", d.BurstSize, "orders of the burst scenario")
	fs.IntVar(&d.BaselineJobs, "baseline-jobs", d.BaselineJobs, "no-op jobs of the queue baseline")
	fs.IntVar(&d.Senders, "senders", d.Senders, "concurrent HTTP senders")
	fs.DurationVar(&d.Drain, "drain", d.Drain, "longest wait for runs to finish after the load stops")
	fs.StringVar(&d.ProfileDir, "profile", "", "write a CPU profile of the server over each scenario's load to DIR/SCENARIO-DB.cpu.pprof (go tool pprof reads it)")
	jsonPath := fs.String("json", "", "also write the report as JSON to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *quick {
		q, set := bench.Defaults(true), map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["duration"] {
			d.Duration = q.Duration
		}
		if !set["burst"] {
			d.BurstSize = q.BurstSize
		}
		if !set["baseline-jobs"] {
			d.BaselineJobs = q.BaselineJobs
		}
		if !set["drain"] {
			d.Drain = q.Drain
		}
	}
	switch *db {
	case "both":
	case "postgres", "sqlite":
		d.Databases = []string{*db}
	default:
		return usageError{fmt.Errorf("--db must be postgres, sqlite or both, got %q", *db)}
	}
	d.Scenarios = strings.Split(*scenarios, ",")
	d.PostgresURL = os.Getenv("BRIDGEWORK_DATABASE_URL")
	if d.PostgresURL != "" && !strings.HasPrefix(d.PostgresURL, "postgres") {
		d.PostgresURL = ""
	}
	if d.ProfileDir != "" {
		if err := os.MkdirAll(d.ProfileDir, 0o755); err != nil {
			return fmt.Errorf("--profile: %w", err)
		}
	}
	bin, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this binary: %w", err)
	}
	d.Binary = bin
	d.Logger = newLogger(stderr, "text", "info")
	rep, err := bench.Run(ctx, d)
	if rep != nil && len(rep.Results) > 0 {
		rep.WriteTable(stdout)
	}
	if err != nil {
		return err
	}
	if *jsonPath != "" {
		return rep.WriteJSON(*jsonPath)
	}
	return nil
}
