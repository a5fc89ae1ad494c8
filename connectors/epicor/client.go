// Package epicor is a client for the Epicor Kinetic REST API v2 (OData 4,
// company in the URL) and its operation specs.
package epicor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// System is the connection type and error prefix.
const System = "epicor"

// Target is where a client points: server, instance, company and plant.
type Target struct {
	BaseURL  string // server root, e.g. https://erp.example.com
	Instance string // e.g. Kinetic
	Company  string // e.g. EPIC06; goes in the URL and in entity keys
	Plant    string // site; sent in the CallSettings header when set
}

// root is https://server/instance (just the server when Instance is empty).
func (t Target) root() string {
	root := strings.TrimRight(t.BaseURL, "/")
	if t.Instance != "" {
		root += "/" + url.PathEscape(t.Instance)
	}
	return root
}

// Client calls one Epicor company.
type Client struct {
	t    Target
	http *httpx.Client
}

// New returns a client for t. auth adds credentials (see BasicAuth,
// TokenAuth, BearerAuth); o configures the shared HTTP layer (System, Auth
// and Decode are set here).
func New(t Target, auth httpx.Authenticator, o httpx.Options) *Client {
	o.System = System
	o.Auth = auth
	o.Decode = decodeError
	return &Client{t: t, http: httpx.New(o)}
}

// svcURL is .../api/v2/odata/{company}/{service}/{path}?{query}.
func (c *Client) svcURL(service, path, query string) string {
	u := c.t.root() + "/api/v2/odata/" + url.PathEscape(c.t.Company) + "/" + service
	if path != "" {
		u += "/" + path
	}
	if query != "" {
		u += "?" + query
	}
	return u
}

func (c *Client) header() http.Header {
	h := http.Header{}
	if c.t.Plant != "" {
		cs, _ := json.Marshal(map[string]string{"Company": c.t.Company, "Plant": c.t.Plant})
		h.Set("CallSettings", string(cs))
	}
	return h
}

func (c *Client) do(ctx context.Context, action, method, u string, in, out any) error {
	_, err := c.http.JSON(ctx, httpx.Request{Action: action, Method: method, URL: u, Header: c.header()}, in, out)
	return err
}

// getOne reads one entity by key (404 when it does not exist).
func (c *Client) getOne(ctx context.Context, action, service, keyed string, q Query) (Record, error) {
	var out Record
	err := c.do(ctx, action, http.MethodGet, c.svcURL(service, keyed, q.Encode()), nil, &out)
	return out, err
}

// PageSize is the $top used when walking a collection; Epicor caps list
// reads at 100 rows by default.
const PageSize = 100

// List reads an entity set. With q.Top set it makes one request; otherwise
// it pages with $top/$skip and stops on a short page. limit > 0 stops after
// that many rows.
func (c *Client) List(ctx context.Context, action, service, set string, q Query, limit int) ([]Record, error) {
	single := q.Top > 0
	if !single {
		q.Top = PageSize
	}
	out := []Record{}
	for {
		var page collection
		if err := c.do(ctx, action, http.MethodGet, c.svcURL(service, set, q.Encode()), nil, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Value...)
		if limit > 0 && len(out) >= limit {
			return out[:limit], nil
		}
		if single || len(page.Value) < q.Top {
			return out, nil
		}
		q.Skip += len(page.Value)
	}
}

// create POSTs a row to an entity set; Epicor runs UpdateExt and answers
// 201 with the saved row. Company is filled in.
func (c *Client) create(ctx context.Context, action, service, set string, row map[string]any) (Record, error) {
	body := withCompany(row, c.t.Company)
	var out Record
	err := c.do(ctx, action, http.MethodPost, c.svcURL(service, set, ""), body, &out)
	return out, err
}

// patch updates fields of one entity; Epicor answers 204. Setting the same
// values twice has the same effect, so the PATCH is retried like a read.
func (c *Client) patch(ctx context.Context, action, service, keyed string, fields map[string]any) error {
	_, err := c.http.JSON(ctx, httpx.Request{Action: action, Method: http.MethodPatch, URL: c.svcURL(service, keyed, ""),
		Header: c.header(), RetryWrites: true}, fields, nil)
	return err
}

func withCompany(row map[string]any, company string) map[string]any {
	out := make(map[string]any, len(row)+1)
	for k, v := range row {
		out[k] = v
	}
	out["Company"] = company
	return out
}

// Test reads one part number (a cheap OData read) to check the URL, API
// key, credentials and company.
func (c *Client) Test(ctx context.Context) error {
	_, err := c.List(ctx, "test connection", svcPart, "Parts", Query{Select: []string{"PartNum"}, Top: 1}, 0)
	return connectors.ExplainTest(System, err, connectors.TestHints{
		Auth:        "credentials refused; check the API key, the user name and password (or token settings) and the key's access scope",
		NotFound:    c.svcURL(svcPart, "Parts", "") + " was not found; check the base URL, instance and company",
		Unreachable: "cannot reach " + c.t.root() + "; check the URL and the network",
	})
}

// decodeError reads {"HttpStatus","ErrorMessage","ErrorType","ErrorDetails"}.
// Duplicates become ErrConflict whatever the status; RecordNotFoundException
// ErrNotFound; UnauthorizedAccessException, InvalidSessionException and 410
// (session timed out) ErrAuth.
func decodeError(status int, body []byte) (string, error) {
	var b errorBody
	if json.Unmarshal(body, &b) != nil || (b.ErrorMessage == "" && b.ErrorType == "") {
		return string(body), nil
	}
	msg := b.ErrorMessage
	if msg == "" && len(b.ErrorDetails) > 0 {
		msg = b.ErrorDetails[0].Message
	}
	if len(b.ErrorDetails) > 0 && b.ErrorDetails[0].Field != "" {
		d := b.ErrorDetails[0]
		msg += " (" + strings.Trim(d.Table+"."+d.Field, ".") + ")"
	}
	if b.CorrelationID != "" {
		msg += " [correlation id " + b.CorrelationID + "]"
	}
	low := strings.ToLower(b.ErrorType + " " + b.ErrorMessage)
	switch {
	case strings.Contains(low, "duplicaterecord") || strings.Contains(low, "duplicate") || strings.Contains(low, "already exists"):
		return msg, httpx.ErrConflict
	case strings.Contains(low, "recordnotfound"):
		return msg, httpx.ErrNotFound
	case strings.Contains(low, "unauthorizedaccess") || strings.Contains(low, "invalidsession") || status == http.StatusGone:
		return msg, httpx.ErrAuth
	}
	return msg, nil
}
