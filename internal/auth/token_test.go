package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	secretA = "first-secret-first-secret-0123456789"
	secretB = "second-secret-second-secret-01234567"
)

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	old := NewTokens(secretA, time.Hour)
	tokOld, _, err := old.Issue("u1", "t1", "admin", KindUser)
	if err != nil {
		t.Fatal(err)
	}
	rotated := NewTokens(secretB, time.Hour, secretA)
	if _, err := rotated.Verify(tokOld); err != nil {
		t.Errorf("a token of the previous secret is refused after rotation: %v", err)
	}
	tokNew, _, _ := rotated.Issue("u1", "t1", "admin", KindUser)
	if _, err := old.Verify(tokNew); err == nil {
		t.Error("a token of an unknown kid was accepted")
	}
	if _, err := NewTokens(secretB, time.Hour).Verify(tokOld); err == nil {
		t.Error("a token of a retired secret is still accepted")
	}
	if _, err := rotated.Verify(tokNew); err != nil {
		t.Errorf("a token of the current secret is refused: %v", err)
	}
}

// idp is an identity provider publishing an RSA and an EC key over JWKS.
type idp struct {
	rsa     *rsa.PrivateKey
	ec      *ecdsa.PrivateKey
	fetches atomic.Int32
	srv     *httptest.Server
}

func newIDP(t *testing.T) *idp {
	t.Helper()
	p := &idp{}
	var err error
	if p.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if p.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	set := map[string]any{"keys": []map[string]string{
		{"kty": "RSA", "kid": "rsa-1", "use": "sig", "n": b64(p.rsa.N.Bytes()), "e": b64(big.NewInt(int64(p.rsa.E)).Bytes())},
		{"kty": "EC", "kid": "ec-1", "crv": "P-256", "x": b64(p.ec.X.FillBytes(make([]byte, 32))), "y": b64(p.ec.Y.FillBytes(make([]byte, 32)))},
	}}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

func claimsFor(iss, aud string, exp time.Duration) Claims {
	now := time.Now()
	return Claims{TenantID: "t1", Kind: KindUser, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: iss, Subject: "u1", Audience: jwt.ClaimStrings{aud},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(exp)),
	}}
}

func signWith(t *testing.T, m jwt.SigningMethod, kid string, key any, c Claims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Attack tokens all fail closed; the provider's genuine tokens pass.
func TestVerifyAttacksFailClosed(t *testing.T) {
	t.Parallel()
	p := newIDP(t)
	tokens := NewTokens(secretA, time.Hour)
	tokens.UseJWKS(NewJWKS(p.srv.URL, "https://idp.test", "bridgework", nil))
	good := claimsFor("https://idp.test", "bridgework", time.Hour)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&p.rsa.PublicKey))})
	own := claimsFor(Issuer, Audience, time.Hour)

	cases := []struct {
		name  string
		token string
		ok    bool
	}{
		{"RS256 from the provider", signWith(t, jwt.SigningMethodRS256, "rsa-1", p.rsa, good), true},
		{"ES256 from the provider", signWith(t, jwt.SigningMethodES256, "ec-1", p.ec, good), true},
		{"own HS256", signWith(t, jwt.SigningMethodHS256, "", []byte(secretA), own), true},
		{"alg none", signWith(t, jwt.SigningMethodNone, "rsa-1", jwt.UnsafeAllowNoneSignatureType, good), false},
		{"HS256 keyed with the RSA public key", signWith(t, jwt.SigningMethodHS256, "rsa-1", pubPEM, good), false},
		{"HS256 keyed with the public key, own claims", signWith(t, jwt.SigningMethodHS256, "", pubPEM, own), false},
		{"RS256 naming the EC key", signWith(t, jwt.SigningMethodRS256, "ec-1", p.rsa, good), false},
		{"RS256 with an unknown kid", signWith(t, jwt.SigningMethodRS256, "rsa-9", p.rsa, good), false},
		{"RS256 signed by another key", signWith(t, jwt.SigningMethodRS256, "rsa-1", must(rsa.GenerateKey(rand.Reader, 2048)), good), false},
		{"expired", signWith(t, jwt.SigningMethodRS256, "rsa-1", p.rsa, claimsFor("https://idp.test", "bridgework", -time.Hour)), false},
		{"wrong audience", signWith(t, jwt.SigningMethodRS256, "rsa-1", p.rsa, claimsFor("https://idp.test", "other", time.Hour)), false},
		{"wrong issuer", signWith(t, jwt.SigningMethodRS256, "rsa-1", p.rsa, claimsFor("https://evil.test", "bridgework", time.Hour)), false},
		{"provider token with Bridgework's issuer", signWith(t, jwt.SigningMethodRS256, "rsa-1", p.rsa, own), false},
		{"RS384", signWith(t, jwt.SigningMethodRS384, "rsa-1", p.rsa, good), false},
	}
	for _, tc := range cases {
		_, err := tokens.Verify(tc.token)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err=%v, want accepted=%v", tc.name, err, tc.ok)
		}
	}
	if n := p.fetches.Load(); n > 2 {
		t.Errorf("the key set was fetched %d times; unknown kids must not trigger a fetch each", n)
	}
	withoutJWKS := NewTokens(secretA, time.Hour)
	if _, err := withoutJWKS.Verify(cases[0].token); err == nil {
		t.Error("an RS256 token was accepted without a JWKS configured")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
