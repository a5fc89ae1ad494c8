package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
)

// Without an allow-list a flow's http node cannot reach loopback: the run
// fails naming the refused address and the local server sees nothing.
func TestFlowsCannotReachLoopbackByDefault(t *testing.T) {
	h := newHarnessAllow(t, "sqlite", 2, nil)
	acme := h.tenant("acme")
	target := newSink(t)
	nodes := append(validNodes(), node("send", "http", map[string]any{"method": "POST", "url": target.srv.URL + "/orders", "body": "."}))
	def := flowDoc(nodes, append(validEdges(), edge("big", "send", "true")))
	def["settings"].(map[string]any)["retry"] = map[string]any{"max_attempts": 1}
	res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "Orders", "definition": def})
	if res.Status != http.StatusCreated {
		t.Fatalf("create flow: %d %s", res.Status, res.Raw)
	}
	pub := h.do(http.MethodPost, "/api/v1/flows/"+res.Body["id"].(string)+"/publish", acme.Token, nil)
	hook := pub.Body["hooks"].([]any)[0].(map[string]any)
	body := []byte(`{"order_number":"1","total":500}`)
	accepted := h.postHook(hook["id"].(string), body, hook["header"].(string), hmacSign(hook["secret"].(string), body))
	if accepted.Status != http.StatusAccepted {
		t.Fatalf("webhook: %d %s", accepted.Status, accepted.Raw)
	}
	detail := h.waitRun(acme.Token, accepted.Body["run_id"].(string))
	run := detail.Body["run"].(map[string]any)
	if run["status"] != "failed" || !strings.Contains(run["error"].(string), "refused to connect to 127.0.0.1") {
		t.Fatalf("run: %s; want failed with the refused address named", detail.Raw)
	}
	select {
	case got := <-target.bodies:
		t.Errorf("the loopback server received %s", got)
	default:
	}
}

// Viewers see runs without payloads and step data when the tenant says so;
// support staff still see them.
func TestViewersSeeNoPayloadsWhenHidden(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	tokens := h.roleTokens(acme)
	hookID, secret, header := h.publishHookFlow(acme, "Orders")
	body := []byte(`{"order_number":"77","total":500}`)
	runID := h.postHook(hookID, body, header, hmacSign(secret, body)).Body["run_id"].(string)
	h.waitRun(acme.Token, runID)
	if r := h.do(http.MethodGet, "/api/v1/runs/"+runID, tokens[viewerRole], nil); !strings.Contains(r.Raw, `"total":500`) {
		t.Fatalf("viewer before hiding: %s", r.Raw)
	}
	if r := h.do(http.MethodPatch, "/api/v1/tenants/"+acme.ID, adminToken, map[string]any{"hide_payloads": true}); r.Status != http.StatusOK {
		t.Fatalf("hide payloads: %d %s", r.Status, r.Raw)
	}
	viewer := h.do(http.MethodGet, "/api/v1/runs/"+runID, tokens[viewerRole], nil)
	if viewer.Status != http.StatusOK || strings.Contains(viewer.Raw, `"total":500`) || strings.Contains(viewer.Raw, `"payload"`) || strings.Contains(viewer.Raw, `"output"`) {
		t.Errorf("viewer sees payload data: %s", viewer.Raw)
	}
	if r := h.do(http.MethodGet, "/api/v1/runs/"+runID, tokens[supportRole], nil); !strings.Contains(r.Raw, `"total":500`) {
		t.Errorf("support lost the payload: %s", r.Raw)
	}
}

// outboundFlow publishes webhook → map → condition → http POST to url for a
// tenant and returns the flow id and a function delivering an order to it.
func (h *harness) outboundFlow(f tenantFixture, url string) (flowID string, deliver func(order string) string) {
	h.t.Helper()
	nodes := append(validNodes(), node("send", "http", map[string]any{"method": "POST", "url": url, "body": "."}))
	res := h.do(http.MethodPost, "/api/v1/flows", f.Token, map[string]any{"name": "Orders", "definition": flowDoc(nodes, append(validEdges(), edge("big", "send", "true")))})
	if res.Status != http.StatusCreated {
		h.t.Fatalf("create flow: %d %s", res.Status, res.Raw)
	}
	flowID = res.Body["id"].(string)
	pub := h.do(http.MethodPost, "/api/v1/flows/"+flowID+"/publish", f.Token, nil)
	if pub.Status != http.StatusOK {
		h.t.Fatalf("publish: %d %s", pub.Status, pub.Raw)
	}
	hook := pub.Body["hooks"].([]any)[0].(map[string]any)
	return flowID, func(order string) string {
		h.t.Helper()
		body := []byte(`{"order_number":"` + order + `","total":500}`)
		res := h.postHook(hook["id"].(string), body, hook["header"].(string), hmacSign(hook["secret"].(string), body))
		if res.Status != http.StatusAccepted {
			h.t.Fatalf("webhook: %d %s", res.Status, res.Raw)
		}
		return res.Body["run_id"].(string)
	}
}

// stepError returns the error of a run's step.
func stepError(detail response, nodeID string) string {
	steps, _ := detail.Body["steps"].([]any)
	for _, s := range steps {
		if m := s.(map[string]any); m["node_id"] == nodeID {
			e, _ := m["error"].(string)
			return e
		}
	}
	return ""
}

// connectionTester creates an http connection to url and returns a function
// that tests it.
func (h *harness) connectionTester(f tenantFixture, url string) func() (ok bool, message string) {
	h.t.Helper()
	conn := h.do(http.MethodPost, "/api/v1/connections", f.Token, map[string]any{
		"name": "Local API", "type": "http", "config": map[string]any{"base_url": url, "test_path": "/ping"}})
	if conn.Status != http.StatusCreated {
		h.t.Fatalf("create connection: %d %s", conn.Status, conn.Raw)
	}
	return func() (bool, string) {
		h.t.Helper()
		res := h.do(http.MethodPost, "/api/v1/connections/"+conn.Body["id"].(string)+"/test", f.Token, nil)
		if res.Status != http.StatusOK {
			h.t.Fatalf("test connection: %d %s", res.Status, res.Raw)
		}
		return res.Body["ok"] == true, res.Body["message"].(string)
	}
}

// With no process-wide allowance, a tenant whose outbound_allow names
// 127.0.0.1 reaches a local server (runs, test runs, connection tests);
// another tenant is refused with a clear error on the step, even though a
// keep-alive connection to the same server is open; once the platform admin
// adds the address to its list, it gets through too.
func TestTenantOutboundAllowList(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarnessAllow(t, dialect, 2, nil)
		target := newSink(t)
		created := h.do(http.MethodPost, "/api/v1/tenants", adminToken, map[string]any{
			"name": "Tenant acme", "slug": "acme", "admin_email": "admin@acme.test", "outbound_allow": []string{" 127.0.0.1 "}})
		if created.Status != http.StatusCreated || fmt.Sprint(created.Body["outbound_allow"]) != "[127.0.0.1]" {
			t.Fatalf("create tenant with an allow-list: %d %s", created.Status, created.Raw)
		}
		acme := h.tenantToken(created)
		other := h.tenant("other")

		_, acmeDeliver := h.outboundFlow(acme, target.srv.URL+"/orders")
		run := h.waitRun(acme.Token, acmeDeliver("A-1"))
		if status := run.Body["run"].(map[string]any)["status"]; status != "succeeded" {
			t.Fatalf("acme's run: %s", run.Raw)
		}
		if got := <-target.bodies; !strings.Contains(string(got), "A-1") {
			t.Errorf("the local server received %s", got)
		}

		otherFlow, otherDeliver := h.outboundFlow(other, target.srv.URL+"/orders")
		run = h.waitRun(other.Token, otherDeliver("B-1"))
		if status := run.Body["run"].(map[string]any)["status"]; status != "failed" {
			t.Fatalf("other's run: %s; want failed", run.Raw)
		}
		if e := stepError(run, "send"); !strings.Contains(e, "refused to connect to 127.0.0.1") || !strings.Contains(e, "blocked by outbound policy") {
			t.Errorf("the step's error does not explain the refusal: %q", e)
		}
		if attempts := run.Body["run"].(map[string]any)["attempt"]; attempts != 1.0 {
			t.Errorf("a refused request was retried: attempt %v", attempts)
		}
		tr := h.do(http.MethodPost, "/api/v1/flows/"+otherFlow+"/test-run", other.Token, map[string]any{"payload": map[string]any{"order_number": "B-T", "total": 500}})
		if tr.Body["status"] != "failed" || !strings.Contains(fmt.Sprint(tr.Body["error"]), "blocked by outbound policy") {
			t.Errorf("other's test run: %s; want it refused", tr.Raw)
		}
		testOther := h.connectionTester(other, target.srv.URL)
		if ok, msg := testOther(); ok || !strings.Contains(msg, "blocked by outbound policy") {
			t.Errorf("other's connection test: ok=%v %q; want it refused", ok, msg)
		}
		if ok, msg := h.connectionTester(acme, target.srv.URL)(); !ok {
			t.Errorf("acme's connection test: %q", msg)
		}
		select {
		case got := <-target.bodies:
			if strings.Contains(string(got), "B-") {
				t.Errorf("the local server received other's %s", got)
			}
		default:
		}

		// Tenant users read their list; only the platform admin changes it.
		if s := h.do(http.MethodGet, "/api/v1/settings", acme.Token, nil); fmt.Sprint(s.Body["outbound_allow"]) != "[127.0.0.1]" {
			t.Errorf("acme's settings: %s", s.Raw)
		}
		if s := h.do(http.MethodGet, "/api/v1/settings", other.Token, nil); fmt.Sprint(s.Body["outbound_allow"]) != "[]" {
			t.Errorf("other's settings: %s", s.Raw)
		}
		if r := h.do(http.MethodPut, "/api/v1/settings", other.Token, map[string]any{"payload_retention_days": 30, "outbound_allow": []string{"127.0.0.1"}}); r.Status != http.StatusBadRequest {
			t.Errorf("a tenant admin set its own allow-list: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodPatch, "/api/v1/tenants/"+other.ID, other.Token, map[string]any{"outbound_allow": []string{"127.0.0.1"}}); r.Status != http.StatusForbidden {
			t.Errorf("a tenant token changed the tenant: %d %s", r.Status, r.Raw)
		}

		bad := h.do(http.MethodPatch, "/api/v1/tenants/"+other.ID, adminToken, map[string]any{"outbound_allow": []string{"10.0.0.0/8", "http://127.0.0.1:8080"}})
		if p := problems(t, bad); bad.Status != http.StatusBadRequest || len(p) != 1 || p[0].Field != "outbound_allow[1]" || !strings.Contains(p[0].Message, "http://127.0.0.1:8080") {
			t.Fatalf("invalid allow-list: %d %s; want 400 naming outbound_allow[1]", bad.Status, bad.Raw)
		}
		upd := h.do(http.MethodPatch, "/api/v1/tenants/"+other.ID, adminToken, map[string]any{"outbound_allow": []string{"127.0.0.1/32"}})
		if upd.Status != http.StatusOK || fmt.Sprint(upd.Body["outbound_allow"]) != "[127.0.0.1/32]" {
			t.Fatalf("update the allow-list: %d %s", upd.Status, upd.Raw)
		}
		run = h.waitRun(other.Token, otherDeliver("B-2"))
		if status := run.Body["run"].(map[string]any)["status"]; status != "succeeded" {
			t.Fatalf("other's run after the update: %s", run.Raw)
		}
		if got := <-target.bodies; !strings.Contains(string(got), "B-2") {
			t.Errorf("the local server received %s", got)
		}
		if ok, msg := testOther(); !ok {
			t.Errorf("other's connection test after the update: %q", msg)
		}
		audit := h.do(http.MethodGet, "/api/v1/audit", other.Token, nil)
		if !strings.Contains(audit.Raw, "127.0.0.1/32") {
			t.Errorf("the audit log does not record the new list: %s", audit.Raw)
		}
	})
}
