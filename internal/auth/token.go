// Package auth issues and verifies access tokens and hashes credentials.
package auth

import (
	"crypto/sha256"
	"encoding/hex"
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

// leeway is the clock skew tolerated on exp, nbf and iat.
const leeway = 30 * time.Second

// ErrInvalidToken covers every reason a token is refused; callers answer 401.
var ErrInvalidToken = errors.New("auth: invalid or expired access token")

// Claims identify who is calling and in which tenant.
type Claims struct {
	TenantID string `json:"tid"`
	Role     string `json:"role"`
	Kind     string `json:"kind"`
	jwt.RegisteredClaims
}

// Tokens signs HS256 access tokens with the current secret and verifies them
// with the current or a previous secret, chosen by the token's kid header.
// With a JWKS set it also verifies RS256 and ES256 tokens of an operator's
// identity provider.
type Tokens struct {
	current string            // kid of the signing secret
	secrets map[string][]byte // kid → secret
	ttl     time.Duration
	now     func() time.Time
	jwks    *JWKS
}

// NewTokens returns a signer with the given secret and token lifetime;
// previous secrets are still accepted for tokens they signed, so a rotated
// secret does not sign everyone out.
func NewTokens(secret string, ttl time.Duration, previous ...string) *Tokens {
	t := &Tokens{secrets: map[string][]byte{}, ttl: ttl, now: time.Now}
	for _, s := range previous {
		t.secrets[keyID(s)] = []byte(s)
	}
	t.current = keyID(secret)
	t.secrets[t.current] = []byte(secret)
	return t
}

// UseJWKS also accepts tokens signed by the keys published at a JWKS URL.
func (t *Tokens) UseJWKS(j *JWKS) { t.jwks = j }

// keyID names a secret without revealing it.
func keyID(secret string) string {
	sum := sha256.Sum256([]byte("bridgework-jwt-kid:" + secret))
	return hex.EncodeToString(sum[:6])
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
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	tok.Header["kid"] = t.current
	s, err := tok.SignedString(t.secrets[t.current])
	if err != nil {
		return "", 0, fmt.Errorf("auth: sign token: %w", err)
	}
	return s, t.ttl, nil
}

// Verify checks signature, algorithm (HS256 with one of the secrets, or
// RS256/ES256 with a JWKS key), issuer, audience and the time claims, and
// returns the claims. Every failure is ErrInvalidToken.
func (t *Tokens) Verify(token string) (*Claims, error) {
	unverified, _, err := jwt.NewParser().ParseUnverified(token, &Claims{})
	if err != nil {
		return nil, ErrInvalidToken
	}
	alg, _ := unverified.Header["alg"].(string)
	kid, _ := unverified.Header["kid"].(string)
	var (
		c       Claims
		keyFunc jwt.Keyfunc
		opts    []jwt.ParserOption
	)
	switch {
	case alg == jwt.SigningMethodHS256.Alg():
		if kid == "" {
			kid = t.current
		}
		secret, ok := t.secrets[kid]
		if !ok {
			return nil, ErrInvalidToken
		}
		keyFunc = func(*jwt.Token) (any, error) { return secret, nil }
		opts = []jwt.ParserOption{jwt.WithValidMethods([]string{alg}), jwt.WithIssuer(Issuer), jwt.WithAudience(Audience)}
	case t.jwks != nil && (alg == jwt.SigningMethodRS256.Alg() || alg == jwt.SigningMethodES256.Alg()):
		keyFunc = func(*jwt.Token) (any, error) { return t.jwks.Key(kid, alg) }
		opts = []jwt.ParserOption{jwt.WithValidMethods([]string{alg}), jwt.WithIssuer(t.jwks.Issuer), jwt.WithAudience(t.jwks.Audience)}
	default:
		return nil, ErrInvalidToken
	}
	opts = append(opts, jwt.WithExpirationRequired(), jwt.WithIssuedAt(), jwt.WithLeeway(leeway), jwt.WithTimeFunc(t.now))
	if _, err := jwt.ParseWithClaims(token, &c, keyFunc, opts...); err != nil || c.TenantID == "" || c.Subject == "" {
		return nil, ErrInvalidToken
	}
	return &c, nil
}
