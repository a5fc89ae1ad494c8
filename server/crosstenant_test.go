package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// tenantData is one tenant's resources, by route parameter.
type tenantData struct {
	tenantFixture
	ids map[string]string // path prefix ("/api/v1/flows/") → id
}

// seedTenant gives a tenant a connection, a published flow with a hook, a
// run, a second user and a second API key.
func (h *harness) seedTenant(slug string) tenantData {
	h.t.Helper()
	f := h.tenant(slug)
	d := tenantData{tenantFixture: f, ids: map[string]string{}}
	conn := h.do(http.MethodPost, "/api/v1/connections", f.Token, map[string]any{"name": "ERP", "type": "epicor"})
	d.ids["/api/v1/connections/"] = conn.Body["id"].(string)
	hookID, secret, header := h.publishHookFlow(f, "Orders")
	flows := h.do(http.MethodGet, "/api/v1/flows", f.Token, nil)
	d.ids["/api/v1/flows/"] = flows.Body["flows"].([]any)[0].(map[string]any)["id"].(string)
	d.ids["/api/v1/hooks/"] = hookID
	body := []byte(`{"order_number":"` + slug + `-1","total":1}`)
	run := h.postHook(hookID, body, header, hmacSign(secret, body))
	if run.Status != http.StatusAccepted {
		h.t.Fatalf("seed run: %d %s", run.Status, run.Raw)
	}
	d.ids["/api/v1/runs/"] = run.Body["run_id"].(string)
	user := h.do(http.MethodPost, "/api/v1/users", f.Token, map[string]string{"email": "ann@" + slug + ".test", "role": "viewer"})
	d.ids["/api/v1/users/"] = user.Body["user"].(map[string]any)["id"].(string)
	key := h.do(http.MethodPost, "/api/v1/api-keys", f.Token, map[string]string{"name": "ci", "role": "viewer"})
	d.ids["/api/v1/api-keys/"] = key.Body["id"].(string)
	sc := h.do(http.MethodPost, "/api/v1/schemas", f.Token, map[string]any{"name": "orders", "mode": "warn",
		"schema": map[string]any{"type": "object", "required": []string{"order_number"}}})
	if sc.Status != http.StatusCreated {
		h.t.Fatalf("seed schema: %d %s", sc.Status, sc.Raw)
	}
	d.ids["/api/v1/schemas/"] = sc.Body["id"].(string)
	appr, _, err := h.store.Tenant(f.ID).OpenApproval(context.Background(), &store.Approval{FlowID: d.ids["/api/v1/flows/"],
		RunID: d.ids["/api/v1/runs/"], StepKey: "approve", NodeID: "approve", Title: "Big order", Approvers: store.JSON(`{"roles":["admin"]}`),
		OnTimeout: "rejected", ExpiresAt: time.Now().Add(time.Hour)})
	if err != nil {
		h.t.Fatalf("seed approval: %v", err)
	}
	d.ids["/api/v1/approvals/"] = appr.ID
	rule := h.do(http.MethodPost, "/api/v1/alert-rules", f.Token, map[string]any{"name": "orders silent", "kind": "no_runs",
		"flow_id": d.ids["/api/v1/flows/"], "window_seconds": 900, "channels": []any{map[string]any{"type": "webhook", "url": "http://127.0.0.1:1/x"}}})
	if rule.Status != http.StatusCreated {
		h.t.Fatalf("seed alert rule: %d %s", rule.Status, rule.Raw)
	}
	d.ids["/api/v1/alert-rules/"] = rule.Body["id"].(string)
	return d
}

// idPath fills a route's :id with d's id of that resource; ok is false for
// routes without one.
func (d tenantData) idPath(route string) (string, bool) {
	for prefix, id := range d.ids {
		if strings.HasPrefix(route, prefix+":id") {
			return strings.Replace(strings.Replace(route, ":id", id, 1), ":version", "1", 1), true
		}
	}
	return "", false
}

// bodies are requests that would succeed on the caller's own resource, so a
// 404 shows the lookup was refused, not the input.
var crossTenantBodies = map[string]any{
	"PUT /api/v1/connections/:id":       map[string]any{"name": "stolen"},
	"PUT /api/v1/flows/:id":             map[string]any{"name": "stolen", "version": 1, "definition": flowDoc(validNodes(), validEdges())},
	"PATCH /api/v1/users/:id":           map[string]any{"role": "admin"},
	"POST /api/v1/flows/:id/test-run":   map[string]any{"payload": map[string]any{"order_number": "1"}},
	"POST /api/v1/hooks/:id/secret":     map[string]any{"secret": "stolen-secret-0123456789"},
	"POST /api/v1/flows/:id/publish":    map[string]any{},
	"POST /api/v1/connections/:id/test": map[string]any{},
}

// Tenant B's admin calls every route that takes an id with tenant A's ids and
// gets 404 each time; B's lists never show A's rows; A's data is unchanged.
func TestCrossTenantEveryRoute(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		a, b := h.seedTenant("alpha"), h.seedTenant("bravo")
		tried := 0
		for _, rt := range h.registeredRoutes() {
			rule := routeRules[rt.Method+" "+rt.Path]
			if rule == "public" || rule == "platform" {
				continue
			}
			path, ok := a.idPath(rt.Path)
			if !ok {
				if strings.Contains(rt.Path, ":id") {
					t.Errorf("%s %s takes an id but seedTenant makes none for it", rt.Method, rt.Path)
				}
				continue
			}
			tried++
			body, ok := crossTenantBodies[rt.Method+" "+rt.Path]
			if !ok && rt.Method != http.MethodGet && rt.Method != http.MethodDelete {
				body = map[string]any{}
			}
			if res := h.do(rt.Method, path, b.Token, body); res.Status != http.StatusNotFound {
				t.Errorf("B: %s %s on A's id: %d %s, want 404", rt.Method, rt.Path, res.Status, res.Raw)
			}
		}
		if tried < 15 {
			t.Fatalf("only %d routes with ids were tried", tried)
		}
		for _, rt := range h.registeredRoutes() {
			if rt.Method != http.MethodGet || strings.Contains(rt.Path, ":") || routeRules[rt.Method+" "+rt.Path] == "public" || routeRules[rt.Method+" "+rt.Path] == "platform" {
				continue
			}
			res := h.do(http.MethodGet, rt.Path, b.Token, nil)
			for what, id := range a.ids {
				if strings.Contains(res.Raw, id) {
					t.Errorf("B's %s lists A's %s%s", rt.Path, what, id)
				}
			}
			if strings.Contains(res.Raw, a.ID) {
				t.Errorf("B's %s shows A's tenant id", rt.Path)
			}
		}
		for prefix, id := range a.ids {
			if prefix == "/api/v1/hooks/" || prefix == "/api/v1/api-keys/" {
				continue // no GET by id; checked below
			}
			if res := h.do(http.MethodGet, prefix+id, a.Token, nil); res.Status == http.StatusNotFound {
				t.Errorf("A lost %s%s after B's attempts", prefix, id)
			}
		}
		keys := h.do(http.MethodGet, "/api/v1/api-keys", a.Token, nil)
		if !strings.Contains(keys.Raw, a.ids["/api/v1/api-keys/"]) || strings.Contains(keys.Raw, "revoked_at") {
			t.Errorf("B revoked or removed A's API key: %s", keys.Raw)
		}
		if got := h.do(http.MethodGet, "/api/v1/users/"+a.ids["/api/v1/users/"], a.Token, nil); got.Body["role"] != "viewer" {
			t.Errorf("B changed A's user: %s", got.Raw)
		}
	})
}
