package server

import (
	"github.com/gofiber/fiber/v2"
)

// listAudit returns the tenant's newest audit entries first (?limit=, 1-500,
// default 100).
func (s *Server) listAudit(c *fiber.Ctx) error {
	limit := c.QueryInt("limit", 100)
	if limit < 1 || limit > 500 {
		return badRequest("limit must be between 1 and 500")
	}
	entries, err := s.tenantStore(c).AuditLog(c.UserContext(), limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"entries": entries})
}
