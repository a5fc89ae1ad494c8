package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Approvers hear of a new approval request, and of its decision, on the
// channels of the tenant's "approvals" alert rules.
func TestApprovalsAreNotifiedThroughAlertChannels(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	notes := make(chan map[string]any, 10)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n map[string]any
		json.NewDecoder(r.Body).Decode(&n)
		notes <- n
	}))
	defer receiver.Close()
	rule := h.do(http.MethodPost, "/api/v1/alert-rules", acme.Token, map[string]any{"name": "approvers", "kind": "approvals",
		"channels": []any{map[string]any{"type": "webhook", "url": receiver.URL}}})
	if rule.Status != http.StatusCreated {
		t.Fatalf("approvals rule: %d %s", rule.Status, rule.Raw)
	}
	_, hookID := h.publishFlow(acme.Token, "Big orders", approvalFlow(map[string]any{"approvers": map[string]any{"roles": []string{"admin"}}}))
	runID := h.postHook(hookID, []byte(`{"order_number":"A-7","total":5000}`), "", "").Body["run_id"].(string)
	next := func() map[string]any {
		t.Helper()
		select {
		case n := <-notes:
			return n
		case <-time.After(30 * time.Second):
			t.Fatal("no approval notification within 30s")
			return nil
		}
	}
	requested := next()
	if requested["status"] != "requested" || requested["kind"] != "approvals" || requested["message"] == nil {
		t.Fatalf("request notification: %v", requested)
	}
	a := h.pendingApproval(acme.Token, runID)
	if res := h.do(http.MethodPost, "/api/v1/approvals/"+a["id"].(string)+"/approve", acme.Token, map[string]any{}); res.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", res.Status, res.Raw)
	}
	if decided := next(); decided["status"] != "decided" || decided["alert_id"] != a["id"] {
		t.Fatalf("decision notification: %v", decided)
	}
}
