package server

import (
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/store"
)

type replayRequest struct {
	From         string          `json:"from"`
	Step         string          `json:"step"`
	Input        json.RawMessage `json:"input"`
	Version      string          `json:"version"`
	ForceEffects bool            `json:"force_effects"`
	DryRun       bool            `json:"dry_run"`
	Note         string          `json:"note"`
}

func (r replayRequest) toRunner(by string) runner.ReplayRequest {
	return runner.ReplayRequest{From: r.From, Step: r.Step, Input: r.Input, Version: r.Version,
		ForceEffects: r.ForceEffects, DryRun: r.DryRun, By: by, Note: r.Note}
}

// replayError translates a runner.ReplayError into the API's error shape.
func replayError(err error) error {
	var re *runner.ReplayError
	if !errors.As(err, &re) {
		return err
	}
	status, code := fiber.StatusBadRequest, "invalid_request"
	if re.Conflict {
		status, code = fiber.StatusConflict, "conflict"
	}
	apiErr := &APIError{Status: status, Code: code, Message: re.Message}
	if re.Field != "" {
		apiErr.Details = []Detail{{Field: re.Field, Message: re.Message}}
	}
	return apiErr
}

// replayRun runs a finished run again; the response lists the steps that will
// execute, the ones reused and the writes already in the effect ledger.
func (s *Server) replayRun(c *fiber.Ctx) error {
	var req replayRequest
	if len(c.Body()) > 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	plan, err := s.Enqueuer.Replay(c.UserContext(), claims(c).TenantID, c.Params("id"), req.toRunner(actor(c)))
	if err != nil {
		return replayError(err)
	}
	status := fiber.StatusAccepted
	if req.DryRun {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(withLists(plan))
}

// withLists answers a plan's empty lists as [] rather than null, so clients
// can take their length.
func withLists(p *runner.ReplayPlan) *runner.ReplayPlan {
	if p.WillExecute == nil {
		p.WillExecute = []string{}
	}
	if p.ReusedSteps == nil {
		p.ReusedSteps = []string{}
	}
	if p.LedgerEffects == nil {
		p.LedgerEffects = []runner.Effect{}
	}
	return p
}

// cancelRun stops a queued, running or waiting run.
func (s *Server) cancelRun(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	run, err := ts.Run(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	ok, err := ts.CancelRun(c.UserContext(), run.ID)
	if err != nil {
		return err
	}
	if !ok {
		return apiError(fiber.StatusConflict, "conflict", "run %s already finished (%s)", run.ID, run.Status)
	}
	if run.JobID != nil {
		if err := s.Queue.Cancel(c.UserContext(), *run.JobID); err != nil {
			return err
		}
	}
	if err := ts.Audit(c.UserContext(), actor(c), "run.cancel", "run", run.ID, nil); err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": run.ID, "status": store.RunCancelled})
}

// deadLetterFilter reads the dead-letter filter shared by listing and bulk replay.
type deadLetterFilter struct {
	FlowID string    `json:"flow_id"`
	Reason string    `json:"reason"`
	From   time.Time `json:"from"`
	To     time.Time `json:"to"`
}

func (f deadLetterFilter) store(limit int) store.RunFilter {
	return store.RunFilter{FlowID: f.FlowID, ErrorContains: f.Reason, From: f.From, To: f.To, DeadLetters: true, Limit: limit}
}

// digits normalises numbers out of error messages so similar failures group.
var digits = regexp.MustCompile(`[0-9]+`)

type deadLetterGroup struct {
	FailedNode string `json:"failed_node"`
	Error      string `json:"error"`
	Count      int    `json:"count"`
}

// listDeadLetters lists failed runs no replay has taken over, with counts
// grouped by failing node and error.
func (s *Server) listDeadLetters(c *fiber.Ctx) error {
	f := deadLetterFilter{FlowID: c.Query("flow_id"), Reason: c.Query("reason")}
	if details := timeRange(c, &f.From, &f.To); len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: details[0].Message, Details: details}
	}
	runs, total, err := s.tenantStore(c).ListRuns(c.UserContext(), f.store(1000))
	if err != nil {
		return err
	}
	groups := map[[2]string]*deadLetterGroup{}
	for _, r := range runs {
		k := [2]string{r.FailedNode, digits.ReplaceAllString(r.Error, "#")}
		if groups[k] == nil {
			groups[k] = &deadLetterGroup{FailedNode: r.FailedNode, Error: k[1]}
		}
		groups[k].Count++
	}
	out := make([]deadLetterGroup, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || (out[i].Count == out[j].Count && out[i].Error < out[j].Error)
	})
	if runs == nil {
		runs = []store.Run{}
	}
	return c.JSON(fiber.Map{"dead_letters": runs, "total": total, "groups": out})
}

type bulkReplayRequest struct {
	Filter deadLetterFilter `json:"filter"`
	replayRequest
	// RatePerSecond spreads the replays' jobs out (default 5).
	RatePerSecond float64 `json:"rate_per_second"`
}

// replayDeadLetters replays every dead letter matching a filter, spread out
// at a rate; with dry_run it only lists what each replay would do.
func (s *Server) replayDeadLetters(c *fiber.Ctx) error {
	var req bulkReplayRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.RatePerSecond == 0 {
		req.RatePerSecond = 5
	}
	if req.RatePerSecond < 0.01 || req.RatePerSecond > 1000 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "rate_per_second must be between 0.01 and 1000",
			Details: []Detail{{Field: "rate_per_second", Message: "must be between 0.01 and 1000"}}}
	}
	if req.From == "" {
		req.From = runner.FromFailedStep
	}
	ts := s.tenantStore(c)
	runs, _, err := ts.ListRuns(c.UserContext(), req.Filter.store(1000))
	if err != nil {
		return err
	}
	start := time.Now()
	spacing := time.Duration(float64(time.Second) / req.RatePerSecond)
	plans := []*runner.ReplayPlan{}
	for i, r := range runs {
		rr := req.replayRequest.toRunner(actor(c))
		rr.NotBefore = start.Add(time.Duration(i) * spacing)
		p, err := s.Enqueuer.Replay(c.UserContext(), ts.TenantID(), r.ID, rr)
		if err != nil {
			return replayError(err)
		}
		plans = append(plans, withLists(p))
	}
	status := fiber.StatusAccepted
	if req.DryRun {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(fiber.Map{"count": len(plans), "dry_run": req.DryRun, "replays": plans})
}
