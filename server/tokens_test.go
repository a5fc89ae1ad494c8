package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/testdb"
)

func TestIssueToken(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		tests := []struct {
			name       string
			body       any
			wantStatus int
		}{
			{"api key", map[string]string{"api_key": acme.APIKey}, http.StatusOK},
			{"email and password", map[string]string{"email": acme.Email, "password": acme.Password}, http.StatusOK},
			{"email, password and tenant", map[string]string{"email": acme.Email, "password": acme.Password, "tenant": "acme"}, http.StatusOK},
			{"wrong tenant", map[string]string{"email": acme.Email, "password": acme.Password, "tenant": "other"}, http.StatusUnauthorized},
			{"wrong password", map[string]string{"email": acme.Email, "password": acme.Password + "x"}, http.StatusUnauthorized},
			{"unknown email", map[string]string{"email": "who@nowhere.test", "password": "whatever-password"}, http.StatusUnauthorized},
			{"wrong api key", map[string]string{"api_key": acme.APIKey + "x"}, http.StatusUnauthorized},
			{"both kinds", map[string]string{"api_key": acme.APIKey, "email": acme.Email, "password": "x"}, http.StatusBadRequest},
			{"empty", map[string]string{}, http.StatusBadRequest},
		}
		for _, tc := range tests {
			res := h.do(http.MethodPost, "/api/v1/auth/token", "", tc.body)
			if res.Status != tc.wantStatus {
				t.Errorf("%s: got %d %s, want %d", tc.name, res.Status, res.Raw, tc.wantStatus)
				continue
			}
			if tc.wantStatus == http.StatusOK {
				if res.Body["token_type"] != "Bearer" || res.Body["expires_in"].(float64) != 3600 {
					t.Errorf("%s: unexpected token response %s", tc.name, res.Raw)
				}
				if got := h.do(http.MethodGet, "/api/v1/connections", res.Body["access_token"].(string), nil); got.Status != http.StatusOK {
					t.Errorf("%s: issued token refused: %d %s", tc.name, got.Status, got.Raw)
				}
			}
		}
	})
}

func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.Claims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRejectsBadTokens(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	keyID := h.apiKeyID(acme)
	valid := func(mod func(*auth.Claims)) *auth.Claims {
		now := time.Now()
		c := &auth.Claims{TenantID: acme.ID, Role: "admin", Kind: auth.KindAPIKey, RegisteredClaims: jwt.RegisteredClaims{
			Issuer: auth.Issuer, Subject: keyID, Audience: jwt.ClaimStrings{auth.Audience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
		}}
		if mod != nil {
			mod(c)
		}
		return c
	}
	parts := strings.Split(acme.Token, ".")
	tampered := parts[0] + "." + strings.TrimRight(parts[1], "=") + "x." + parts[2]

	tokens := map[string]string{
		"control (valid, self-signed)": sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(nil)),
		"tampered payload":             tampered,
		"expired":                      sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(func(c *auth.Claims) { c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour)) })),
		"no expiry":                    sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(func(c *auth.Claims) { c.ExpiresAt = nil })),
		"alg none":                     sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid(nil)),
		"other secret":                 sign(t, jwt.SigningMethodHS256, []byte("another-secret-another-secret-12345"), valid(nil)),
		"HS512":                        sign(t, jwt.SigningMethodHS512, []byte(jwtSecret), valid(nil)),
		"wrong audience":               sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(func(c *auth.Claims) { c.Audience = jwt.ClaimStrings{"other"} })),
		"wrong issuer":                 sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(func(c *auth.Claims) { c.Issuer = "evil" })),
		"not yet valid":                sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(func(c *auth.Claims) { c.NotBefore = jwt.NewNumericDate(time.Now().Add(time.Hour)) })),
		"no tenant":                    sign(t, jwt.SigningMethodHS256, []byte(jwtSecret), valid(func(c *auth.Claims) { c.TenantID = "" })),
	}
	for name, tok := range tokens {
		res := h.do(http.MethodGet, "/api/v1/connections", tok, nil)
		want := http.StatusUnauthorized
		if strings.HasPrefix(name, "control") {
			want = http.StatusOK
		}
		if res.Status != want {
			t.Errorf("%s: got %d %s, want %d", name, res.Status, res.Raw, want)
		}
	}
}
