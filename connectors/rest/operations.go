package rest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bridgework/bridgework/connectors"
)

// DefaultRate is the default request rate per connection.
const DefaultRate = 10

// Spec is the generic HTTP connection type.
func Spec() connectors.System {
	return connectors.System{
		Name:  System,
		Title: "HTTP API",
		ConfigSchema: connectors.Input(append(connectors.SettingsProps("API root, e.g. https://api.example.com/v1", connectors.RateLimit{PerSecond: DefaultRate}),
			connectors.String("auth", "none (default), bearer, basic or api_key").Enum("none", "bearer", "basic", "api_key"),
			connectors.String("api_key_header", "Header that carries the API key (default X-API-Key)"),
			connectors.String("test_path", "Path that Test GETs (default /)"),
		)...),
		Secrets:    []string{"token", "username", "password", "api_key"},
		Open:       open,
		Operations: operations(),
	}
}

func open(conn connectors.Connection, env connectors.Env) (connectors.Client, error) {
	v := connectors.NewValues("config", conn.Config)
	s := connectors.ReadSettings(v, connectors.RateLimit{PerSecond: DefaultRate})
	mode, header, test := v.String("auth"), v.String("api_key_header"), v.String("test_path")
	if err := v.Err(); err != nil {
		return nil, err
	}
	sec := conn.Secrets
	var a Auth
	switch mode {
	case "", "none":
	case "bearer":
		a.Bearer = sec["token"]
	case "basic":
		a.Username, a.Password = sec["username"], sec["password"]
	case "api_key":
		a.Header, a.Key = header, sec["api_key"]
		if a.Header == "" {
			a.Header = "X-API-Key"
		}
	default:
		return nil, &connectors.InputError{Field: "config.auth", Problem: fmt.Sprintf("must be none, bearer, basic or api_key, got %q", mode)}
	}
	if test == "" {
		test = "/"
	}
	return New(s.BaseURL, test, a, env.HTTPOptions(conn, s)), nil
}

func operations() []connectors.Operation {
	return []connectors.Operation{{
		Name:        "request",
		Description: "Send one JSON request to the API",
		Writes:      true,
		InputSchema: connectors.Input(
			connectors.String("method", "HTTP method").Required().Enum("GET", "POST", "PUT", "PATCH", "DELETE"),
			connectors.String("path", "Path below the base URL, e.g. /orders/42").Required(),
			connectors.Object("query", "Query parameters (string values, or arrays of strings)"),
			connectors.Object("headers", "Extra request headers (string values)"),
			connectors.Any("body", "JSON body"),
			connectors.Boolean("retry_writes", "Retry a POST/PATCH after a network error or 502/503/504 (only when the API de-duplicates)")),
		OutputSchema: connectors.Output("object", "{status, headers, body}"),
		Run: connectors.Runner[*Client](func(v *connectors.Values) connectors.Call[*Client] {
			c := Call{Method: v.RequiredString("method"), Path: v.RequiredString("path"), Query: url.Values{}, Header: http.Header{},
				RetryWrites: v.Bool("retry_writes", false)}
			c.Body, _ = v.Raw("body")
			for k, val := range v.Map("query") {
				switch t := val.(type) {
				case []any:
					for _, item := range t {
						c.Query.Add(k, fmt.Sprint(item))
					}
				default:
					c.Query.Set(k, fmt.Sprint(t))
				}
			}
			for k, val := range v.Map("headers") {
				c.Header.Set(k, fmt.Sprint(val))
			}
			if !strings.HasPrefix(c.Path, "/") {
				c.Path = "/" + c.Path
			}
			return func(ctx context.Context, cl *Client) (any, error) { return cl.Do(ctx, c) }
		}),
	}}
}
