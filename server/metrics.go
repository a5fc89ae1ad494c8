package server

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/bridgework/bridgework/internal/auth"
)

// metrics serves the Prometheus metrics to the metrics token.
func (s *Server) metrics(c *fiber.Ctx) error {
	if s.MetricsToken == "" || s.Telemetry == nil {
		return apiError(fiber.StatusNotFound, "not_found", "metrics are not served on this listener")
	}
	if tok := bearer(c); tok == "" || !auth.EqualToken(tok, s.MetricsToken) {
		return errUnauthenticated
	}
	return adaptor.HTTPHandler(s.Telemetry.Handler())(c)
}

// observeWebhook times a webhook delivery and roots the trace of the run it
// starts: the handler's context carries the span into the run's job.
func (s *Server) observeWebhook(c *fiber.Ctx) error {
	ctx, end := s.Telemetry.StartWebhook(c.UserContext(), c.Params("id"))
	c.SetUserContext(ctx)
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = fiber.StatusInternalServerError
		var ae *APIError
		var fe *fiber.Error
		switch {
		case errors.As(err, &ae):
			status = ae.Status
		case errors.As(err, &fe):
			status = fe.Code
		}
	}
	end(status)
	return err
}
