package server

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/anomaly"
	"github.com/bridgework/bridgework/store"
)

// historyLimit bounds the runs one scan loads.
const historyLimit = 20000

// listAnomalies lists flags, filtered by flow, kind and time.
func (s *Server) listAnomalies(c *fiber.Ctx) error {
	f := store.AnomalyFilter{FlowID: c.Query("flow_id"), Kind: c.Query("kind"), Limit: c.QueryInt("limit", 100)}
	var details []Detail
	if f.Kind != "" && !slices.Contains(anomaly.Kinds, f.Kind) {
		details = append(details, Detail{Field: "kind", Message: "kind must be one of volume_spike, volume_drop, failure_rate, value_outlier, missing_field, type_change, null_rate"})
	}
	details = append(details, timeRange(c, &f.From, &f.To)...)
	if f.Limit < 1 || f.Limit > 1000 {
		details = append(details, Detail{Field: "limit", Message: "limit must be between 1 and 1000"})
	}
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the anomaly filter is not valid", Details: details}
	}
	out, err := s.tenantStore(c).ListAnomalies(c.UserContext(), f)
	if err != nil {
		return err
	}
	if out == nil {
		out = []store.Anomaly{}
	}
	return c.JSON(fiber.Map{"anomalies": out})
}

// scanAnomalies learns a flow's baseline from its history and records the
// flags raised by its recent runs. A scheduler can call the same steps
// (store.RunHistory, anomaly.Detect, store.RecordAnomalies) periodically.
func (s *Server) scanAnomalies(c *fiber.Ctx) error {
	var body struct {
		FlowID       string   `json:"flow_id"`
		WindowHours  int      `json:"window_hours"`
		HistoryDays  int      `json:"history_days"`
		Fields       []string `json:"fields"`
		WindowEndsAt string   `json:"window_ends_at"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	if body.FlowID == "" {
		return badRequest("flow_id is required")
	}
	if body.WindowHours == 0 {
		body.WindowHours = 1
	}
	if body.HistoryDays == 0 {
		body.HistoryDays = 28
	}
	if body.WindowHours < 1 || body.WindowHours > 168 || body.HistoryDays < 1 || body.HistoryDays > 365 {
		return badRequest("window_hours must be 1..168 and history_days 1..365")
	}
	end := store.Now()
	if body.WindowEndsAt != "" {
		t, err := time.Parse(time.RFC3339, body.WindowEndsAt)
		if err != nil {
			return badRequest("window_ends_at must be an RFC 3339 time")
		}
		end = t
	}
	ts := s.tenantStore(c)
	ctx := c.UserContext()
	if _, err := ts.Flow(ctx, body.FlowID); err != nil {
		return err
	}
	from := end.Add(-time.Duration(body.WindowHours) * time.Hour)
	hist, err := ts.RunHistory(ctx, body.FlowID, from.Add(-time.Duration(body.HistoryDays)*24*time.Hour), from, historyLimit)
	if err != nil {
		return err
	}
	recent, err := ts.RunHistory(ctx, body.FlowID, from, end, historyLimit)
	if err != nil {
		return err
	}
	flags := anomaly.Detect(detectionRuns(hist), detectionRuns(recent), from, end, anomaly.Config{Fields: body.Fields})
	rows := make([]store.Anomaly, len(flags))
	for i, f := range flags {
		rows[i] = store.Anomaly{FlowID: f.FlowID, RunID: f.RunID, Kind: f.Kind, Field: f.Field, Observed: f.Observed,
			Expected: f.Expected, Score: f.Score, Message: f.Message, Fingerprint: f.Fingerprint(), At: f.At}
	}
	added, err := ts.RecordAnomalies(ctx, rows)
	if err != nil {
		return err
	}
	if flags == nil {
		flags = []anomaly.Flag{}
	}
	return c.JSON(fiber.Map{"flags": flags, "recorded": added, "history_runs": len(hist), "window_runs": len(recent)})
}

func detectionRuns(runs []store.Run) []anomaly.Run {
	out := make([]anomaly.Run, len(runs))
	for i, r := range runs {
		out[i] = anomaly.Run{ID: r.ID, FlowID: r.FlowID, Failed: r.Status == store.RunFailed, At: r.CreatedAt}
		if len(r.Payload) > 0 {
			var v any
			if json.Unmarshal(r.Payload, &v) == nil {
				out[i].Payload = v
			}
		}
	}
	return out
}
