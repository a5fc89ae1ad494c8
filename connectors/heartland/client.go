// Package heartland is a client for the Heartland Retail REST API
// (https://{account}.retail.heartland.us/api/) and its operation specs.
package heartland

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// System is the connection type and error prefix.
const System = "heartland"

// Client calls one Heartland account.
type Client struct {
	base string // ends in /api
	http *httpx.Client
}

// New returns a client for the account whose API root is baseURL
// (https://acme.retail.heartland.us/api). Tokens authenticate every call;
// o configures the shared HTTP layer (System, Auth and Decode are set here).
func New(baseURL string, tokens TokenSource, o httpx.Options) *Client {
	o.System = System
	o.Auth = bearer{tokens}
	o.Decode = decodeError
	return &Client{base: strings.TrimRight(baseURL, "/"), http: httpx.New(o)}
}

func (c *Client) url(p string, q url.Values) string {
	u := c.base + p
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (c *Client) get(ctx context.Context, action, p string, q url.Values, out any) error {
	_, err := c.http.JSON(ctx, httpx.Request{Action: action, Method: http.MethodGet, URL: c.url(p, q)}, nil, out)
	return err
}

// put sends a partial update; Heartland answers 200 with the record or an
// empty body.
func (c *Client) put(ctx context.Context, action, p string, body any) (Record, error) {
	var out Record
	_, err := c.http.JSON(ctx, httpx.Request{Action: action, Method: http.MethodPut, URL: c.url(p, nil)}, body, &out)
	return out, err
}

func (c *Client) delete(ctx context.Context, action, p string) error {
	_, err := c.http.JSON(ctx, httpx.Request{Action: action, Method: http.MethodDelete, URL: c.url(p, nil)}, nil, nil)
	return err
}

// create POSTs a new record. The id comes from the Location header's last
// path segment (201 Created, usually with an empty body) or from the body's
// "id" when there is one. POSTs are never retried after an ambiguous
// failure: Heartland has no idempotency key.
func (c *Client) create(ctx context.Context, action, p string, body any) (Created, error) {
	var rec struct {
		ID json.Number `json:"id"`
	}
	resp, err := c.http.JSON(ctx, httpx.Request{Action: action, Method: http.MethodPost, URL: c.url(p, nil)}, body, &rec)
	if err != nil {
		return Created{}, err
	}
	out := Created{Location: resp.Header.Get("Location")}
	if id, err := rec.ID.Int64(); err == nil && rec.ID != "" {
		out.ID = id
		return out, nil
	}
	if out.Location != "" {
		if u, err := url.Parse(out.Location); err == nil {
			if id, err := strconv.ParseInt(path.Base(u.Path), 10, 64); err == nil {
				out.ID = id
				return out, nil
			}
		}
	}
	return out, &httpx.Error{System: System, Action: action, Status: resp.Status, Kind: httpx.ErrServer,
		Message: fmt.Sprintf("created, but no id in the Location header (%q) or body", out.Location)}
}

// WhoAmI returns the user the token belongs to (GET /system/whoami).
func (c *Client) WhoAmI(ctx context.Context) (Record, error) {
	var out Record
	err := c.get(ctx, "who am i", "/system/whoami", nil, &out)
	return out, err
}

// Test checks the base URL and credentials with GET /system/whoami.
func (c *Client) Test(ctx context.Context) error {
	_, err := c.WhoAmI(ctx)
	return connectors.ExplainTest(System, err, connectors.TestHints{
		Auth:        "the token was refused; check the API token (or reconnect OAuth) and its permissions",
		NotFound:    c.base + "/system/whoami was not found; the base URL should look like https://ACCOUNT.retail.heartland.us/api",
		Unreachable: "cannot reach " + c.base + "; check the URL and the network",
	})
}

// decodeError reads {"error","message","details"} bodies (and OAuth's
// {"error","error_description"}). A duplicate reported as a validation
// error ("has already been taken") becomes ErrConflict; OAuth grant errors
// become ErrAuth.
func decodeError(status int, body []byte) (string, error) {
	var b errorBody
	if json.Unmarshal(body, &b) != nil || (b.Error == "" && b.Message == "") {
		return string(body), nil
	}
	msg := strings.TrimSpace(b.Message)
	if msg == "" {
		msg = b.ErrorDescription
	}
	if b.Error != "" {
		msg = strings.TrimSpace(b.Error + ": " + msg)
	}
	details := detailText(b.Details)
	if details != "" {
		msg += " (" + details + ")"
	}
	switch low := strings.ToLower(msg); {
	case strings.Contains(low, "already been taken") || strings.Contains(low, "already exists") || strings.Contains(low, "duplicate"):
		return msg, httpx.ErrConflict
	case b.Error == "invalid_grant" || b.Error == "invalid_client" || b.Error == "unauthorized_client":
		return msg, httpx.ErrAuth
	}
	return msg, nil
}

// detailText flattens {"qty":["must be a whole number"]} into
// "qty: must be a whole number", fields sorted.
func detailText(raw json.RawMessage) string {
	var fields map[string]any
	if len(raw) == 0 || json.Unmarshal(raw, &fields) != nil {
		return ""
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		switch v := fields[k].(type) {
		case []any:
			for _, m := range v {
				parts = append(parts, fmt.Sprintf("%s: %v", k, m))
			}
		default:
			parts = append(parts, fmt.Sprintf("%s: %v", k, v))
		}
	}
	return strings.Join(parts, "; ")
}
