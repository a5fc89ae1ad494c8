package server

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/store"
)

var runStatuses = map[string]bool{store.RunQueued: true, store.RunRunning: true, store.RunWaiting: true,
	store.RunSucceeded: true, store.RunFailed: true, store.RunCancelled: true}

// listRuns searches run history: by flow, status, business key (such as an
// order number) and time range, newest first, paginated.
func (s *Server) listRuns(c *fiber.Ctx) error {
	f := store.RunFilter{FlowID: c.Query("flow_id"), Status: c.Query("status"), BusinessKey: c.Query("business_key")}
	var details []Detail
	if f.Status != "" && !runStatuses[f.Status] {
		details = append(details, Detail{Field: "status", Message: "status must be queued, running, waiting, succeeded, failed or cancelled"})
	}
	details = append(details, timeRange(c, &f.From, &f.To)...)
	page, perPage := c.QueryInt("page", 1), c.QueryInt("per_page", 50)
	if page < 1 || perPage < 1 || perPage > 500 {
		details = append(details, Detail{Field: "per_page", Message: "page must be at least 1 and per_page between 1 and 500"})
	}
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the run filter is not valid", Details: details}
	}
	f.Limit, f.Offset = perPage, (page-1)*perPage
	runs, total, err := s.tenantStore(c).ListRuns(c.UserContext(), f)
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []store.Run{}
	}
	return c.JSON(fiber.Map{"runs": runs, "total": total, "page": page, "per_page": perPage})
}

// getRun returns a run with every step's input, output and error.
func (s *Server) getRun(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	run, err := ts.Run(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	steps, err := ts.RunSteps(c.UserContext(), run.ID)
	if err != nil {
		return err
	}
	if steps == nil {
		steps = []store.RunStep{}
	}
	if err := s.hidePayloads(c, run, steps); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"run": run, "steps": steps})
}

// timeRange reads the from and to query parameters (RFC 3339) into from and
// to, leaving absent ones zero, and describes the unreadable ones.
func timeRange(c *fiber.Ctx, from, to *time.Time) []Detail {
	var details []Detail
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", from}, {"to", to}} {
		if raw := c.Query(p.name); raw != "" {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				details = append(details, Detail{Field: p.name, Message: p.name + " must be an RFC 3339 time such as 2026-11-27T09:00:00Z"})
			}
			*p.dst = t
		}
	}
	return details
}
