package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

const (
	claimsKey = "claims"
	roleKey   = "role"
)

func bearer(c *fiber.Ctx) string {
	h := c.Get(fiber.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// requireAdmin admits only the platform admin token. A valid tenant token is
// recognised and refused with 403, anything else gets 401.
func (s *Server) requireAdmin(c *fiber.Ctx) error {
	tok := bearer(c)
	if tok == "" {
		return errUnauthenticated
	}
	if s.AdminToken != "" && auth.EqualToken(tok, s.AdminToken) {
		return c.Next()
	}
	if _, err := s.Tokens.Verify(tok); err == nil {
		return errForbidden
	}
	return errUnauthenticated
}

// requireTenant admits a valid tenant access token whose user or API key is
// still enabled in an active tenant, and stores its claims and current role.
func (s *Server) requireTenant(c *fiber.Ctx) error {
	tok := bearer(c)
	if tok == "" {
		return errUnauthenticated
	}
	cl, err := s.Tokens.Verify(tok)
	if err != nil {
		return errUnauthenticated
	}
	role, err := s.principals.resolve(c.UserContext(), cl)
	if err != nil {
		return err
	}
	cl.Role = role.String()
	c.Locals(claimsKey, cl)
	c.Locals(roleKey, role)
	return c.Next()
}

// allow admits callers whose role is at least min. Every tenant route names
// its minimum role with it in routes.go; it is the one place roles are
// enforced.
func (s *Server) allow(min auth.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if role, _ := c.Locals(roleKey).(auth.Role); !role.AtLeast(min) {
			return apiError(fiber.StatusForbidden, "forbidden", "this action needs the %s role or higher", min)
		}
		return c.Next()
	}
}

// claims returns the caller's verified token claims.
func claims(c *fiber.Ctx) *auth.Claims { return c.Locals(claimsKey).(*auth.Claims) }

// callerRole returns the caller's current role.
func callerRole(c *fiber.Ctx) auth.Role { r, _ := c.Locals(roleKey).(auth.Role); return r }

// tenantStore is the store scoped to the caller's tenant: the only way
// handlers reach tenant data.
func (s *Server) tenantStore(c *fiber.Ctx) *store.Scoped { return s.Store.Tenant(claims(c).TenantID) }

// actor names the caller in audit entries.
func actor(c *fiber.Ctx) string {
	cl := claims(c)
	return cl.Kind + ":" + cl.Subject
}

func (s *Server) unknownRoute(c *fiber.Ctx) error {
	return apiError(fiber.StatusNotFound, "not_found", "no such endpoint: %s %s", c.Method(), c.Path())
}
