package server_test

import (
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/auth"
)

// Who may call each route: "public" (no token), "platform" (the platform
// admin token) or the lowest tenant role. A route missing here fails
// TestEveryRouteEnforcesItsRole, so a new route cannot ship without a rule.
var routeRules = map[string]string{
	"GET /healthz":                            "public",
	"GET /readyz":                             "public",
	"POST /hooks/:id":                         "public",
	"GET /api/v1/openapi.json":                "public",
	"POST /api/v1/auth/token":                 "public",
	"POST /api/v1/auth/reset":                 "public",
	"POST /api/v1/tenants":                    "platform",
	"GET /api/v1/tenants":                     "platform",
	"GET /api/v1/tenants/:id":                 "platform",
	"PATCH /api/v1/tenants/:id":               "platform",
	"POST /api/v1/tenants/:id/suspend":        "platform",
	"POST /api/v1/tenants/:id/resume":         "platform",
	"DELETE /api/v1/tenants/:id":              "platform",
	"GET /api/v1/connections":                 "viewer",
	"POST /api/v1/connections":                "editor",
	"GET /api/v1/connections/:id":             "viewer",
	"PUT /api/v1/connections/:id":             "editor",
	"DELETE /api/v1/connections/:id":          "editor",
	"POST /api/v1/connections/:id/test":       "editor",
	"GET /api/v1/connectors":                  "viewer",
	"GET /api/v1/node-types":                  "viewer",
	"GET /api/v1/flows":                       "viewer",
	"POST /api/v1/flows":                      "editor",
	"GET /api/v1/flows/:id":                   "viewer",
	"PUT /api/v1/flows/:id":                   "editor",
	"DELETE /api/v1/flows/:id":                "editor",
	"GET /api/v1/flows/:id/versions":          "viewer",
	"GET /api/v1/flows/:id/versions/:version": "viewer",
	"POST /api/v1/flows/:id/publish":          "editor",
	"POST /api/v1/flows/:id/test-run":         "editor",
	"GET /api/v1/flows/:id/hooks":             "viewer",
	"POST /api/v1/hooks/:id/secret":           "editor",
	"POST /api/v1/events/:name":               "editor",
	"GET /api/v1/runs":                        "viewer",
	"GET /api/v1/runs/:id":                    "viewer",
	"GET /api/v1/settings":                    "viewer",
	"PUT /api/v1/settings":                    "admin",
	"POST /api/v1/runs/:id/replay":            "support",
	"POST /api/v1/runs/:id/cancel":            "support",
	"GET /api/v1/dead-letters":                "viewer",
	"POST /api/v1/dead-letters/replay":        "support",
	"POST /api/v1/mapping/suggest":            "editor",
	"POST /api/v1/mapping/program":            "editor",
	"POST /api/v1/mapping/accept":             "editor",
	"POST /api/v1/schemas/infer":              "editor",
	"GET /api/v1/schemas":                     "viewer",
	"POST /api/v1/schemas":                    "editor",
	"GET /api/v1/schemas/:id":                 "viewer",
	"POST /api/v1/schemas/:id/validate":       "viewer",
	"GET /api/v1/anomalies":                   "viewer",
	"POST /api/v1/anomalies/scan":             "support",
	"GET /api/v1/templates":                   "viewer",
	"GET /api/v1/templates/:slug":             "viewer",
	"POST /api/v1/templates/:slug/install":    "editor",
	"POST /api/v1/expressions/preview":        "editor",
	"GET /api/v1/approvals":                   "viewer",
	"GET /api/v1/approvals/:id":               "viewer",
	"POST /api/v1/approvals/:id/approve":      "viewer",
	"POST /api/v1/approvals/:id/reject":       "viewer",
	"GET /metrics":                            "public",
	"GET /api/v1/alert-rules":                 "viewer",
	"POST /api/v1/alert-rules":                "editor",
	"GET /api/v1/alert-rules/:id":             "viewer",
	"PUT /api/v1/alert-rules/:id":             "editor",
	"DELETE /api/v1/alert-rules/:id":          "editor",
	"POST /api/v1/alert-rules/:id/silence":    "support",
	"GET /api/v1/alerts":                      "viewer",
	"GET /api/v1/stats/summary":               "viewer",
	"GET /api/v1/users":                       "admin",
	"POST /api/v1/users":                      "admin",
	"GET /api/v1/users/:id":                   "admin",
	"PATCH /api/v1/users/:id":                 "admin",
	"DELETE /api/v1/users/:id":                "admin",
	"POST /api/v1/users/:id/reset-token":      "admin",
	"GET /api/v1/api-keys":                    "admin",
	"POST /api/v1/api-keys":                   "admin",
	"DELETE /api/v1/api-keys/:id":             "admin",
	"GET /api/v1/audit":                       "admin",
}

// route is one registered method and path.
type route struct{ Method, Path string }

// registeredRoutes lists the app's routes (without HEAD twins and middleware).
func (h *harness) registeredRoutes() []route {
	var out []route
	seen := map[route]bool{}
	for _, r := range h.srv.App().GetRoutes(true) {
		if r.Method == http.MethodHead || r.Path == "/" || strings.HasSuffix(r.Path, "*") {
			continue
		}
		rt := route{r.Method, r.Path}
		if !seen[rt] {
			seen[rt] = true
			out = append(out, rt)
		}
	}
	return out
}

// concrete fills a route's parameters with ids that exist nowhere.
func concrete(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case p == ":version":
			parts[i] = "1"
		case strings.HasPrefix(p, ":"):
			parts[i] = "0190f0f0-0000-7000-8000-000000000000"
		}
	}
	return strings.Join(parts, "/")
}

// roleTokens makes an access token for each role of tenant f.
func (h *harness) roleTokens(f tenantFixture) map[auth.Role]string {
	h.t.Helper()
	out := map[auth.Role]string{}
	for _, r := range auth.Roles {
		res := h.do(http.MethodPost, "/api/v1/api-keys", f.Token, map[string]any{"name": r.String() + " key", "role": r.String()})
		if res.Status != http.StatusCreated {
			h.t.Fatalf("create %s key: %d %s", r, res.Status, res.Raw)
		}
		tok := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"api_key": res.Body["key"].(string)})
		if tok.Status != http.StatusOK {
			h.t.Fatalf("token for %s key: %d %s", r, tok.Status, tok.Raw)
		}
		out[r] = tok.Body["access_token"].(string)
	}
	return out
}

// Every registered route × every role: callers below the route's role get
// 403, callers at or above it get past authorisation.
func TestEveryRouteEnforcesItsRole(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	tokens := h.roleTokens(acme)
	for _, rt := range h.registeredRoutes() {
		name := rt.Method + " " + rt.Path
		rule, ok := routeRules[name]
		if !ok {
			t.Errorf("%s has no access rule in routeRules", name)
			continue
		}
		path := concrete(rt.Path)
		switch rule {
		case "public":
			if res := h.do(rt.Method, path, "", "{}"); res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden {
				t.Errorf("%s is public but answered %d %s", name, res.Status, res.Raw)
			}
		case "platform":
			if res := h.do(rt.Method, path, "", "{}"); res.Status != http.StatusUnauthorized {
				t.Errorf("%s without a token: %d, want 401", name, res.Status)
			}
			if res := h.do(rt.Method, path, tokens[auth.RoleAdmin], "{}"); res.Status != http.StatusForbidden {
				t.Errorf("%s with a tenant admin token: %d, want 403", name, res.Status)
			}
			if res := h.do(rt.Method, path, adminToken, "{}"); res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden {
				t.Errorf("%s refused the platform token: %d %s", name, res.Status, res.Raw)
			}
		default:
			min, ok := auth.ParseRole(rule)
			if !ok {
				t.Fatalf("%s: bad rule %q", name, rule)
			}
			if res := h.do(rt.Method, path, "", "{}"); res.Status != http.StatusUnauthorized {
				t.Errorf("%s without a token: %d, want 401", name, res.Status)
			}
			for _, r := range auth.Roles {
				res := h.do(rt.Method, path, tokens[r], "{}")
				denied := res.Status == http.StatusForbidden || res.Status == http.StatusUnauthorized
				if r.AtLeast(min) && denied {
					t.Errorf("%s as %s: %d %s, want allowed (needs %s)", name, r, res.Status, res.Raw, min)
				}
				if !r.AtLeast(min) && (res.Status != http.StatusForbidden || res.errorCode() != "forbidden") {
					t.Errorf("%s as %s: %d %s, want 403 forbidden (needs %s)", name, r, res.Status, res.Raw, min)
				}
			}
		}
	}
	for name := range routeRules {
		found := false
		for _, rt := range h.registeredRoutes() {
			found = found || rt.Method+" "+rt.Path == name
		}
		if !found {
			t.Errorf("routeRules names %s, which is not registered", name)
		}
	}
}

// Role shorthands for tests.
const (
	viewerRole  = auth.RoleViewer
	supportRole = auth.RoleSupport
)

// docs/security.md lists every route with the role routeRules gives it.
func TestSecurityDocListsEveryRouteRule(t *testing.T) {
	doc, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	for key, rule := range routeRules {
		method, path, _ := strings.Cut(key, " ")
		if row := "| `" + method + "` | `" + path + "` | " + rule + " |"; !strings.Contains(string(doc), row) {
			t.Errorf("docs/security.md lacks the row %s", row)
		}
	}
}
