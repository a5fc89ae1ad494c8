package alert

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/bridgework/bridgework/store"
)

// sampleLimit bounds the finished runs one measurement loads.
const sampleLimit = 100000

// reading is one measurement of a rule.
type reading struct {
	value    float64
	breached bool
	message  string
}

// measure evaluates a rule's condition at now.
func measure(ctx context.Context, ts *store.Scoped, r *store.AlertRule, now time.Time) (reading, error) {
	window := time.Duration(r.WindowSeconds) * time.Second
	from := now.Add(-window)
	scope := "all flows"
	if r.FlowID != "" {
		scope = "flow " + r.FlowID
	}
	switch r.Kind {
	case KindFailureRate, KindP95Duration:
		runs, err := ts.FinishedRuns(ctx, r.FlowID, from, now, sampleLimit)
		if err != nil {
			return reading{}, err
		}
		if len(runs) == 0 || len(runs) < r.MinRuns {
			return reading{message: fmt.Sprintf("%d finished runs of %s in the last %s, too few to judge", len(runs), scope, window)}, nil
		}
		if r.Kind == KindP95Duration {
			p95 := Percentile(durations(runs), 95)
			return reading{value: p95, breached: p95 > r.Threshold,
				message: fmt.Sprintf("p95 run duration of %s over the last %s is %.1fs (threshold %.1fs, %d runs)", scope, window, p95, r.Threshold, len(runs))}, nil
		}
		failed := 0
		for _, run := range runs {
			if run.Status == store.RunFailed {
				failed++
			}
		}
		rate := 100 * float64(failed) / float64(len(runs))
		return reading{value: rate, breached: rate > r.Threshold,
			message: fmt.Sprintf("failure rate of %s over the last %s is %.1f%% (%d of %d runs; threshold %.1f%%)", scope, window, rate, failed, len(runs), r.Threshold)}, nil
	case KindDeadLetters:
		_, n, err := ts.ListRuns(ctx, store.RunFilter{FlowID: r.FlowID, DeadLetters: true, Limit: 1})
		if err != nil {
			return reading{}, err
		}
		return reading{value: float64(n), breached: float64(n) > r.Threshold,
			message: fmt.Sprintf("%d dead letters (failed runs not replayed) of %s (threshold %.0f)", n, scope, r.Threshold)}, nil
	case KindNoRuns:
		n, err := ts.CountRunsCreated(ctx, r.FlowID, from, now)
		if err != nil {
			return reading{}, err
		}
		return reading{value: float64(n), breached: n == 0,
			message: fmt.Sprintf("%d runs of %s triggered in the last %s", n, scope, window)}, nil
	case KindAnomalies:
		flags, err := ts.ListAnomalies(ctx, store.AnomalyFilter{FlowID: r.FlowID, From: from, To: now, Limit: 1000})
		if err != nil {
			return reading{}, err
		}
		n := float64(len(flags))
		msg := fmt.Sprintf("%d anomaly flags on %s in the last %s (threshold %.0f)", len(flags), scope, window, r.Threshold)
		if len(flags) > 0 {
			msg += "; latest: " + flags[0].Message
		}
		return reading{value: n, breached: n > r.Threshold, message: msg}, nil
	}
	return reading{}, fmt.Errorf("alert: unknown rule kind %q", r.Kind)
}

func durations(runs []store.RunSample) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = r.Duration().Seconds()
	}
	return out
}

// Percentile returns the p-th percentile (nearest rank) of values; 0 when
// there are none. values is sorted in place.
func Percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	slices.Sort(values)
	rank := int(math.Ceil(p / 100 * float64(len(values))))
	return values[min(max(rank, 1), len(values))-1]
}
