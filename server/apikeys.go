package server

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

type createAPIKeyRequest struct {
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// apiKeyCreated is a new key; Key is shown this once and stored only hashed.
type apiKeyCreated struct {
	store.APIKey
	Key string `json:"key"`
}

func (s *Server) listAPIKeys(c *fiber.Ctx) error {
	keys, err := s.tenantStore(c).APIKeys(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"api_keys": keys})
}

// createAPIKey issues an API key with a role and an optional expiry.
func (s *Server) createAPIKey(c *fiber.Ctx) error {
	var req createAPIKeyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	req.Name = strings.TrimSpace(req.Name)
	if req.Name == "" || len(req.Name) > 200 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "name is required and may have at most 200 characters",
			Details: []Detail{{Field: "name", Message: "is required, at most 200 characters"}}}
	}
	role, err := parseRoleField("role", req.Role)
	if err != nil {
		return err
	}
	if req.ExpiresAt != nil && !req.ExpiresAt.After(time.Now()) {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "expires_at must be in the future",
			Details: []Detail{{Field: "expires_at", Message: "must be in the future"}}}
	}
	key, prefix, hash := auth.NewAPIKey()
	k := &store.APIKey{Name: req.Name, Prefix: prefix, KeyHash: hash, Role: role.String()}
	if req.ExpiresAt != nil {
		at := req.ExpiresAt.UTC().Truncate(time.Microsecond)
		k.ExpiresAt = &at
	}
	if cl := claims(c); cl.Kind == auth.KindUser {
		k.UserID = &cl.Subject
	}
	ts := s.tenantStore(c)
	if err := ts.CreateAPIKey(c.UserContext(), k); err != nil {
		return err
	}
	if err := ts.Audit(c.UserContext(), actor(c), "api_key.create", "api_key", k.ID, fiber.Map{"name": k.Name, "role": k.Role, "prefix": k.Prefix}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(apiKeyCreated{APIKey: *k, Key: key})
}

// revokeAPIKey revokes a key; tokens issued for it stop working at once.
func (s *Server) revokeAPIKey(c *fiber.Ctx) error {
	ts := s.tenantStore(c)
	k, err := ts.RevokeAPIKey(c.UserContext(), c.Params("id"), store.Now())
	if err != nil {
		return notFoundAs(err, "API key")
	}
	s.principals.forget(auth.KindAPIKey, k.ID)
	if err := ts.Audit(c.UserContext(), actor(c), "api_key.revoke", "api_key", k.ID, fiber.Map{"prefix": k.Prefix}); err != nil {
		return err
	}
	return c.JSON(k)
}
