// Package auth issues and verifies access tokens and hashes credentials.
package auth

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token issuer and audience; verification rejects tokens minted for anything else.
const (
	Issuer   = "bridgework"
	Audience = "bridgework-api"
)

// Principal kinds.
const (
	KindUser   = "user"
	KindAPIKey = "api_key"
)

// ErrInvalidToken covers every reason a token is refused; callers answer 401.
var ErrInvalidToken = errors.New("auth: invalid or expired access token")

// Claims identify who is calling and in which tenant.
type Claims struct {
	TenantID string `json:"tid"`
	Role     string `json:"role"`
	Kind     string `json:"kind"`
	jwt.RegisteredClaims
}

// Tokens signs and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	ttl    time.Duration
	now    func() time.Time
}

// NewTokens returns a signer with the given secret and token lifetime.
func NewTokens(secret string, ttl time.Duration) *Tokens {
	return &Tokens{secret: []byte(secret), ttl: ttl, now: time.Now}
}

// Issue signs a token for subject (a user or API key id) in a tenant.
func (t *Tokens) Issue(subject, tenantID, role, kind string) (string, time.Duration, error) {
	now := t.now()
	c := Claims{
		TenantID: tenantID, Role: role, Kind: kind,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Subject:   subject,
			Audience:  jwt.ClaimStrings{Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.secret)
	if err != nil {
		return "", 0, fmt.Errorf("auth: sign token: %w", err)
	}
	return s, t.ttl, nil
}

// Verify checks signature, algorithm (HS256 only), issuer, audience and the
// time claims, and returns the claims.
func (t *Tokens) Verify(token string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(30*time.Second),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil || c.TenantID == "" || c.Subject == "" {
		return nil, ErrInvalidToken
	}
	return &c, nil
}
