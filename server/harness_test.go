package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/server"
	"github.com/bridgework/bridgework/store"
)

func TestMain(m *testing.M) { testdb.Main(m) }

const (
	adminToken = "test-admin-token-0123456789"
	jwtSecret  = "test-jwt-secret-0123456789-0123456789"
)

// harness is a server on a fresh database of one dialect.
type harness struct {
	t     testing.TB
	srv   *server.Server
	store *store.Store
	logs  *logBuffer // everything the server and workers logged, at debug level
	doc   *apiDoc    // openapi.json, loaded on first use
	queue *queue.Client
	// allow is the outbound_allow of the tenants tenant() creates: the
	// process allows nothing beyond public addresses by itself, so tests
	// reach their local servers through their tenants' lists, as deployments
	// reach private systems.
	allow []string
}

// logBuffer collects log output from concurrent goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newHarness(t testing.TB, dialect string) *harness {
	t.Helper()
	return newHarnessWith(t, dialect, 0)
}

// loopback is the outbound allow-list test tenants use to reach their local servers.
var loopback = []string{"127.0.0.1/32", "::1/128"}

// newHarnessWith builds the server with workers working jobs when workers > 0.
func newHarnessWith(t testing.TB, dialect string, workers int) *harness {
	t.Helper()
	return newHarnessOpts(t, dialect, func(o *app.Options) { o.Workers = workers })
}

// newHarnessAllow builds the server whose tenants (made by tenant()) get
// allow as their outbound allow-list instead of loopback; nil: none.
func newHarnessAllow(t testing.TB, dialect string, workers int, allow []string) *harness {
	t.Helper()
	h := newHarnessWith(t, dialect, workers)
	h.allow = allow
	return h
}

// newHarnessOpts builds the server with options adjusted by tune. The process
// allows no outbound request to loopback (tune may set OutboundAllow); the
// tenants tenant() creates allow it in their own outbound_allow.
func newHarnessOpts(t testing.TB, dialect string, tune func(*app.Options)) *harness {
	t.Helper()
	return harnessOn(t, testdb.Open(t, dialect), tune)
}

// harnessOn builds the server on an open store (a restarted process when
// another harness used it before).
func harnessOn(t testing.TB, st *store.Store, tune func(*app.Options)) *harness {
	t.Helper()
	logs := &logBuffer{}
	box, err := secret.NewBox(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	opts := app.Options{
		Tokens: auth.NewTokens(jwtSecret, time.Hour), Box: box, AdminToken: adminToken,
		PublicURL: "http://bridgework.test", MaxBodyBytes: 64 << 10,
		FetchCooldown: 10 * time.Millisecond, FetchPollInterval: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	tune(&opts)
	parts, err := app.Assemble(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	if workers := opts.Workers; workers > 0 {
		if err := parts.Queue.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			parts.Queue.Stop(ctx)
		})
	}
	return &harness{t: t, srv: parts.Server, store: st, logs: logs, queue: parts.Queue, allow: loopback}
}

// serve starts the app on a loopback listener and returns its base URL.
func (h *harness) serve() string {
	h.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		h.t.Fatal(err)
	}
	go h.srv.App().Listener(ln)
	h.t.Cleanup(func() { h.srv.App().Shutdown() })
	return "http://" + ln.Addr().String()
}

// response is a decoded API answer.
type response struct {
	Status int
	Body   map[string]any
	Raw    string
}

// errorCode returns error.code of an error response.
func (r response) errorCode() string {
	e, _ := r.Body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

// do sends a request; body may be a string (sent as is) or a value (JSON-encoded).
func (h *harness) do(method, path, token string, body any) response {
	h.t.Helper()
	return h.doWith(method, path, token, "application/json", body)
}

func (h *harness) doWith(method, path, token, contentType string, body any) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := h.srv.App().Test(req, 30_000)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Raw: string(raw)}
	_ = json.Unmarshal(raw, &out.Body)
	h.checkResponse(method, path, out)
	return out
}

// tenant provisions a tenant and returns its id, admin API key and an access token.
type tenantFixture struct {
	ID, APIKey, Token, Email, Password string
}

func (h *harness) tenant(slug string) tenantFixture {
	h.t.Helper()
	res := h.do(http.MethodPost, "/api/v1/tenants", adminToken, map[string]any{
		"name": "Tenant " + slug, "slug": slug, "admin_email": "admin@" + slug + ".test", "outbound_allow": h.allow,
	})
	if res.Status != http.StatusCreated {
		h.t.Fatalf("create tenant %s: %d %s", slug, res.Status, res.Raw)
	}
	return h.tenantToken(res)
}

// tenantToken signs in with the admin API key of a tenant just created.
func (h *harness) tenantToken(created response) tenantFixture {
	h.t.Helper()
	admin := created.Body["admin"].(map[string]any)
	f := tenantFixture{ID: created.Body["id"].(string), APIKey: admin["api_key"].(string),
		Email: admin["email"].(string), Password: admin["password"].(string)}
	tok := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"api_key": f.APIKey})
	if tok.Status != http.StatusOK {
		h.t.Fatalf("token for %s: %d %s", f.ID, tok.Status, tok.Raw)
	}
	f.Token = tok.Body["access_token"].(string)
	return f
}

// apiKeyID returns the id of the tenant's first API key.
func (h *harness) apiKeyID(f tenantFixture) string {
	h.t.Helper()
	res := h.do(http.MethodGet, "/api/v1/api-keys", f.Token, nil)
	keys, _ := res.Body["api_keys"].([]any)
	if res.Status != http.StatusOK || len(keys) == 0 {
		h.t.Fatalf("list api keys: %d %s", res.Status, res.Raw)
	}
	return keys[len(keys)-1].(map[string]any)["id"].(string)
}
