package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/netguard"
	"github.com/bridgework/bridgework/internal/outbound"
	"github.com/bridgework/bridgework/store"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$`)

type createTenantRequest struct {
	Name       string `json:"name"`
	Slug       string `json:"slug"`
	AdminEmail string `json:"admin_email"`
	// OutboundAllow lists the CIDRs, addresses and host names the tenant's
	// flows and connections may reach although the outbound guard blocks
	// them (loopback, private, link-local, metadata addresses).
	OutboundAllow []string `json:"outbound_allow,omitempty"`
}

type tenantAdmin struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	APIKey   string `json:"api_key"`
}

type createTenantResponse struct {
	ID            string      `json:"id"`
	Slug          string      `json:"slug"`
	Name          string      `json:"name"`
	OutboundAllow []string    `json:"outbound_allow"`
	Admin         tenantAdmin `json:"admin"`
}

func (r *createTenantRequest) validate() error {
	r.Name, r.Slug, r.AdminEmail = strings.TrimSpace(r.Name), strings.TrimSpace(r.Slug), strings.TrimSpace(r.AdminEmail)
	var details []Detail
	if r.Name == "" || len(r.Name) > 200 {
		details = append(details, Detail{Field: "name", Message: "name is required and may have at most 200 characters"})
	}
	if !slugPattern.MatchString(r.Slug) {
		details = append(details, Detail{Field: "slug", Message: "slug must be 3-40 lowercase letters, digits or dashes, starting and ending with a letter or digit"})
	}
	if a, err := mail.ParseAddress(r.AdminEmail); err != nil || a.Address != r.AdminEmail || len(r.AdminEmail) > 254 {
		details = append(details, Detail{Field: "admin_email", Message: "admin_email must be a plain e-mail address such as ops@example.com"})
	}
	if r.OutboundAllow == nil {
		r.OutboundAllow = []string{}
	}
	details = checkOutboundAllow(&r.OutboundAllow, details)
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the tenant is not valid", Details: details}
	}
	return nil
}

// createTenant provisions a tenant with its first admin user and API key. The
// password and key are returned once and stored only as hashes.
func (s *Server) createTenant(c *fiber.Ctx) error {
	var req createTenantRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	password := auth.RandomPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	key, prefix, keyHash := auth.NewAPIKey()
	tenant := &store.Tenant{Name: req.Name, Slug: req.Slug, OutboundAllow: req.OutboundAllow}
	user := &store.User{Email: req.AdminEmail, PasswordHash: hash, Role: "admin"}
	apiKey := &store.APIKey{Name: "initial admin key", Prefix: prefix, KeyHash: keyHash, Role: "admin"}
	if err := s.Store.CreateTenant(c.UserContext(), tenant, user, apiKey); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return apiError(fiber.StatusConflict, "conflict", "a tenant with slug %q already exists", req.Slug)
		}
		return err
	}
	if err := s.Store.Tenant(tenant.ID).Audit(c.UserContext(), "platform-admin", "tenant.create", "tenant", tenant.ID,
		fiber.Map{"slug": tenant.Slug, "outbound_allow": req.OutboundAllow}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(createTenantResponse{
		ID: tenant.ID, Slug: tenant.Slug, Name: tenant.Name, OutboundAllow: req.OutboundAllow,
		Admin: tenantAdmin{Email: user.Email, Password: password, APIKey: key},
	})
}

func (s *Server) listTenants(c *fiber.Ctx) error {
	ts, err := s.Store.ListTenants(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"tenants": ts})
}

func (s *Server) getTenant(c *fiber.Ctx) error {
	t, err := s.Store.TenantByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return notFoundAs(err, "tenant")
	}
	return c.JSON(t)
}

// updateTenantRequest changes a tenant; absent fields stay as they are.
type updateTenantRequest struct {
	Name          *string       `json:"name"`
	Status        *string       `json:"status"`
	Limits        *store.Limits `json:"limits"`
	RetentionDays *int          `json:"payload_retention_days"`
	HidePayloads  *bool         `json:"hide_payloads"`
	// OutboundAllow replaces the tenant's outbound allow-list ([] clears it).
	OutboundAllow *[]string `json:"outbound_allow"`
}

func (r *updateTenantRequest) validate() error {
	var details []Detail
	if r.Name != nil {
		*r.Name = strings.TrimSpace(*r.Name)
		if *r.Name == "" || len(*r.Name) > 200 {
			details = append(details, Detail{Field: "name", Message: "name may not be empty and may have at most 200 characters"})
		}
	}
	if r.Status != nil && *r.Status != store.TenantActive && *r.Status != store.TenantSuspended {
		details = append(details, Detail{Field: "status", Message: `status must be "active" or "suspended"`})
	}
	if l := r.Limits; l != nil {
		for field, v := range map[string]int{"limits.max_flows": l.MaxFlows, "limits.max_runs_per_minute": l.MaxRunsPerMinute, "limits.max_payload_bytes": l.MaxPayloadBytes} {
			if v < 0 {
				details = append(details, Detail{Field: field, Message: field + " may not be negative (0 means no limit)"})
			}
		}
	}
	if r.RetentionDays != nil && (*r.RetentionDays < 0 || *r.RetentionDays > 3650) {
		details = append(details, Detail{Field: "payload_retention_days", Message: "payload_retention_days must be between 0 (keep all) and 3650"})
	}
	if r.OutboundAllow != nil {
		if *r.OutboundAllow == nil { // null
			*r.OutboundAllow = []string{}
		}
		details = checkOutboundAllow(r.OutboundAllow, details)
	}
	if len(details) > 0 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "the tenant update is not valid", Details: details}
	}
	return nil
}

func (s *Server) updateTenant(c *fiber.Ctx) error {
	var req updateTenantRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := req.validate(); err != nil {
		return err
	}
	return s.changeTenant(c, "tenant.update", store.TenantUpdate{Name: req.Name, Status: req.Status,
		Limits: req.Limits, RetentionDays: req.RetentionDays, HidePayloads: req.HidePayloads, OutboundAllow: req.OutboundAllow})
}

// checkOutboundAllow trims an outbound allow-list in place and adds a detail
// naming the first bad entry and its index to details.
func checkOutboundAllow(list *[]string, details []Detail) []Detail {
	clean, err := outbound.Validate(*list)
	var bad *netguard.EntryError
	switch {
	case errors.As(err, &bad):
		return append(details, Detail{Field: fmt.Sprintf("outbound_allow[%d]", bad.Index),
			Message: fmt.Sprintf("outbound_allow[%d] %q %s (entries are CIDRs such as 10.1.0.0/16, addresses such as 10.1.2.3 or host names such as erp.internal)",
				bad.Index, bad.Entry, bad.Reason)})
	case err != nil:
		return append(details, Detail{Field: "outbound_allow", Message: err.Error()})
	}
	*list = clean
	return details
}

func (s *Server) suspendTenant(c *fiber.Ctx) error {
	status := store.TenantSuspended
	return s.changeTenant(c, "tenant.suspend", store.TenantUpdate{Status: &status})
}

func (s *Server) resumeTenant(c *fiber.Ctx) error {
	status := store.TenantActive
	return s.changeTenant(c, "tenant.resume", store.TenantUpdate{Status: &status})
}

// changeTenant applies an update, drops the cached checks of the tenant's
// callers (so a suspension takes effect at once) and its cached outbound
// allow-list (so a new list applies to this process's next request), and
// audits it.
func (s *Server) changeTenant(c *fiber.Ctx, action string, u store.TenantUpdate) error {
	ctx := c.UserContext()
	t, err := s.Store.UpdateTenant(ctx, c.Params("id"), u)
	if err != nil {
		return notFoundAs(err, "tenant")
	}
	s.principals.forgetTenant(t.ID)
	details := fiber.Map{"status": t.Status}
	if u.OutboundAllow != nil {
		s.OutboundAllow.Forget(t.ID)
		details["outbound_allow"] = t.OutboundAllow
	}
	if err := s.Store.Tenant(t.ID).Audit(ctx, "platform-admin", action, "tenant", t.ID, details); err != nil {
		return err
	}
	return c.JSON(t)
}

// deleteTenant removes a tenant and all its data. The caller confirms by
// repeating the tenant's slug: ?confirm=<slug>.
func (s *Server) deleteTenant(c *fiber.Ctx) error {
	ctx := c.UserContext()
	t, err := s.Store.TenantByID(ctx, c.Params("id"))
	if err != nil {
		return notFoundAs(err, "tenant")
	}
	if !auth.EqualToken(c.Query("confirm"), t.Slug) {
		return &APIError{Status: fiber.StatusBadRequest, Code: "confirmation_required",
			Message: "deleting a tenant removes all its data; repeat its slug as ?confirm=" + t.Slug,
			Details: []Detail{{Field: "confirm", Message: "must equal the tenant's slug"}}}
	}
	if err := s.Store.DeleteTenant(ctx, t.ID); err != nil {
		return err
	}
	s.principals.forgetTenant(t.ID)
	s.OutboundAllow.Forget(t.ID)
	s.Logger.Info("tenant deleted", slog.String("tenant_id", t.ID), slog.String("slug", t.Slug))
	return c.SendStatus(fiber.StatusNoContent)
}

// notFoundAs names what was not found in a store ErrNotFound.
func notFoundAs(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound(what)
	}
	return err
}
