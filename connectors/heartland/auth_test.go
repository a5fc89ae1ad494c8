package heartland

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// oauthServer is a token endpoint plus one API resource that accepts only
// the newest access token.
type oauthServer struct {
	refreshes atomic.Int32
	apiCalls  atomic.Int32
	mu        sync.Mutex
	current   string // access token the API accepts
	forms     []url.Values
	revoked   bool
}

func (s *oauthServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/api/oauth/token" {
		r.ParseForm()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.forms = append(s.forms, r.PostForm)
		if r.Method != http.MethodPost || r.PostForm.Get("client_id") != "app" || r.PostForm.Get("client_secret") != "shh" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		switch {
		case r.PostForm.Get("grant_type") == "authorization_code" && r.PostForm.Get("code") == "c1":
			s.current = "a1"
			io.WriteString(w, `{"access_token":"a1","token_type":"bearer","refresh_token":"r1","expires_in":7200,"scope":"item.manage"}`)
		case r.PostForm.Get("grant_type") == "refresh_token" && r.PostForm.Get("refresh_token") == "r1" && !s.revoked:
			s.refreshes.Add(1)
			s.current = "a2"
			io.WriteString(w, `{"access_token":"a2","token_type":"bearer","refresh_token":"r2","expires_in":3600}`)
		default:
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"invalid_grant","error_description":"refresh token is not valid"}`)
		}
		return
	}
	s.apiCalls.Add(1)
	s.mu.Lock()
	ok := r.Header.Get("Authorization") == "Bearer "+s.current
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(401)
		return
	}
	io.WriteString(w, `{"id":1}`)
}

func oauthSetup(tb testing.TB, srv *oauthServer, tok Token, now func() time.Time) (*Client, *OAuthSource, *[]Token) {
	tb.Helper()
	ts := httptest.NewServer(srv)
	tb.Cleanup(ts.Close)
	var mu sync.Mutex
	saved := &[]Token{}
	cfg := OAuthConfig{ClientID: "app", ClientSecret: "shh", RedirectURI: "https://bw.example.com/oauth/callback", TokenURL: ts.URL + "/api/oauth/token"}
	o := httpx.Options{Sleep: noWait, Now: now}
	src := NewOAuthSource(cfg, tok, o, func(_ context.Context, t Token) error {
		mu.Lock()
		defer mu.Unlock()
		*saved = append(*saved, t)
		return nil
	})
	return New(ts.URL+"/api", src, o), src, saved
}

func TestOAuthRefreshOn401(t *testing.T) {
	t.Parallel()
	srv := &oauthServer{current: "a-new-one-we-do-not-have"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c, src, saved := oauthSetup(t, srv, Token{AccessToken: "a1", RefreshToken: "r1"}, func() time.Time { return now })
	srv.current = "a2"
	if _, err := c.GetItem(context.Background(), 1); err != nil {
		t.Fatalf("GetItem after refresh: %v", err)
	}
	if srv.refreshes.Load() != 1 || srv.apiCalls.Load() != 2 {
		t.Errorf("refreshes = %d, api calls = %d; want 1 and 2", srv.refreshes.Load(), srv.apiCalls.Load())
	}
	if len(*saved) != 1 || (*saved)[0].AccessToken != "a2" || (*saved)[0].RefreshToken != "r2" || !(*saved)[0].Expiry.Equal(now.Add(time.Hour)) {
		t.Errorf("saved tokens = %+v, want one a2/r2 expiring in 1h", *saved)
	}
	if src.Current().AccessToken != "a2" {
		t.Errorf("current token = %q", src.Current().AccessToken)
	}
}

func TestOAuthConcurrent401sRefreshOnce(t *testing.T) {
	t.Parallel()
	srv := &oauthServer{current: "a2"}
	c, _, _ := oauthSetup(t, srv, Token{AccessToken: "a1", RefreshToken: "r1"}, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetItem(context.Background(), 1)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("GetItem: %v", err)
		}
	}
	if n := srv.refreshes.Load(); n != 1 {
		t.Errorf("refreshed %d times for one expired token, want 1", n)
	}
}

func TestOAuthCannotRefresh(t *testing.T) {
	t.Parallel()
	t.Run("no refresh token", func(t *testing.T) {
		t.Parallel()
		srv := &oauthServer{current: "a2"}
		c, _, _ := oauthSetup(t, srv, Token{AccessToken: "a1"}, nil)
		_, err := c.GetItem(context.Background(), 1)
		if !errors.Is(err, httpx.ErrAuth) || srv.apiCalls.Load() != 1 {
			t.Errorf("error %v after %d calls; want ErrAuth after 1", err, srv.apiCalls.Load())
		}
	})
	t.Run("refresh token revoked", func(t *testing.T) {
		t.Parallel()
		srv := &oauthServer{current: "a2", revoked: true}
		c, _, saved := oauthSetup(t, srv, Token{AccessToken: "a1", RefreshToken: "r1"}, nil)
		_, err := c.GetItem(context.Background(), 1)
		if !errors.Is(err, httpx.ErrAuth) || len(*saved) != 0 {
			t.Errorf("error %v, saved %v; want ErrAuth and nothing saved", err, *saved)
		}
	})
}

func TestOAuthRefreshesExpiredTokenFirst(t *testing.T) {
	t.Parallel()
	srv := &oauthServer{current: "a2"}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c, _, _ := oauthSetup(t, srv, Token{AccessToken: "a1", RefreshToken: "r1", Expiry: now.Add(30 * time.Second)}, func() time.Time { return now })
	if _, err := c.GetItem(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	if srv.apiCalls.Load() != 1 || srv.refreshes.Load() != 1 {
		t.Errorf("api calls = %d, refreshes = %d; want the refresh before the only call", srv.apiCalls.Load(), srv.refreshes.Load())
	}
}

func TestOAuthExchangeAndAuthorizeURL(t *testing.T) {
	t.Parallel()
	srv := &oauthServer{}
	c, src, _ := oauthSetup(t, srv, Token{}, nil)
	if _, err := c.GetItem(context.Background(), 1); !errors.Is(err, httpx.ErrAuth) {
		t.Errorf("call before connecting = %v, want ErrAuth", err)
	}
	tok, err := src.Exchange(context.Background(), "c1")
	if err != nil || tok.AccessToken != "a1" || tok.RefreshToken != "r1" || tok.Scope != "item.manage" {
		t.Fatalf("Exchange = %+v, %v", tok, err)
	}
	form := srv.forms[len(srv.forms)-1]
	if form.Get("grant_type") != "authorization_code" || form.Get("redirect_uri") != "https://bw.example.com/oauth/callback" {
		t.Errorf("exchange form = %v", form)
	}
	if _, err := c.GetItem(context.Background(), 1); err != nil {
		t.Errorf("call after exchange: %v", err)
	}

	u, _ := url.Parse(OAuthConfig{ClientID: "app", Scopes: []string{"item.manage", "sales.order.view"}, RedirectURI: "https://x/cb"}.AuthCodeURL("st8"))
	q := u.Query()
	if u.Host != "retail.heartland.us" || u.Path != "/oauth/authorize" || q.Get("client_id") != "app" ||
		q.Get("scope") != "item.manage sales.order.view" || q.Get("state") != "st8" || q.Get("redirect_uri") != "https://x/cb" {
		t.Errorf("AuthCodeURL = %s", u)
	}
}
