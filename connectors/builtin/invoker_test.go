package builtin

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

func TestConnectionTest(t *testing.T) {
	t.Parallel()
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("Authorization") == "Bearer bad" || r.Header.Get("X-Api-Key") == "BAD":
			w.WriteHeader(401)
		case r.URL.Path == "/api/system/whoami":
			io.WriteString(w, `{"id":100017}`)
		case r.URL.Path == "/Kinetic/api/v2/odata/EPIC06/Erp.BO.PartSvc/Parts":
			io.WriteString(w, `{"value":[]}`)
		default:
			w.WriteHeader(404)
		}
	}))
	defer ok.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()

	hl := func(base, token string) connectors.Connection {
		c := heartlandConn(base)
		c.Secrets["api_token"] = token
		c.Config["max_attempts"] = 1.0
		return c
	}
	ep := func(base, key string) connectors.Connection {
		c := epicorConn(base)
		c.Secrets["api_key"] = key
		c.Config["max_attempts"] = 1.0
		return c
	}
	tests := []struct {
		name string
		conn connectors.Connection
		kind error
		text string
	}{
		{"heartland ok", hl(ok.URL, "tok"), nil, ""},
		{"heartland bad token", hl(ok.URL, "bad"), httpx.ErrAuth, "check the API token"},
		{"heartland wrong path", connectors.Connection{ID: "h", Type: "heartland", Config: map[string]any{"base_url": ok.URL}, Secrets: map[string]string{"api_token": "t"}},
			httpx.ErrNotFound, "should look like"},
		{"heartland unreachable", hl(down.URL, "tok"), httpx.ErrUnavailable, "cannot reach"},
		{"heartland no token", connectors.Connection{ID: "h2", Type: "heartland", Config: map[string]any{"base_url": ok.URL}}, httpx.ErrValidation, "secrets.api_token: is required"},
		{"heartland bad url", connectors.Connection{ID: "h3", Type: "heartland", Config: map[string]any{"base_url": "acme"}, Secrets: map[string]string{"api_token": "t"}},
			httpx.ErrValidation, "config.base_url: must be an http(s) URL"},
		{"epicor ok", ep(ok.URL, "KEY"), nil, ""},
		{"epicor bad key", ep(ok.URL, "BAD"), httpx.ErrAuth, "check the API key"},
		{"epicor unreachable", ep(down.URL, "KEY"), httpx.ErrUnavailable, "cannot reach"},
		{"epicor wrong company", connectors.Connection{ID: "e4", Type: "epicor", Config: map[string]any{"base_url": ok.URL, "instance": "Kinetic", "company": "NOPE"},
			Secrets: map[string]string{"username": "u", "password": "p"}}, httpx.ErrNotFound, "check the base URL, instance and company"},
		{"http ok", connectors.Connection{ID: "w1", Type: "http", Config: map[string]any{"base_url": ok.URL, "test_path": "/api/system/whoami"}}, nil, ""},
		{"http unreachable", connectors.Connection{ID: "w2", Type: "http", Config: map[string]any{"base_url": down.URL, "max_attempts": 1.0}},
			httpx.ErrUnavailable, "cannot reach"},
		{"epicor missing company", connectors.Connection{ID: "e2", Type: "epicor", Config: map[string]any{"base_url": ok.URL, "instance": "Kinetic"},
			Secrets: map[string]string{"username": "u", "password": "p"}}, httpx.ErrValidation, "config.company: is required"},
		{"epicor bad auth mode", connectors.Connection{ID: "e3", Type: "epicor", Config: map[string]any{"base_url": ok.URL, "instance": "K", "company": "C", "auth": "ntlm"}},
			httpx.ErrValidation, "config.auth: must be basic, token or bearer"},
	}
	iv := connectors.NewInvoker(Registry(), connectors.Env{})
	for _, tt := range tests {
		err := iv.Test(context.Background(), tt.conn)
		if tt.kind == nil {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: error %v, want %v containing %q", tt.name, err, tt.kind, tt.text)
		}
	}
}

func TestOAuthRefreshIsSaved(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/oauth/token":
			r.ParseForm()
			if r.PostForm.Get("refresh_token") != "r1" {
				w.WriteHeader(400)
				return
			}
			io.WriteString(w, `{"access_token":"a2","refresh_token":"r2","expires_in":3600}`)
		case r.Header.Get("Authorization") != "Bearer a2":
			w.WriteHeader(401)
		default:
			io.WriteString(w, `{"id":100017}`)
		}
	}))
	defer ts.Close()
	var mu sync.Mutex
	var saved map[string]string
	iv := connectors.NewInvoker(Registry(), connectors.Env{SaveSecrets: func(_ context.Context, id string, s map[string]string) error {
		mu.Lock()
		defer mu.Unlock()
		if id == "hl-oauth" {
			saved = s
		}
		return nil
	}})
	conn := connectors.Connection{ID: "hl-oauth", Type: "heartland",
		Config:  map[string]any{"base_url": ts.URL + "/api", "auth": "oauth", "client_id": "app", "token_url": ts.URL + "/oauth/token"},
		Secrets: map[string]string{"client_secret": "shh", "access_token": "a1", "refresh_token": "r1"}}
	if err := iv.Test(context.Background(), conn); err != nil {
		t.Fatalf("Test with an expired OAuth token: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if saved["access_token"] != "a2" || saved["refresh_token"] != "r2" || saved["client_secret"] != "shh" {
		t.Fatalf("saved secrets = %v", saved)
	}
	if _, err := time.Parse(time.RFC3339, saved["token_expires_at"]); err != nil {
		t.Errorf("token_expires_at = %q: %v", saved["token_expires_at"], err)
	}
}

func TestConnectionsShareOneLimiter(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"id":1}`) }))
	defer ts.Close()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	waits := map[string]int{}
	lim := &httpx.Limiters{
		Now:   func() time.Time { return now },
		Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		OnWait: func(conn string, d time.Duration) {
			mu.Lock()
			waits[conn]++
			mu.Unlock()
		},
	}
	env := connectors.Env{Limiters: lim}
	a, b := heartlandConn(ts.URL), heartlandConn(ts.URL)
	b.ID = "other-tenant"
	a.Config["rate_limit_per_second"], a.Config["rate_limit_burst"] = 2.0, 2.0
	// Two invokers (say two workers) share the process limiters.
	for _, iv := range []*connectors.Invoker{connectors.NewInvoker(Registry(), env), connectors.NewInvoker(Registry(), env)} {
		for i := 0; i < 3; i++ {
			if _, err := iv.Invoke(context.Background(), a, "get_item", map[string]any{"id": 1.0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := connectors.NewInvoker(Registry(), env).Invoke(context.Background(), b, "get_item", map[string]any{"id": 1.0}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if waits["hl-test"] != 4 || waits["other-tenant"] != 0 {
		t.Errorf("waits = %v; want 4 for hl-test (6 calls, burst 2) and none for the other tenant", waits)
	}
}

func TestRetriesThroughInvoker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		conn      func(string) connectors.Connection
		op, input string
		wantCalls int
		wantErr   error
	}{
		{"epicor PATCH is retried", epicorConn, "update_sales_order", `{"OrderNum":5012,"fields":{"OrderHeld":true}}`, 3, nil},
		{"epicor POST is not", epicorConn, "create_sales_order", `{"CustNum":12,"PONum":"HL-1"}`, 1, httpx.ErrUnavailable},
		{"heartland GET is retried", heartlandConn, "get_item", `{"id":1}`, 3, nil},
		{"heartland POST is not", heartlandConn, "create_customer", `{"first_name":"A","last_name":"B","email":"a@b.c"}`, 1, httpx.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			calls := 0
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				calls++
				n := calls
				mu.Unlock()
				if n < 3 {
					w.WriteHeader(503)
					return
				}
				io.WriteString(w, `{}`)
			}))
			defer ts.Close()
			var slept []time.Duration
			env := connectors.Env{Options: func(o *httpx.Options) {
				o.Sleep = func(ctx context.Context, d time.Duration) error {
					mu.Lock()
					slept = append(slept, d)
					mu.Unlock()
					return nil
				}
			}}
			_, err := connectors.NewInvoker(Registry(), env).Invoke(context.Background(), tt.conn(ts.URL), tt.op, decode(t, tt.input).(map[string]any))
			if (tt.wantErr == nil) != (err == nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if calls != tt.wantCalls || len(slept) != tt.wantCalls-1 {
				t.Errorf("calls = %d, backoff sleeps = %d; want %d and %d", calls, len(slept), tt.wantCalls, tt.wantCalls-1)
			}
		})
	}
}
