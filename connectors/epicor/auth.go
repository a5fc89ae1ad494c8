package epicor

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// apiKey adds x-api-key, which v2 requires on every request.
func apiKey(h http.Header, key string) {
	if key != "" {
		h.Set("X-API-Key", key)
	}
}

// BasicAuth sends the API key and Basic user:password on every request.
type BasicAuth struct {
	APIKey   string
	Username string
	Password string
}

// Authorize adds the credentials.
func (a BasicAuth) Authorize(_ context.Context, h http.Header) error {
	apiKey(h, a.APIKey)
	h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	return nil
}

// Renew is false: a refused password stays refused.
func (BasicAuth) Renew(context.Context, http.Header) (bool, error) { return false, nil }

// BearerAuth sends the API key and a token obtained elsewhere (Azure AD,
// Epicor IdP) that Bridgework cannot renew.
type BearerAuth struct {
	APIKey string
	Token  string
}

// Authorize adds the credentials.
func (a BearerAuth) Authorize(_ context.Context, h http.Header) error {
	apiKey(h, a.APIKey)
	h.Set("Authorization", "Bearer "+a.Token)
	return nil
}

// Renew is false: the token comes from outside.
func (BearerAuth) Renew(context.Context, http.Header) (bool, error) { return false, nil }

// TokenAuth gets bearer tokens from the instance's token service
// (POST {server}/{instance}/TokenResource.svc/), caches each until shortly
// before it expires, and fetches a new one when the API refuses it.
type TokenAuth struct {
	apiKey   string
	username string
	password string
	url      string
	lifetime time.Duration
	hc       *httpx.Client
	now      func() time.Time

	mu        sync.Mutex
	token     string
	refreshAt time.Time
}

// NewTokenAuth returns a TokenAuth for the target. lifetime is assumed when
// the service does not state one (0: DefaultTokenLifetime); o configures the
// HTTP layer for token requests.
func NewTokenAuth(t Target, apiKeyValue, username, password string, lifetime time.Duration, o httpx.Options) *TokenAuth {
	o.System = System
	o.Auth = nil
	o.Limiter = nil
	o.Decode = decodeError
	if lifetime <= 0 {
		lifetime = DefaultTokenLifetime
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &TokenAuth{apiKey: apiKeyValue, username: username, password: password,
		url: t.root() + "/TokenResource.svc/", lifetime: lifetime, hc: httpx.New(o), now: now}
}

// Authorize adds the API key and a valid token, fetching one if needed.
func (a *TokenAuth) Authorize(ctx context.Context, h http.Header) error {
	tok, err := a.Token(ctx)
	if err != nil {
		return err
	}
	apiKey(h, a.apiKey)
	h.Set("Authorization", "Bearer "+tok)
	return nil
}

// Renew drops the refused token so the next attempt fetches a new one. If
// another call already replaced it, nothing is dropped.
func (a *TokenAuth) Renew(_ context.Context, refused http.Header) (bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if "Bearer "+a.token == refused.Get("Authorization") {
		a.token = ""
	}
	return true, nil
}

// Token returns the cached token, or a new one when it is missing or within
// a tenth of its lifetime (at most five minutes) of expiring.
func (a *TokenAuth) Token(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.token != "" && a.now().Before(a.refreshAt) {
		return a.token, nil
	}
	tok, ttl, err := a.fetch(ctx)
	if err != nil {
		return "", err
	}
	a.token, a.refreshAt = tok, a.now().Add(ttl-min(ttl/10, 5*time.Minute))
	return tok, nil
}

// fetch asks the token service for a token. The credentials go both as
// username/password headers and as a grant_type=password form, the two
// forms seen in working clients.
func (a *TokenAuth) fetch(ctx context.Context) (string, time.Duration, error) {
	const action = "get token"
	h := http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"},
		"Username":     {a.username},
		"Password":     {a.password},
	}
	apiKey(h, a.apiKey)
	form := url.Values{"grant_type": {"password"}, "username": {a.username}, "password": {a.password}}
	resp, err := a.hc.Do(ctx, httpx.Request{Action: action, Method: http.MethodPost, URL: a.url, Header: withAccept(h), Body: []byte(form.Encode())})
	if err != nil {
		return "", 0, err
	}
	tok, ttl := parseToken(resp.Body)
	if tok == "" {
		return "", 0, &httpx.Error{System: System, Action: action, Status: resp.Status, Kind: httpx.ErrAuth,
			Message: "token service answered without an AccessToken"}
	}
	if ttl <= 0 {
		ttl = a.lifetime
	}
	return tok, ttl, nil
}

func withAccept(h http.Header) http.Header {
	h.Set("Accept", "application/json")
	return h
}

// parseToken reads AccessToken (and an expiry in seconds, when present)
// from a JSON or XML (<Token><AccessToken>) body.
func parseToken(body []byte) (string, time.Duration) {
	var j tokenResponse
	if json.Unmarshal(body, &j) == nil {
		tok := cmp.Or(j.AccessToken, j.AccessToken2)
		secs := max(j.ExpiresIn, j.ExpiresIn2)
		return tok, time.Duration(secs) * time.Second
	}
	var x struct {
		AccessToken string `xml:"AccessToken"`
	}
	if xml.Unmarshal(body, &x) == nil {
		return strings.TrimSpace(x.AccessToken), 0
	}
	return "", 0
}
