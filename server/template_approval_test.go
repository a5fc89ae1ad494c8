package server_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// waitStatus polls a run until it reaches status or the deadline passes.
func (e *templateEnv) waitStatus(runID, status string) map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := e.do(http.MethodGet, "/api/v1/runs/"+runID, e.ten.Token, nil)
		run, _ := res.Body["run"].(map[string]any)
		if run != nil && run["status"] == status {
			return run
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("run %s did not reach %s within 30s: %s", runID, status, trim(res.Raw))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// With approval_threshold set, an order above it waits for a person: approved,
// exactly one sales order is created; rejected, none is, and the Heartland
// order is marked rejected.
func TestOrderTemplateApproval(t *testing.T) {
	e := newTemplateEnv(t, "sqlite")
	flows := e.install("heartland-order-to-epicor-sales-order", map[string]any{"approval_threshold": 10})
	hook := flows[0].Hooks[0].URL

	decide := func(order map[string]any, verdict string) map[string]any {
		t.Helper()
		runID := e.deliver(hook, order)
		e.waitStatus(runID, "waiting")
		list := e.do(http.MethodGet, "/api/v1/approvals?status=pending", e.ten.Token, nil)
		pending, _ := list.Body["approvals"].([]any)
		if len(pending) != 1 || pending[0].(map[string]any)["run_id"] != runID {
			t.Fatalf("pending approvals %s, want the order's", list.Raw)
		}
		id := pending[0].(map[string]any)["id"].(string)
		if res := e.do(http.MethodPost, "/api/v1/approvals/"+id+"/"+verdict, e.ten.Token, map[string]any{"comment": "checked"}); res.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", verdict, res.Status, res.Raw)
		}
		return e.waitStatus(runID, "succeeded")
	}

	big := e.heartlandOrder(100101, line("SKU-1001", 5))
	decide(big, "approve")
	if n := len(ordersWithPO(e.sb, "HL-"+big["public_id"].(string))); n != 1 {
		t.Fatalf("%d sales orders for the approved order, want 1", n)
	}

	rejected := e.heartlandOrder(100101, line("SKU-1002", 5))
	decide(rejected, "reject")
	if n := len(ordersWithPO(e.sb, "HL-"+rejected["public_id"].(string))); n != 0 {
		t.Fatalf("%d sales orders for the rejected order, want 0", n)
	}
	hl := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/sales/orders/"+fmt.Sprint(int64(rejected["id"].(float64))), nil)
	if custom, _ := hl["custom"].(map[string]any); custom["approval_status"] != "rejected" {
		t.Fatalf("the rejected Heartland order is not marked: %v", hl["custom"])
	}
}
