package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
)

// WriteTable prints the results as an aligned table.
func (r *Report) WriteTable(w io.Writer) error {
	s := r.Settings
	fmt.Fprintf(w, "%d CPUs, %d workers, fetch cooldown %s, poll %s, %d senders, step recording %s, enqueue batch %d\n\n",
		r.CPUs, s.Workers, s.FetchCooldown, s.FetchPollInterval, s.Senders, s.StepRecording, s.EnqueueBatch)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "scenario\tdb\toffered/s\taccepted/s\tcompleted/s\tof queue\twebhook p50/p95/p99 ms\te2e p50/p95/p99 ms\tCPU ms/run srv/pg/bench\ttotal s\tRSS MB\terrors\t")
	for _, x := range r.Results {
		offered := "max"
		if x.OfferedPerSec > 0 {
			offered = fmt.Sprintf("%.0f", x.OfferedPerSec)
		}
		of := "-"
		if x.OfBaseline > 0 {
			of = fmt.Sprintf("%.0f%% of %.0f", 100*x.OfBaseline, x.BaselinePerSec)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t%.1f\t%.0f\t%d\t\n", x.Scenario, x.Database, offered,
			x.AcceptedPerSec, x.CompletedPerSec, of, triple(x.Webhook), triple(x.EndToEnd), x.CPU.perRun(x.Completed),
			x.TotalSeconds, x.PeakRSSMB, x.Errors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, x := range r.Results {
		if x.Note != "" {
			fmt.Fprintf(w, "%s/%s: %s\n", x.Scenario, x.Database, x.Note)
		}
	}
	return nil
}

func triple(p Percentiles) string {
	if p.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f/%.1f/%.1f", p.P50, p.P95, p.P99)
}

// WriteJSON saves the report as indented JSON.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
