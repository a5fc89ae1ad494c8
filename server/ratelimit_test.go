package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/bridgework/bridgework/sandbox/fault"
)

// Being rate limited (429 + Retry-After) snoozes the run without using up its
// attempts: three 429s in a row do not kill a run allowed two attempts.
func TestRateLimitsDoNotBurnAttempts(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	sb := startSandboxes(t)
	cfg, secrets := epicorConfig(sb, map[string]any{"max_attempts": 1})
	connID := h.connection(acme.Token, "ERP", "epicor", cfg, secrets)
	custNum := sb.Epicor.Rows("Customers", nil)[0]["CustNum"]
	def := flowDoc([]map[string]any{openHook(),
		node("create", "connector", map[string]any{"connection": connID, "operation": "create_sales_order",
			"input": `{CustNum: ` + fmt.Sprint(custNum) + `, PONum: ("HL-" + .order_number)}`}),
	}, []map[string]any{edge("hook", "create", "")})
	def["settings"] = map[string]any{"business_key": ".order_number", "retry": map[string]any{"max_attempts": 2, "initial_interval": "10ms", "max_interval": "50ms"}}
	_, hookID := h.publishFlow(acme.Token, "Orders", def)
	if err := sb.Epicor.Faults().Set(fault.Config{FailNext: []fault.Failure{{Status: http.StatusTooManyRequests, Count: 3, RetryAfterSeconds: 1}}}); err != nil {
		t.Fatal(err)
	}
	res := h.postHook(hookID, []byte(`{"order_number":"777"}`), "", "")
	detail := h.waitRun(acme.Token, res.Body["run_id"].(string))
	run := detail.Body["run"].(map[string]any)
	if run["status"] != "succeeded" || run["attempt"].(float64) != 1 {
		t.Fatalf("run after three 429s: status %v attempt %v, want succeeded on attempt 1: %s", run["status"], run["attempt"], trim(detail.Raw))
	}
	if failed := len(stepsByKey(detail)["create"]); failed != 4 {
		t.Errorf("the create step has %d records, want 3 rate-limited and 1 success", failed)
	}
	if n := len(sb.Epicor.Rows("SalesOrders", map[string]any{"PONum": "HL-777"})); n != 1 {
		t.Errorf("%d sales orders, want 1", n)
	}
}
