package epicor

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox/delivery"
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
	apiKey      string
	user, pass  string
	bearer      string
	noBasicAuth bool
}

var defaultAuth = auth{apiKey: DefaultAPIKey, user: DefaultUsername, pass: DefaultPassword}

func (h *harness) do(tb testing.TB, method, path string, body any) response {
	tb.Helper()
	return h.doAuth(tb, defaultAuth, method, path, body)
}

func (h *harness) doAuth(tb testing.TB, a auth, method, path string, body any) response {
	tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("encode body: %v", err)
		}
		rd = strings.NewReader(string(enc))
	}
	req, err := http.NewRequest(method, h.ts.URL+path, rd)
	if err != nil {
		tb.Fatalf("build %s %s: %v", method, path, err)
	}
	if a.apiKey != "" {
		req.Header.Set("X-API-Key", a.apiKey)
	}
	switch {
	case a.bearer != "":
		req.Header.Set("Authorization", "Bearer "+a.bearer)
	case a.user != "":
		req.SetBasicAuth(a.user, a.pass)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out.body); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	return out
}

func (r response) want(tb testing.TB, status int) response {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
	return r
}

func (r response) value() []any { v, _ := r.body["value"].([]any); return v }
