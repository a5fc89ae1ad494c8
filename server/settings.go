package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/store"
)

type settingsView struct {
	PayloadRetentionDays int `json:"payload_retention_days"`
}

// tenantSettings are the settings a tenant's users may read: those its
// admins change (settingsView) and those only the platform admin sets.
type tenantSettings struct {
	settingsView
	// OutboundAllow is read-only here: the platform admin sets it
	// (PATCH /api/v1/tenants/{id}).
	OutboundAllow []string `json:"outbound_allow"`
}

// getSettings returns the caller's tenant settings.
func (s *Server) getSettings(c *fiber.Ctx) error {
	t, err := s.Store.TenantByID(c.UserContext(), claims(c).TenantID)
	if err != nil {
		return err
	}
	return c.JSON(tenantSettings{settingsView: settingsView{PayloadRetentionDays: t.PayloadRetentionDays}, OutboundAllow: t.OutboundAllow})
}

// updateSettings changes the caller's tenant settings (tenant admins).
func (s *Server) updateSettings(c *fiber.Ctx) error {
	if claims(c).Role != "admin" {
		return errForbidden
	}
	var req settingsView
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.PayloadRetentionDays < 1 || req.PayloadRetentionDays > 3650 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "payload_retention_days must be between 1 and 3650",
			Details: []Detail{{Field: "payload_retention_days", Message: "must be between 1 and 3650"}}}
	}
	tid := claims(c).TenantID
	if _, err := s.Store.UpdateTenant(c.UserContext(), tid, store.TenantUpdate{RetentionDays: &req.PayloadRetentionDays}); err != nil {
		return err
	}
	if err := s.Store.Tenant(tid).Audit(c.UserContext(), actor(c), "settings.update", "tenant", tid, req); err != nil {
		return err
	}
	return c.JSON(req)
}
