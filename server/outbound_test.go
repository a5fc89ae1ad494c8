package server_test

import (
	"net/http"
	"strings"
	"testing"
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
