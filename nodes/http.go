package nodes

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/netguard"
)

// TypeHTTP makes an HTTP request.
const TypeHTTP = "http"

// DefaultMaxResponseBytes caps response bodies unless Deps says otherwise.
const DefaultMaxResponseBytes = 10 << 20

var httpSpec = engine.NodeSpec{
	Type:        TypeHTTP,
	Title:       "HTTP request",
	Category:    CategoryAction,
	Description: "Sends an HTTP request. url and header values are templates: text with {{ jq }} placeholders evaluated over the input (strings are inserted as they are, use @uri to escape; other values as JSON). body is a jq program whose result is sent as JSON. The output is {status, headers, body}, body decoded when the response is JSON. Non-2xx responses fail the step unless fail_on_status is false; 5xx, 408 and 429 responses and network errors are retryable (honouring Retry-After).",
	Config: object("", []string{"url"}, map[string]*engine.Schema{
		"method":         {Type: "string", Enum: []any{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}, Default: "GET", Description: "HTTP method."},
		"url":            {Type: "string", Format: engine.FormatTemplate, MinLength: ptr(1), Description: "Absolute http(s) URL; may contain {{ jq }} placeholders."},
		"headers":        {Type: "object", AdditionalProperties: &engine.Schema{Type: "string", Format: engine.FormatTemplate}, Description: "Request headers; values may contain {{ jq }} placeholders."},
		"body":           jqField("jq program over the input yielding the JSON request body."),
		"fail_on_status": {Type: "boolean", Default: true, Description: "Fail the step on a non-2xx status; when false the response is the output whatever its status."},
	}),
	Ports:       []string{engine.PortOut},
	SideEffects: true,
	Variables:   engine.JQVariables,
	Examples: []engine.Example{
		example("Post the order to a partner", map[string]any{
			"method":  "POST",
			"url":     "https://partner.example.com/orders/{{ .public_id | @uri }}",
			"headers": map[string]any{"X-Run": "{{ $run.id }}"},
			"body":    "{id: .public_id, total: .total}",
		}),
	},
}

// HTTP is a compiled http node.
type HTTP struct {
	client       *http.Client
	maxBody      int64
	method       string
	url          *template
	headers      map[string]*template
	headerNames  []string
	body         *engine.JQ
	failOnStatus bool
	tenantID     string // whose outbound allow-list applies
}

type httpConfig struct {
	Method       string            `json:"method"`
	URL          string            `json:"url"`
	Headers      map[string]string `json:"headers"`
	Body         string            `json:"body"`
	FailOnStatus *bool             `json:"fail_on_status"`
}

func registerHTTP(r *engine.Registry, deps Deps) {
	r.Register(httpSpec, func(b *engine.Build) (engine.Node, error) {
		var c httpConfig
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		n := &HTTP{
			client:       deps.HTTPClient,
			maxBody:      deps.MaxResponseBytes,
			method:       c.Method,
			url:          compileTemplate(b, "config.url", c.URL),
			headers:      map[string]*template{},
			body:         b.JQ("config.body", c.Body),
			failOnStatus: c.FailOnStatus == nil || *c.FailOnStatus,
			tenantID:     b.TenantID(),
		}
		if n.client == nil {
			b.Errorf("type", "outbound HTTP requests are not available on this server")
		}
		if n.maxBody <= 0 {
			n.maxBody = DefaultMaxResponseBytes
		}
		if n.method == "" {
			n.method = http.MethodGet
		}
		if n.url != nil && n.url.static() {
			checkURL(b, n.url.text(nil))
		}
		for name, v := range c.Headers {
			n.headers[name] = compileTemplate(b, "config.headers."+name, v)
			n.headerNames = append(n.headerNames, name)
		}
		sort.Strings(n.headerNames)
		return n, nil
	})
}

func checkURL(b *engine.Build, raw string) {
	if _, err := parseURL(raw); err != nil {
		b.Errorf("config.url", "%v", err)
	}
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %q: %w", raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("URL %q must be an absolute http or https URL", raw)
	}
	return u, nil
}

// Run sends the request and returns the response.
func (n *HTTP) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	rawURL, err := n.url.render(ctx, in)
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("url: %w", err)
	}
	u, err := parseURL(rawURL)
	if err != nil {
		return engine.Outcome{}, err
	}
	var body io.Reader
	if n.body != nil {
		v, err := n.body.One(ctx, in.Value, in)
		if err != nil {
			return engine.Outcome{}, fmt.Errorf("body: %w", err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return engine.Outcome{}, fmt.Errorf("body: %w", err)
		}
		body = bytes.NewReader(b)
	}
	// The request is made for the flow's tenant: the guard applies its
	// outbound allow-list.
	req, err := http.NewRequestWithContext(netguard.WithTenant(ctx, n.tenantID), n.method, u.String(), body)
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("build request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	for _, name := range n.headerNames {
		v, err := n.headers[name].render(ctx, in)
		if err != nil {
			return engine.Outcome{}, fmt.Errorf("header %s: %w", name, err)
		}
		req.Header.Set(name, v)
	}
	resp, err := n.client.Do(req)
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("http %s %s: %w", n.method, u.Redacted(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, n.maxBody+1))
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("http %s %s: read response: %w", n.method, u.Redacted(), &engine.TransientError{Err: err})
	}
	if int64(len(data)) > n.maxBody {
		return engine.Outcome{}, fmt.Errorf("http %s %s: response body is larger than %d bytes", n.method, u.Redacted(), n.maxBody)
	}
	if n.failOnStatus && (resp.StatusCode < 200 || resp.StatusCode > 299) {
		return engine.Outcome{}, &StatusError{Method: n.method, URL: u.Redacted(), Status: resp.StatusCode, Body: snippet(data), After: retryAfter(resp.Header.Get("Retry-After"), in.Now)}
	}
	return engine.Outcome{Output: map[string]any{
		"status":  resp.StatusCode,
		"headers": responseHeaders(resp.Header),
		"body":    responseBody(resp.Header.Get("Content-Type"), data),
	}}, nil
}

func responseHeaders(h http.Header) map[string]any {
	out := make(map[string]any, len(h))
	for k, vs := range h {
		out[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	return out
}

func responseBody(contentType string, data []byte) any {
	if len(data) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	if mt == "application/json" || strings.HasSuffix(mt, "+json") {
		if v, err := engine.DecodeJSON(data); err == nil {
			return v
		}
	}
	return string(data)
}

// StatusError is a non-2xx response of the http node.
type StatusError struct {
	Method string
	URL    string
	Status int
	Body   string
	After  time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("http %s %s: %d %s: %s", e.Method, e.URL, e.Status, http.StatusText(e.Status), e.Body)
}

// Retryable reports whether the status is worth retrying (5xx, 408, 429).
func (e *StatusError) Retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// RetryAfter returns the delay the server asked for with Retry-After.
func (e *StatusError) RetryAfter() time.Duration { return e.After }

// retryAfter parses a Retry-After header (seconds or an HTTP date).
func retryAfter(h string, now time.Time) time.Duration {
	if h == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(h)); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func snippet(data []byte) string {
	const limit = 512
	s := strings.TrimSpace(string(data))
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
