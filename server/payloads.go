package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

// hidePayloads removes a run's payload and its steps' inputs and outputs
// when the caller is a viewer and the tenant hides payloads from viewers.
func (s *Server) hidePayloads(c *fiber.Ctx, run *store.Run, steps []store.RunStep) error {
	if callerRole(c).AtLeast(auth.RoleSupport) {
		return nil
	}
	t, err := s.Store.TenantByID(c.UserContext(), claims(c).TenantID)
	if err != nil || !t.HidePayloads {
		return err
	}
	run.Payload = nil
	for i := range steps {
		steps[i].Input, steps[i].Output = nil, nil
	}
	return nil
}
