package server

import (
	"errors"
	"net/mail"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

// Lifetimes of password reset tokens: an invitation waits longer than a reset.
const (
	resetTTL  = time.Hour
	inviteTTL = 7 * 24 * time.Hour
)

// noPassword is stored for invited users until they set one; it is not a
// bcrypt hash, so no password matches it.
const noPassword = "!"

type createUserRequest struct {
	Email string `json:"email"`
	Role  string `json:"role"`
}

// userCreated is an invited user and the one-time token with which they set
// their password at POST /api/v1/auth/reset.
type userCreated struct {
	User       store.User `json:"user"`
	ResetToken string     `json:"reset_token"`
	ExpiresAt  time.Time  `json:"reset_expires_at"`
}

// parseRoleField reads a role from a request field, naming the field when it is wrong.
func parseRoleField(field, name string) (auth.Role, error) {
	r, ok := auth.ParseRole(name)
	if !ok {
		return 0, &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: field + ` must be one of "admin", "editor", "support", "viewer"`,
			Details: []Detail{{Field: field, Message: `must be one of "admin", "editor", "support", "viewer"`}}}
	}
	return r, nil
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	users, err := s.tenantStore(c).Users(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"users": users})
}

func (s *Server) getUser(c *fiber.Ctx) error {
	u, err := s.tenantStore(c).UserByID(c.UserContext(), c.Params("id"))
	if err != nil {
		return notFoundAs(err, "user")
	}
	return c.JSON(u)
}

// createUser invites a user: the answer carries a one-time token with which
// they choose their password.
func (s *Server) createUser(c *fiber.Ctx) error {
	var req createUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	req.Email = strings.TrimSpace(req.Email)
	if a, err := mail.ParseAddress(req.Email); err != nil || a.Address != req.Email || len(req.Email) > 254 {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: "email must be a plain e-mail address such as ops@example.com",
			Details: []Detail{{Field: "email", Message: "must be a plain e-mail address"}}}
	}
	role, err := parseRoleField("role", req.Role)
	if err != nil {
		return err
	}
	token, hash := auth.NewResetToken()
	expires := store.Now().Add(inviteTTL)
	u := &store.User{Email: req.Email, PasswordHash: noPassword, Role: role.String(), ResetHash: &hash, ResetExpiresAt: &expires}
	ts := s.tenantStore(c)
	if err := ts.CreateUser(c.UserContext(), u); err != nil {
		return conflictAs(err, "a user with e-mail %s already exists in this tenant", req.Email)
	}
	if err := ts.Audit(c.UserContext(), actor(c), "user.create", "user", u.ID, fiber.Map{"email": u.Email, "role": u.Role}); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(userCreated{User: *u, ResetToken: token, ExpiresAt: expires})
}

// updateUserRequest changes a user's role or disables / re-enables them.
type updateUserRequest struct {
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
}

func (s *Server) updateUser(c *fiber.Ctx) error {
	var req updateUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	set := map[string]any{}
	details := fiber.Map{}
	if req.Role != nil {
		role, err := parseRoleField("role", *req.Role)
		if err != nil {
			return err
		}
		set["role"], details["role"] = role.String(), role.String()
	}
	if req.Disabled != nil {
		details["disabled"] = *req.Disabled
		set["disabled_at"] = nil
		if *req.Disabled {
			set["disabled_at"] = store.Now()
		}
	}
	if len(set) == 0 {
		return badRequest(`send "role" and/or "disabled"`)
	}
	id := c.Params("id")
	if err := notSelf(c, id); err != nil {
		return err
	}
	ts := s.tenantStore(c)
	u, err := ts.UpdateUser(c.UserContext(), id, set)
	if err != nil {
		return notFoundAs(err, "user")
	}
	s.principals.forget(auth.KindUser, u.ID)
	if err := ts.Audit(c.UserContext(), actor(c), "user.update", "user", u.ID, details); err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *Server) deleteUser(c *fiber.Ctx) error {
	id := c.Params("id")
	if err := notSelf(c, id); err != nil {
		return err
	}
	ts := s.tenantStore(c)
	if err := ts.DeleteUser(c.UserContext(), id); err != nil {
		return notFoundAs(err, "user")
	}
	s.principals.forget(auth.KindUser, id)
	if err := ts.Audit(c.UserContext(), actor(c), "user.delete", "user", id, nil); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// notSelf refuses changes of an admin to their own account, so a tenant
// cannot lose its last way in by accident.
func notSelf(c *fiber.Ctx, userID string) error {
	if cl := claims(c); cl.Kind == auth.KindUser && cl.Subject == userID {
		return apiError(fiber.StatusConflict, "conflict", "you may not change the role of, disable or delete your own account")
	}
	return nil
}

// resetTokenView is a one-time password reset token, shown once.
type resetTokenView struct {
	Token     string    `json:"reset_token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// createResetToken issues a one-time password reset token for a user,
// replacing any earlier one.
func (s *Server) createResetToken(c *fiber.Ctx) error {
	token, hash := auth.NewResetToken()
	expires := store.Now().Add(resetTTL)
	ts := s.tenantStore(c)
	u, err := ts.UpdateUser(c.UserContext(), c.Params("id"), map[string]any{"reset_hash": hash, "reset_expires_at": expires})
	if err != nil {
		return notFoundAs(err, "user")
	}
	if err := ts.Audit(c.UserContext(), actor(c), "user.reset_token", "user", u.ID, nil); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(resetTokenView{Token: token, ExpiresAt: expires})
}

type resetPasswordRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

var errBadResetToken = apiError(fiber.StatusBadRequest, "invalid_reset_token", "the reset token is unknown, used or expired")

// resetPassword sets a new password with a one-time reset token.
func (s *Server) resetPassword(c *fiber.Ctx) error {
	if err := s.throttleLogin(c, ""); err != nil {
		return err
	}
	var req resetPasswordRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	hash, err := auth.HashPassword(req.Password)
	if err != nil {
		return &APIError{Status: fiber.StatusBadRequest, Code: "invalid_request", Message: strings.TrimPrefix(err.Error(), "auth: "),
			Details: []Detail{{Field: "password", Message: strings.TrimPrefix(err.Error(), "auth: ")}}}
	}
	ctx := c.UserContext()
	tokenHash := auth.HashResetToken(req.Token)
	u, err := s.Store.UserByResetHash(ctx, tokenHash)
	if errors.Is(err, store.ErrNotFound) {
		return errBadResetToken
	}
	if err != nil {
		return err
	}
	if err := s.Store.ConsumeReset(ctx, tokenHash, hash); errors.Is(err, store.ErrNotFound) {
		return errBadResetToken
	} else if err != nil {
		return err
	}
	if err := s.Store.Tenant(u.TenantID).Audit(ctx, auth.KindUser+":"+u.ID, "user.password_reset", "user", u.ID, nil); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
