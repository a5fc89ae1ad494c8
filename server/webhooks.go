package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/internal/telemetry"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
)

// receiveWebhook verifies an inbound webhook, then stores its run and the
// run's job in one transaction before answering 202 with the run id. A
// re-delivery with a dedupe key already seen answers 200 with the first run.
func (s *Server) receiveWebhook(c *fiber.Ctx) error {
	if s.MaxBacklog > 0 && s.backlog.Load() > int64(s.MaxBacklog) {
		// Refuse what cannot be worked off soon rather than time out: senders retry.
		c.Set(fiber.HeaderRetryAfter, "5")
		return apiError(fiber.StatusServiceUnavailable, "overloaded", "too many runs are waiting; retry in a few seconds")
	}
	// Fiber reuses the request buffer after the handler returns: keep a copy.
	body := append([]byte(nil), c.Body()...)
	ctx := c.UserContext()
	d, err := s.Store.HookDelivery(ctx, c.Params("id"))
	if errors.Is(err, store.ErrNotFound) {
		return apiError(fiber.StatusNotFound, "not_found", "no webhook endpoint with this id")
	}
	if err != nil {
		return err
	}
	h, f := &d.Hook, &d.Flow
	if err := s.admitDelivery(&d.Tenant, len(body)); err != nil {
		return err
	}
	if err := s.verifyHook(c, h, body); err != nil {
		return err
	}
	payload, err := engine.DecodeJSON(body)
	if err != nil {
		return badRequest("the webhook body must be JSON: %v", err)
	}
	version, err := s.Enqueuer.PublishedVersion(ctx, h.TenantID, f)
	if errors.Is(err, runner.ErrNotPublished) {
		return apiError(fiber.StatusConflict, "not_published", "the flow behind this webhook is not published")
	}
	if err != nil {
		return err
	}
	plan, err := s.Plans.Plan(ctx, h.TenantID, version.ID, version.Definition)
	if err != nil {
		return err
	}
	start := runner.Start{TenantID: h.TenantID, Flow: f, Version: version, Payload: body, Decoded: payload}
	if w, ok := nodes.TriggerOf[*nodes.Webhook](plan); ok {
		if start.DedupeKey, err = w.DedupeKey(payload); err != nil {
			return badRequest("the webhook body has no usable dedupe key: %v", err)
		}
	}
	run, duplicate, err := s.Enqueuer.Enqueue(ctx, start)
	if err != nil {
		return err
	}
	telemetry.Annotate(ctx, h.TenantID, run.ID)
	if duplicate {
		return c.JSON(fiber.Map{"run_id": run.ID, "duplicate": true})
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"run_id": run.ID})
}
