package server

import (
	"log/slog"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/alert"
	"github.com/bridgework/bridgework/store"
)

// summaryRunLimit bounds the finished runs one summary loads.
const summaryRunLimit = 200000

// statsBucket is one interval of the runs series.
type statsBucket struct {
	At        time.Time `json:"at"`
	Succeeded int       `json:"succeeded"`
	Failed    int       `json:"failed"`
}

// flowStats are one flow's figures over the window.
type flowStats struct {
	FlowID     string  `json:"flow_id"`
	Runs       int     `json:"runs"`
	Failed     int     `json:"failed"`
	P50Seconds float64 `json:"p50_seconds"`
	P95Seconds float64 `json:"p95_seconds"`
}

// nodeStats are one node type's step outcomes over the window.
type nodeStats struct {
	store.StepCount
	ErrorRate float64 `json:"error_rate"`
}

// statsSummary answers the dashboard: runs finished per bucket, failures,
// per-flow p50/p95 durations, queue lag, and step error rates by node type
// (connector and http are the outbound calls).
func (s *Server) statsSummary(c *fiber.Ctx) error {
	window := time.Hour
	if raw := c.Query("window"); raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d < 5*time.Minute || d > 7*24*time.Hour {
			return badRequest("window must be a duration from 5m to 168h, such as 1h, got %q", raw)
		}
		window = d
	}
	bucket := max(time.Minute, (window / 120).Truncate(time.Minute))
	to := store.Now().Truncate(time.Minute).Add(time.Minute)
	from := to.Add(-window)
	ctx := c.UserContext()
	ts := s.tenantStore(c)
	runs, err := ts.FinishedRuns(ctx, "", from, to, summaryRunLimit)
	if err != nil {
		return err
	}
	series := make([]statsBucket, int(window/bucket))
	for i := range series {
		series[i].At = from.Add(time.Duration(i) * bucket)
	}
	byFlow := map[string]*flowStats{}
	durations := map[string][]float64{}
	failed := 0
	for _, r := range runs {
		i := min(int(r.FinishedAt.Sub(from)/bucket), len(series)-1)
		f := byFlow[r.FlowID]
		if f == nil {
			f = &flowStats{FlowID: r.FlowID}
			byFlow[r.FlowID] = f
		}
		f.Runs++
		if r.Status == store.RunFailed {
			series[i].Failed++
			f.Failed++
			failed++
		} else {
			series[i].Succeeded++
		}
		durations[r.FlowID] = append(durations[r.FlowID], r.Duration().Seconds())
	}
	flows := make([]flowStats, 0, len(byFlow))
	for id, f := range byFlow {
		f.P50Seconds = alert.Percentile(durations[id], 50)
		f.P95Seconds = alert.Percentile(durations[id], 95)
		flows = append(flows, *f)
	}
	sort.Slice(flows, func(i, j int) bool {
		return flows[i].Runs > flows[j].Runs || (flows[i].Runs == flows[j].Runs && flows[i].FlowID < flows[j].FlowID)
	})
	steps, err := ts.StepCounts(ctx, from, to)
	if err != nil {
		return err
	}
	nodes := make([]nodeStats, len(steps))
	for i, st := range steps {
		nodes[i] = nodeStats{StepCount: st, ErrorRate: ratio(st.Failed, st.Total)}
	}
	_, dead, err := ts.ListRuns(ctx, store.RunFilter{DeadLetters: true, Limit: 1})
	if err != nil {
		return err
	}
	queue := fiber.Map{"depth": 0, "oldest_age_seconds": 0.0}
	if depths, err := s.Queue.Depths(ctx); err != nil {
		s.Logger.Warn("stats summary: cannot read the queue depth", slog.Any("err", err))
	} else {
		depth, oldest := 0, 0.0
		for _, d := range depths {
			depth += d.Jobs
			if !d.Oldest.IsZero() {
				oldest = max(oldest, time.Since(d.Oldest).Seconds())
			}
		}
		queue = fiber.Map{"depth": depth, "oldest_age_seconds": oldest}
	}
	return c.JSON(fiber.Map{
		"from": from, "to": to, "window_seconds": int64(window / time.Second), "bucket_seconds": int64(bucket / time.Second),
		"series": series,
		"totals": fiber.Map{"runs": len(runs), "failed": failed, "failure_rate": ratio(int64(failed), int64(len(runs))), "dead_letters": dead},
		"flows":  flows, "queue": queue, "node_types": nodes,
		"truncated": len(runs) == summaryRunLimit,
	})
}

// ratio is part/total, 0 when total is 0.
func ratio(part, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(part) / float64(total)
}
