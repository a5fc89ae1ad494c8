package epicor

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/internal/apitest"
)

// fixedClock is the time every test server reports.
var fixedClock = time.Date(2025, 3, 4, 10, 30, 0, 0, time.UTC)

// odataBase is the v2 path prefix of the seeded company.
const odataBase = "/kinetic/api/v2/odata/EPIC06/"

type harness struct {
	srv *Server
	ts  *httptest.Server
}

func newHarness(tb testing.TB, opts Options) *harness {
	tb.Helper()
	if opts.Clock == nil {
		opts.Clock = func() time.Time { return fixedClock }
	}
	if opts.Delivery == (delivery.Options{}) {
		opts.Delivery = delivery.Options{Backoff: time.Millisecond, MaxAttempts: 4, Timeout: 2 * time.Second}
	}
	srv := New(opts)
	ts := httptest.NewServer(srv)
	tb.Cleanup(func() { ts.Close(); srv.Close() })
	return &harness{srv: srv, ts: ts}
}

type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// auth is how a request authenticates.
type auth struct {
	apiKey     string
	user, pass string
	bearer     string
}

var defaultAuth = auth{apiKey: DefaultAPIKey, user: DefaultUsername, pass: DefaultPassword}

func (h *harness) do(tb testing.TB, method, path string, body any) response {
	tb.Helper()
	return h.doAuth(tb, defaultAuth, method, path, body)
}

func (h *harness) doAuth(tb testing.TB, a auth, method, path string, body any) response {
	tb.Helper()
	req := apitest.NewRequest(tb, method, h.ts.URL+path, body)
	a.apply(req)
	r := apitest.Do(tb, req)
	return response{status: r.Status, header: r.Header, raw: r.Raw, body: r.Body}
}

// apply sets the credentials of a on req.
func (a auth) apply(req *http.Request) {
	if a.apiKey != "" {
		req.Header.Set("X-API-Key", a.apiKey)
	}
	switch {
	case a.bearer != "":
		req.Header.Set("Authorization", "Bearer "+a.bearer)
	case a.user != "":
		req.SetBasicAuth(a.user, a.pass)
	}
}

func (r response) want(tb testing.TB, status int) response {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
	return r
}

func (r response) value() []any { v, _ := r.body["value"].([]any); return v }
