// Package rest is the generic "http" connection type: JSON requests to any
// HTTP API through the shared HTTP layer.
package rest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// System is the connection type and error prefix.
const System = "http"

// Auth adds fixed credentials: a bearer token, Basic user:password, or an
// API key header. The zero value sends none.
type Auth struct {
	Bearer   string
	Username string
	Password string
	Header   string // API key header name
	Key      string // API key value
}

// Authorize adds the credentials.
func (a Auth) Authorize(_ context.Context, h http.Header) error {
	switch {
	case a.Bearer != "":
		h.Set("Authorization", "Bearer "+a.Bearer)
	case a.Username != "":
		h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(a.Username+":"+a.Password)))
	}
	if a.Header != "" && a.Key != "" {
		h.Set(a.Header, a.Key)
	}
	return nil
}

// Renew is false: fixed credentials cannot be renewed.
func (Auth) Renew(context.Context, http.Header) (bool, error) { return false, nil }

// Client calls one HTTP API.
type Client struct {
	base     string
	testPath string
	http     *httpx.Client
}

// New returns a client for the API at baseURL; testPath is what Test GETs.
func New(baseURL, testPath string, auth Auth, o httpx.Options) *Client {
	o.System = System
	o.Auth = auth
	return &Client{base: strings.TrimRight(baseURL, "/"), testPath: testPath, http: httpx.New(o)}
}

// Call is one request: path relative to the base URL, query parameters,
// extra headers and a JSON body.
type Call struct {
	Method      string
	Path        string
	Query       url.Values
	Header      http.Header
	Body        any // sent as JSON when not nil
	RetryWrites bool
}

// Result is the response: status, headers and body (decoded JSON, or the
// text when it is not JSON).
type Result struct {
	Status int               `json:"status"`
	Header map[string]string `json:"headers"`
	Body   any               `json:"body"`
}

// Do sends the call.
func (c *Client) Do(ctx context.Context, call Call) (Result, error) {
	u := c.base + "/" + strings.TrimLeft(call.Path, "/")
	if len(call.Query) > 0 {
		u += "?" + call.Query.Encode()
	}
	h := call.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Accept", "application/json")
	var body []byte
	if call.Body != nil {
		b, err := json.Marshal(call.Body)
		if err != nil {
			return Result{}, fmt.Errorf("http: encode request body: %w", err)
		}
		body = b
		h.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(ctx, httpx.Request{Action: call.Method + " " + call.Path, Method: call.Method, URL: u,
		Header: h, Body: body, RetryWrites: call.RetryWrites})
	if err != nil {
		return Result{}, err
	}
	res := Result{Status: resp.Status, Header: map[string]string{}}
	for k := range resp.Header {
		res.Header[k] = resp.Header.Get(k)
	}
	if len(bytes.TrimSpace(resp.Body)) > 0 {
		if json.Unmarshal(resp.Body, &res.Body) != nil {
			res.Body = string(resp.Body)
		}
	}
	return res, nil
}

// Test GETs the test path and expects a status below 400.
func (c *Client) Test(ctx context.Context) error {
	_, err := c.Do(ctx, Call{Method: http.MethodGet, Path: c.testPath})
	return connectors.ExplainTest(System, err, connectors.TestHints{
		Auth:        "credentials refused by " + c.base,
		Unreachable: "cannot reach " + c.base + "; check the URL and the network",
	})
}
