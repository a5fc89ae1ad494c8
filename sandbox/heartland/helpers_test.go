package heartland

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/internal/apitest"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// fixedClock is the time every test server reports.
var fixedClock = time.Date(2025, 3, 1, 18, 22, 5, 0, time.UTC)

// harness is a sandbox behind a real HTTP listener.
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

// response is a decoded answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// do sends a request with the default token; body may be nil, a string or a value to encode.
func (h *harness) do(tb testing.TB, method, path string, body any) response {
	tb.Helper()
	return h.doToken(tb, DefaultToken, method, path, body)
}

func (h *harness) doToken(tb testing.TB, token, method, path string, body any) response {
	tb.Helper()
	req := apitest.NewRequest(tb, method, h.ts.URL+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r := apitest.Do(tb, req)
	return response{status: r.Status, header: r.Header, raw: r.Raw, body: r.Body}
}

// want fails the test unless the status matches.
func (r response) want(tb testing.TB, status int) response {
	tb.Helper()
	if r.status != status {
		tb.Fatalf("status = %d, want %d; body %s", r.status, status, r.raw)
	}
	return r
}

// createdID returns the id at the end of the Location header.
func (r response) createdID(tb testing.TB) string {
	tb.Helper()
	loc := r.header.Get("Location")
	i := strings.LastIndex(loc, "/")
	if i < 0 {
		tb.Fatalf("Location %q has no id", loc)
	}
	return loc[i+1:]
}

func results(r response) []any { l, _ := r.body["results"].([]any); return l }

// filterQuery encodes a _filter JSON parameter.
func filterQuery(f string) string { return "_filter=" + url.QueryEscape(f) }

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// testData is the default seed, shared read-only by tests.
var testData = seed.Generate(1)
