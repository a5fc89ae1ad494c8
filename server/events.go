package server

import (
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/runner"
)

type publishEventRequest struct {
	Payload json.RawMessage `json:"payload"`
}

// publishEvent starts a run of every published flow whose trigger listens for
// the named event.
func (s *Server) publishEvent(c *fiber.Ctx) error {
	var req publishEventRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Payload) == 0 {
		req.Payload = json.RawMessage(`{}`)
	}
	ctx := c.UserContext()
	ts := s.tenantStore(c)
	triggers, err := ts.EventTriggers(ctx, c.Params("name"))
	if err != nil {
		return err
	}
	runIDs := []string{}
	for _, t := range triggers {
		f, err := ts.Flow(ctx, t.FlowID)
		if err != nil {
			return err
		}
		v, err := s.Enqueuer.PublishedVersion(ctx, ts.TenantID(), f)
		if errors.Is(err, runner.ErrNotPublished) {
			continue
		}
		if err != nil {
			return err
		}
		run, _, err := s.Enqueuer.Enqueue(ctx, runner.Start{TenantID: ts.TenantID(), Flow: f, Version: v, Payload: req.Payload})
		if err != nil {
			return err
		}
		runIDs = append(runIDs, run.ID)
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"run_ids": runIDs})
}
