package server

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

type tokenRequest struct {
	APIKey   string `json:"api_key"`
	Email    string `json:"email"`
	Password string `json:"password"`
	Tenant   string `json:"tenant"`
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

var errBadCredentials = apiError(fiber.StatusUnauthorized, "invalid_credentials", "the credentials are not valid")

// Sign-in limits. Each account may try accountBurst times in a row, then
// once per accountInterval; each client address, shared by many people
// behind one NAT or proxy, addressBurst times, then once per addressInterval.
const (
	accountBurst    = 10
	accountInterval = 6 * time.Second
	addressBurst    = 60
	addressInterval = time.Second
)

// loginLimit is one sign-in bucket: its key, burst and refill interval.
type loginLimit struct {
	key      string
	burst    int
	interval time.Duration
}

// throttleLogin counts one sign-in attempt against the client's address and,
// when account is not empty, against the account; over a limit it answers
// 429 with Retry-After.
func (s *Server) throttleLogin(c *fiber.Ctx, account string) error {
	limits := []loginLimit{{"ip:" + c.IP(), addressBurst, addressInterval}}
	if account != "" {
		limits = append(limits, loginLimit{"account:" + account, accountBurst, accountInterval})
	}
	for _, l := range limits {
		if ok, wait := s.logins.Allow(l.key, 1/l.interval.Seconds(), l.burst); !ok {
			return &RetryError{APIError: apiError(fiber.StatusTooManyRequests, "rate_limited",
				"too many sign-in attempts; try again in %d seconds", int(wait.Seconds())+1), RetryAfter: wait}
		}
	}
	return nil
}

// issueToken exchanges an API key, or an e-mail and password, for an access token.
func (s *Server) issueToken(c *fiber.Ctx) error {
	var req tokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	account := strings.ToLower(strings.TrimSpace(req.Email))
	if account == "" && len(req.APIKey) > 12 {
		account = req.APIKey[:12] // the key's display prefix
	}
	if err := s.throttleLogin(c, account); err != nil {
		return err
	}
	var (
		subject, tenantID, role, kind string
		err                           error
	)
	switch {
	case req.APIKey != "" && req.Email == "" && req.Password == "":
		subject, tenantID, role, err = s.checkAPIKey(c, req.APIKey)
		kind = auth.KindAPIKey
	case req.APIKey == "" && req.Email != "" && req.Password != "":
		subject, tenantID, role, err = s.checkPassword(c, strings.TrimSpace(req.Email), req.Password, strings.TrimSpace(req.Tenant))
		kind = auth.KindUser
	default:
		return badRequest(`send either {"api_key"} or {"email","password"} (with "tenant" when the e-mail is used in several tenants)`)
	}
	if err != nil {
		return err
	}
	s.logins.Reset("account:" + account)
	token, ttl, err := s.Tokens.Issue(subject, tenantID, role, kind)
	if err != nil {
		return err
	}
	return c.JSON(tokenResponse{AccessToken: token, TokenType: "Bearer", ExpiresIn: int(ttl.Seconds())})
}

func (s *Server) checkAPIKey(c *fiber.Ctx, key string) (subject, tenantID, role string, err error) {
	k, err := s.Store.APIKeyByHash(c.UserContext(), auth.HashAPIKey(key))
	if errors.Is(err, store.ErrNotFound) {
		return "", "", "", errBadCredentials
	}
	if err != nil {
		return "", "", "", err
	}
	if !keyUsable(k, time.Now()) {
		return "", "", "", errBadCredentials
	}
	if active, err := s.Store.TenantActive(c.UserContext(), k.TenantID); err != nil || !active {
		return "", "", "", errBadCredentials
	}
	if err := s.Store.Tenant(k.TenantID).TouchAPIKey(c.UserContext(), k.ID, store.Now()); err != nil {
		return "", "", "", err
	}
	return k.ID, k.TenantID, k.Role, nil
}

func (s *Server) checkPassword(c *fiber.Ctx, email, password, tenant string) (subject, tenantID, role string, err error) {
	users, err := s.Store.UsersByEmail(c.UserContext(), email, tenant)
	if err != nil {
		return "", "", "", err
	}
	switch {
	case len(users) == 0:
		auth.BurnPasswordCheck(password)
		return "", "", "", errBadCredentials
	case len(users) > 1:
		return "", "", "", badRequest(`this e-mail address belongs to several tenants; add "tenant" with the tenant's slug`)
	}
	u := users[0]
	if err := auth.CheckPassword(u.PasswordHash, password); err != nil || u.DisabledAt != nil {
		return "", "", "", errBadCredentials
	}
	if active, err := s.Store.TenantActive(c.UserContext(), u.TenantID); err != nil || !active {
		return "", "", "", errBadCredentials
	}
	return u.ID, u.TenantID, u.Role, nil
}
