package nodes_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/netguard"
	"github.com/bridgework/bridgework/nodes"
)

// partner is a test server that echoes what it received.
func partner(tb testing.TB) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path == "/busy-until":
			w.Header().Set("Retry-After", epoch.Add(2*time.Minute).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		case strings.HasPrefix(r.URL.Path, "/status/"):
			code := map[string]int{"/status/404": 404, "/status/503": 503, "/status/429": 429}[r.URL.Path]
			w.Header().Set("Retry-After", "3")
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(code)
			io.WriteString(w, `{"error":"nope"}`)
		case r.URL.Path == "/text":
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "plain words")
		case r.URL.Path == "/big":
			io.WriteString(w, strings.Repeat("x", 2048))
		default:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			json.NewEncoder(w).Encode(map[string]any{
				"method": r.Method, "path": r.URL.EscapedPath(), "query": r.URL.RawQuery,
				"x_run": r.Header.Get("X-Run"), "content_type": r.Header.Get("Content-Type"), "body": string(body),
			})
		}
	}))
	tb.Cleanup(srv.Close)
	return srv
}

func httpNode(tb testing.TB, srv *httptest.Server, config map[string]any) (engine.Node, error) {
	tb.Helper()
	if u, ok := config["url"].(string); ok {
		config["url"] = strings.ReplaceAll(u, "SERVER", srv.URL)
	}
	return compileNode(tb, "http", toJSON(tb, config), engine.Env{}, nodes.Deps{HTTPClient: srv.Client(), MaxResponseBytes: 1024})
}

func TestHTTPRequests(t *testing.T) {
	t.Parallel()
	srv := partner(t)
	tests := []struct {
		name   string
		config map[string]any
		want   map[string]any // expected fields of the echoed body
	}{
		{
			name:   "GET with templated url and headers",
			config: map[string]any{"url": "SERVER/orders/{{ .id | @uri }}?n={{ .n }}", "headers": map[string]any{"X-Run": "{{ $run.id }}-x"}},
			want:   map[string]any{"method": "GET", "path": "/orders/HL%2010", "query": "n=3", "x_run": "run-1-x", "body": ""},
		},
		{
			name:   "POST with a jq body",
			config: map[string]any{"method": "POST", "url": "SERVER/orders", "body": "{id: .id, total: .n}"},
			want:   map[string]any{"method": "POST", "content_type": "application/json", "body": `{"id":"HL 10","total":3}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := httpNode(t, srv, tt.config)
			if err != nil {
				t.Fatal(err)
			}
			out, err := run(t, n, input(t, `{"id":"HL 10","n":3}`))
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			res := out.Output.(map[string]any)
			if res["status"] != 200 || !strings.HasPrefix(res["headers"].(map[string]any)["content-type"].(string), "application/json") {
				t.Errorf("status/headers = %v %v", res["status"], res["headers"])
			}
			body := res["body"].(map[string]any)
			for k, v := range tt.want {
				if body[k] != v {
					t.Errorf("echoed %s = %q, want %q", k, body[k], v)
				}
			}
		})
	}
}

func TestHTTPResponses(t *testing.T) {
	t.Parallel()
	srv := partner(t)
	tests := []struct {
		name      string
		config    map[string]any
		body      string // want output body as JSON
		status    int
		err       string
		retryable bool
		after     time.Duration
	}{
		{name: "text body", config: map[string]any{"url": "SERVER/text"}, body: `"plain words"`, status: 200},
		{name: "404 is permanent", config: map[string]any{"url": "SERVER/status/404"}, err: `404 Not Found: {"error":"nope"}`},
		{name: "503 is retryable", config: map[string]any{"url": "SERVER/status/503"}, err: "503", retryable: true, after: 3 * time.Second},
		{name: "Retry-After as a date", config: map[string]any{"url": "SERVER/busy-until"}, err: "503", retryable: true, after: 2 * time.Minute},
		{name: "429 is retryable", config: map[string]any{"url": "SERVER/status/429"}, err: "429", retryable: true, after: 3 * time.Second},
		{name: "status passed through", config: map[string]any{"url": "SERVER/status/404", "fail_on_status": false}, body: `{"error":"nope"}`, status: 404},
		{name: "response too large", config: map[string]any{"url": "SERVER/big"}, err: "larger than 1024 bytes"},
		{name: "network error is retryable", config: map[string]any{"url": "http://127.0.0.1:1/x"}, err: "connection refused", retryable: true},
		{name: "templated url must be absolute", config: map[string]any{"url": "{{ .path }}"}, err: "absolute http or https URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := httpNode(t, srv, tt.config)
			if err != nil {
				t.Fatal(err)
			}
			out, err := run(t, n, input(t, `{"path":"/relative"}`))
			if expectError(t, err, tt.err) {
				if engine.Retryable(err) != tt.retryable || engine.RetryAfter(err) != tt.after {
					t.Errorf("retryable = %v after %s, want %v after %s", engine.Retryable(err), engine.RetryAfter(err), tt.retryable, tt.after)
				}
				return
			}
			res := out.Output.(map[string]any)
			if res["status"] != tt.status || toJSON(t, res["body"]) != tt.body {
				t.Errorf("output = %v, want status %d body %s", res, tt.status, tt.body)
			}
		})
	}
}

func TestHTTPStatusErrorIsTyped(t *testing.T) {
	t.Parallel()
	srv := partner(t)
	n, _ := httpNode(t, srv, map[string]any{"url": "SERVER/status/503"})
	_, err := run(t, n, input(t, `{}`))
	var se *nodes.StatusError
	if !errors.As(err, &se) || se.Status != 503 {
		t.Fatalf("error = %v, want *nodes.StatusError with status 503", err)
	}
}

func TestHTTPConfigProblems(t *testing.T) {
	t.Parallel()
	tests := []struct{ config, field, msg string }{
		{`{"url":"ftp://example.com/x"}`, "config.url", "absolute http or https URL"},
		{`{"url":"/relative"}`, "config.url", "absolute http or https URL"},
		{`{"url":"https://x/{{ .a "}`, "config.url", "unclosed {{"},
		{`{"url":"https://x/{{ }}"}`, "config.url", "empty {{ }} placeholder"},
		{`{"url":"https://x/{{ .a | }}"}`, "config.url", "jq syntax error"},
		{`{"url":"https://x","headers":{"X-A":"{{ $nope }}"}}`, "config.headers.X-A", "variable not defined"},
		{`{"url":"https://x","headers":{"X-A":1}}`, "config.headers.X-A", "must be a string"},
		{`{"url":"https://x","method":"BREW"}`, "config.method", "must be one of"},
		{`{"url":"https://x","body":"{"}`, "config.body", "jq syntax error"},
	}
	for _, tt := range tests {
		_, err := compileNode(t, "http", tt.config, engine.Env{}, nodes.Deps{HTTPClient: &http.Client{}})
		wantProblem(t, err, tt.field, tt.msg)
	}
	_, err := compileNode(t, "http", `{"url":"https://x"}`, engine.Env{}, nodes.Deps{})
	wantProblem(t, err, "type", "outbound HTTP requests are not available")
}

// The request is made for the flow's tenant, so the outbound guard applies
// that tenant's allow-list; a refusal by the guard is not retried.
func TestHTTPRequestsCarryTheTenant(t *testing.T) {
	t.Parallel()
	var seen string
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = netguard.TenantOf(r.Context())
		return nil, &netguard.BlockedError{Host: "erp.internal", Addr: netip.MustParseAddr("10.0.0.5"), Reason: "private"}
	})}
	n, err := compileNode(t, "http", `{"url":"http://erp.internal/orders"}`, engine.Env{TenantID: "tenant-7"}, nodes.Deps{HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	_, err = run(t, n, input(t, `{}`))
	if seen != "tenant-7" {
		t.Errorf("the request was made for tenant %q, want tenant-7", seen)
	}
	if err == nil || engine.Retryable(err) || !strings.Contains(err.Error(), "blocked by outbound policy") {
		t.Errorf("error %v: want a permanent refusal naming the outbound policy", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
