package auth

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// jwksRefreshGap is the least time between two fetches of the key set, so
// tokens with made-up kids cannot make Bridgework hammer the provider.
const jwksRefreshGap = 30 * time.Second

// JWKS holds the public keys an operator's identity provider publishes, for
// verifying RS256 and ES256 access tokens. Its tokens must carry the same
// claims as Bridgework's own (tid, sub: a Bridgework user id, kind "user").
type JWKS struct {
	URL      string
	Issuer   string // the provider's iss
	Audience string // the aud its tokens carry for Bridgework
	client   *http.Client

	mu      sync.Mutex
	keys    map[string]crypto.PublicKey
	fetched time.Time
}

// NewJWKS returns a key set fetched from url on first use and refreshed when
// a token names an unknown key.
func NewJWKS(url, issuer, audience string, client *http.Client) *JWKS {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	return &JWKS{URL: url, Issuer: issuer, Audience: audience, client: client}
}

// Key returns the public key with id kid, which must suit alg.
func (j *JWKS) Key(kid, alg string) (crypto.PublicKey, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	k, ok := j.keys[kid]
	if !ok && time.Since(j.fetched) > jwksRefreshGap {
		if err := j.refresh(); err != nil {
			return nil, err
		}
		k, ok = j.keys[kid]
	}
	if !ok {
		return nil, fmt.Errorf("auth: jwks: no key %q", kid)
	}
	switch k.(type) {
	case *rsa.PublicKey:
		if alg != "RS256" {
			return nil, fmt.Errorf("auth: jwks: key %q is RSA, token says %s", kid, alg)
		}
	case *ecdsa.PublicKey:
		if alg != "ES256" {
			return nil, fmt.Errorf("auth: jwks: key %q is EC, token says %s", kid, alg)
		}
	}
	return k, nil
}

type jwk struct {
	Kty, Kid, Use, Crv, N, E, X, Y string
}

func (j *JWKS) refresh() error {
	j.fetched = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
	if err != nil {
		return fmt.Errorf("auth: jwks: %w", err)
	}
	res, err := j.client.Do(req)
	if err != nil {
		return fmt.Errorf("auth: jwks: fetch: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("auth: jwks: fetch: %s", res.Status)
	}
	var set struct{ Keys []jwk }
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&set); err != nil {
		return fmt.Errorf("auth: jwks: decode: %w", err)
	}
	keys := map[string]crypto.PublicKey{}
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		pub, err := k.publicKey()
		if err != nil {
			return fmt.Errorf("auth: jwks: key %q: %w", k.Kid, err)
		}
		if pub != nil {
			keys[k.Kid] = pub
		}
	}
	j.keys = keys
	return nil
}

// publicKey decodes an RSA or P-256 key; other key types are skipped (nil).
func (k jwk) publicKey() (crypto.PublicKey, error) {
	num := func(s string) (*big.Int, error) {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil || len(b) == 0 {
			return nil, errors.New("bad base64url number")
		}
		return new(big.Int).SetBytes(b), nil
	}
	switch k.Kty {
	case "RSA":
		n, err := num(k.N)
		if err != nil {
			return nil, err
		}
		e, err := num(k.E)
		if err != nil || !e.IsInt64() {
			return nil, errors.New("bad exponent")
		}
		if n.BitLen() < 2048 {
			return nil, errors.New("RSA keys need at least 2048 bits")
		}
		return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
	case "EC":
		if k.Crv != "P-256" {
			return nil, nil
		}
		x, err := num(k.X)
		if err != nil {
			return nil, err
		}
		y, err := num(k.Y)
		if err != nil {
			return nil, err
		}
		pub := &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}
		if !pub.Curve.IsOnCurve(x, y) {
			return nil, errors.New("point not on P-256")
		}
		return pub, nil
	}
	return nil, nil
}
