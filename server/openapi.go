package server

import "github.com/gofiber/fiber/v2"

// openAPI serves the API description.
func (s *Server) openAPI(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"openapi": "3.1.0"})
}
