package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers while the process is up.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 when the database and the queue are reachable.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	checks := fiber.Map{"database": "ok", "queue": "ok"}
	ready := true
	if err := s.Store.Ping(ctx); err != nil {
		checks["database"], ready = err.Error(), false
	}
	if err := s.Queue.Check(ctx); err != nil {
		checks["queue"], ready = err.Error(), false
	}
	status := fiber.StatusOK
	if !ready {
		status = fiber.StatusServiceUnavailable
	}
	return c.Status(status).JSON(fiber.Map{"ready": ready, "checks": checks})
}
