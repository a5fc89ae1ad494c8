package heartland

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// Default OAuth endpoints of Heartland's central authorization server.
const (
	DefaultAuthorizeURL = "https://retail.heartland.us/oauth/authorize"
	DefaultTokenURL     = "https://retail.heartland.us/api/oauth/token"
)

// TokenSource supplies bearer tokens.
type TokenSource interface {
	// Token returns the token to send.
	Token(ctx context.Context) (string, error)
	// Refresh replaces a token the API refused. It returns errNoRefresh
	// when the source cannot get a new one.
	Refresh(ctx context.Context, refused string) (string, error)
}

// errNoRefresh tells the client that a refused token cannot be renewed.
var errNoRefresh = errors.New("token cannot be refreshed")

// StaticToken is an API token created under My Account → API Tokens. It has
// no expiry and cannot be refreshed.
type StaticToken string

// Token returns the token.
func (t StaticToken) Token(context.Context) (string, error) { return string(t), nil }

// Refresh always fails: a refused API token must be replaced by a person.
func (t StaticToken) Refresh(context.Context, string) (string, error) { return "", errNoRefresh }

// bearer adapts a TokenSource to the HTTP layer: Authorization: Bearer on
// every attempt, one refresh after a 401.
type bearer struct{ src TokenSource }

func (b bearer) Authorize(ctx context.Context, h http.Header) error {
	tok, err := b.src.Token(ctx)
	if err != nil {
		return err
	}
	h.Set("Authorization", "Bearer "+tok)
	return nil
}

func (b bearer) Renew(ctx context.Context, refused http.Header) (bool, error) {
	_, err := b.src.Refresh(ctx, strings.TrimPrefix(refused.Get("Authorization"), "Bearer "))
	if errors.Is(err, errNoRefresh) {
		return false, nil
	}
	return err == nil, err
}

// OAuthConfig is an app registered with Heartland.
type OAuthConfig struct {
	ClientID     string
	ClientSecret string
	RedirectURI  string
	Scopes       []string // e.g. "sales.order.view", "item.manage"
	AuthorizeURL string   // default DefaultAuthorizeURL
	TokenURL     string   // default DefaultTokenURL
}

// AuthCodeURL is where to send the merchant to approve the app. Heartland
// documents client_id, scope (space-separated), redirect_uri and state.
func (c OAuthConfig) AuthCodeURL(state string) string {
	q := url.Values{"client_id": {c.ClientID}, "scope": {strings.Join(c.Scopes, " ")}}
	if c.RedirectURI != "" {
		q.Set("redirect_uri", c.RedirectURI)
	}
	if state != "" {
		q.Set("state", state)
	}
	return cmp.Or(c.AuthorizeURL, DefaultAuthorizeURL) + "?" + q.Encode()
}

// OAuthSource is a TokenSource for the authorization-code flow. It refreshes
// the token when it has expired (if the server gave a lifetime) or when the
// API refuses it, and hands every new token to OnRefresh to be stored.
type OAuthSource struct {
	cfg       OAuthConfig
	hc        *httpx.Client
	onRefresh func(context.Context, Token) error
	now       func() time.Time

	mu  sync.Mutex
	tok Token
}

// NewOAuthSource starts from a stored token. o configures the HTTP layer
// for token requests; onRefresh (may be nil) persists renewed tokens.
func NewOAuthSource(cfg OAuthConfig, tok Token, o httpx.Options, onRefresh func(context.Context, Token) error) *OAuthSource {
	o.System = System
	o.Auth = nil
	o.Limiter = nil
	o.Decode = decodeError
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &OAuthSource{cfg: cfg, hc: httpx.New(o), onRefresh: onRefresh, now: now, tok: tok}
}

// Exchange trades an authorization code for a token.
func (s *OAuthSource) Exchange(ctx context.Context, code string) (Token, error) {
	tok, err := s.request(ctx, "exchange authorization code", url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {s.cfg.RedirectURI},
	})
	if err != nil {
		return Token{}, err
	}
	s.mu.Lock()
	s.tok = tok
	s.mu.Unlock()
	return tok, nil
}

// Current returns the token held now.
func (s *OAuthSource) Current() Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok
}

// Token returns the access token, refreshing it first when it has expired.
func (s *OAuthSource) Token(ctx context.Context) (string, error) {
	s.mu.Lock()
	tok := s.tok
	s.mu.Unlock()
	if !tok.Expiry.IsZero() && tok.RefreshToken != "" && !s.now().Before(tok.Expiry.Add(-time.Minute)) {
		return s.Refresh(ctx, tok.AccessToken)
	}
	if tok.AccessToken == "" {
		return "", &httpx.Error{System: System, Action: "authorize", Kind: httpx.ErrAuth,
			Message: "no OAuth access token: connect the account first"}
	}
	return tok.AccessToken, nil
}

// Refresh gets a new access token with the refresh token. When another
// caller already replaced the refused token, the newer token is returned
// without a second refresh.
func (s *OAuthSource) Refresh(ctx context.Context, refused string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.AccessToken != "" && s.tok.AccessToken != refused {
		return s.tok.AccessToken, nil
	}
	if s.tok.RefreshToken == "" {
		return "", errNoRefresh
	}
	tok, err := s.request(ctx, "refresh token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {s.tok.RefreshToken},
	})
	if err != nil {
		return "", err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = s.tok.RefreshToken // servers that do not rotate keep the old one valid
	}
	s.tok = tok
	if s.onRefresh != nil {
		if err := s.onRefresh(ctx, tok); err != nil {
			return "", fmt.Errorf("heartland: save refreshed token: %w", err)
		}
	}
	return tok.AccessToken, nil
}

// request POSTs a form to the token endpoint.
func (s *OAuthSource) request(ctx context.Context, action string, form url.Values) (Token, error) {
	form.Set("client_id", s.cfg.ClientID)
	form.Set("client_secret", s.cfg.ClientSecret)
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	var tok Token
	_, err := s.hc.JSON(ctx, httpx.Request{Action: action, Method: http.MethodPost,
		URL: cmp.Or(s.cfg.TokenURL, DefaultTokenURL), Header: h, Body: []byte(form.Encode())}, nil, &tok)
	if err != nil {
		return Token{}, err
	}
	if tok.AccessToken == "" {
		return Token{}, &httpx.Error{System: System, Action: action, Kind: httpx.ErrAuth, Message: "token response has no access_token"}
	}
	if tok.ExpiresIn > 0 {
		tok.Expiry = s.now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	return tok, nil
}
