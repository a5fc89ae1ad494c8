package server

import (
	"errors"
	"net/mail"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$`)

type createTenantRequest struct {
	Name       string `json:"name"`
	Slug       string `json:"slug"`
	AdminEmail string `json:"admin_email"`
}

type tenantAdmin struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	APIKey   string `json:"api_key"`
}

type createTenantResponse struct {
	ID    string      `json:"id"`
	Slug  string      `json:"slug"`
	Name  string      `json:"name"`
	Admin tenantAdmin `json:"admin"`
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
	tenant := &store.Tenant{Name: req.Name, Slug: req.Slug}
	user := &store.User{Email: req.AdminEmail, PasswordHash: hash, Role: "admin"}
	apiKey := &store.APIKey{Name: "initial admin key", Prefix: prefix, KeyHash: keyHash, Role: "admin"}
	if err := s.Store.CreateTenant(c.UserContext(), tenant, user, apiKey); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return apiError(fiber.StatusConflict, "conflict", "a tenant with slug %q already exists", req.Slug)
		}
		return err
	}
	if err := s.Store.Tenant(tenant.ID).Audit(c.UserContext(), "platform-admin", "tenant.create", "tenant", tenant.ID, fiber.Map{"slug": tenant.Slug}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(createTenantResponse{
		ID: tenant.ID, Slug: tenant.Slug, Name: tenant.Name,
		Admin: tenantAdmin{Email: user.Email, Password: password, APIKey: key},
	})
}
