package epicor

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// tokenServer issues numbered tokens at /Kinetic/TokenResource.svc/ and
// serves Parts to the newest token only.
type tokenServer struct {
	fetches  atomic.Int32
	apiCalls atomic.Int32
	xml      bool
	ttl      int // ExpiresIn seconds; 0 leaves it out
	mu       sync.Mutex
	current  string
	lastForm string
	headers  http.Header
}

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/Kinetic/TokenResource.svc/" {
		r.ParseForm()
		if r.Method != http.MethodPost || r.Header.Get("Username") != "u" || r.Header.Get("Password") != "p" || r.PostForm.Get("grant_type") != "password" {
			w.WriteHeader(401)
			return
		}
		n := s.fetches.Add(1)
		s.mu.Lock()
		s.current = "t" + strconv.Itoa(int(n))
		tok := s.current
		s.headers = r.Header.Clone()
		s.mu.Unlock()
		if s.xml {
			io.WriteString(w, "<Token><AccessToken>"+tok+"</AccessToken><TokenType>Bearer</TokenType></Token>")
			return
		}
		body := `{"AccessToken":"` + tok + `","TokenType":"Bearer"`
		if s.ttl > 0 {
			body += `,"ExpiresIn":` + strconv.Itoa(s.ttl)
		}
		io.WriteString(w, body+"}")
		return
	}
	s.apiCalls.Add(1)
	s.mu.Lock()
	ok := r.Header.Get("Authorization") == "Bearer "+s.current && r.Header.Get("X-Api-Key") == "KEY"
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(401)
		io.WriteString(w, `{"HttpStatus":401,"ErrorMessage":"Token expired","ErrorType":"UnauthorizedAccessException"}`)
		return
	}
	io.WriteString(w, `{"PartNum":"P1"}`)
}

// revoke makes the server forget the current token.
func (s *tokenServer) revoke() {
	s.mu.Lock()
	s.current = "revoked"
	s.mu.Unlock()
}

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func tokenClient(tb testing.TB, s *tokenServer, clk *clock) *Client {
	tb.Helper()
	ts := httptest.NewServer(s)
	tb.Cleanup(ts.Close)
	o := httpx.Options{Sleep: noWait, Now: clk.Now}
	t := target(ts.URL)
	return New(t, NewTokenAuth(t, "KEY", "u", "p", 0, o), o)
}

func TestTokenCachedUntilNearExpiry(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		ttl       int
		xml       bool
		stillGood time.Duration // the token is reused at this age
		refetch   time.Duration // and replaced at this age
	}{
		{"stated lifetime", 600, false, 8*time.Minute + 59*time.Second, 9 * time.Minute},
		{"default lifetime", 0, false, 54 * time.Minute, 55*time.Minute + time.Second},
		{"xml body", 0, true, 54 * time.Minute, 56 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := &tokenServer{ttl: tt.ttl, xml: tt.xml}
			clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
			c := tokenClient(t, srv, clk)
			ctx := context.Background()
			for i := 0; i < 3; i++ {
				if _, err := c.GetPart(ctx, "P1"); err != nil {
					t.Fatal(err)
				}
			}
			clk.Add(tt.stillGood)
			if _, err := c.GetPart(ctx, "P1"); err != nil {
				t.Fatal(err)
			}
			if n := srv.fetches.Load(); n != 1 {
				t.Fatalf("fetched %d tokens before expiry, want 1", n)
			}
			clk.Add(tt.refetch - tt.stillGood)
			if _, err := c.GetPart(ctx, "P1"); err != nil {
				t.Fatal(err)
			}
			if n := srv.fetches.Load(); n != 2 {
				t.Errorf("fetched %d tokens after expiry, want 2", n)
			}
			if srv.apiCalls.Load() != 5 {
				t.Errorf("api calls = %d, want 5 (no 401s)", srv.apiCalls.Load())
			}
		})
	}
}

func TestTokenRefetchedOn401(t *testing.T) {
	t.Parallel()
	srv := &tokenServer{ttl: 3600}
	c := tokenClient(t, srv, &clock{now: time.Now()})
	ctx := context.Background()
	if _, err := c.GetPart(ctx, "P1"); err != nil {
		t.Fatal(err)
	}
	srv.revoke() // e.g. the app server restarted
	if _, err := c.GetPart(ctx, "P1"); err != nil {
		t.Fatalf("call after revocation: %v", err)
	}
	if srv.fetches.Load() != 2 || srv.apiCalls.Load() != 3 {
		t.Errorf("fetches = %d, api calls = %d; want 2 and 3", srv.fetches.Load(), srv.apiCalls.Load())
	}
	if srv.headers.Get("X-Api-Key") != "KEY" || srv.headers.Get("Accept") != "application/json" {
		t.Errorf("token request headers = %v", srv.headers)
	}
}

func TestBasicAndBearerHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		auth httpx.Authenticator
		want string
	}{
		{BasicAuth{APIKey: "KEY", Username: "manager", Password: "pw"}, "Basic bWFuYWdlcjpwdw=="},
		{BearerAuth{APIKey: "KEY", Token: "aad-token"}, "Bearer aad-token"},
	}
	for _, tt := range tests {
		h := http.Header{}
		if err := tt.auth.Authorize(context.Background(), h); err != nil {
			t.Fatal(err)
		}
		if h.Get("Authorization") != tt.want || h.Get("X-API-Key") != "KEY" {
			t.Errorf("%T headers = %v", tt.auth, h)
		}
		if ok, _ := tt.auth.Renew(context.Background(), h); ok {
			t.Errorf("%T.Renew = true, fixed credentials cannot renew", tt.auth)
		}
	}
}
