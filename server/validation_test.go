package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// A flow with an accepted data schema checks each run's payload: in warn mode
// violations are recorded and the run goes on; in fail mode the run fails
// permanently, naming the field and the rule.
func TestRunsValidatePayloadsAgainstTheFlowSchema(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	flowID, hookID := h.publishFlow(acme.Token, "Orders", flowDoc([]map[string]any{openHook(), node("m", "map", map[string]any{"jq": ".qty"})}, []map[string]any{edge("hook", "m", "")}))
	inferred := h.do(http.MethodPost, "/api/v1/schemas/infer", acme.Token, map[string]any{"samples": []any{
		map[string]any{"order_number": "1", "qty": 2}, map[string]any{"order_number": "2", "qty": 5}, map[string]any{"order_number": "3", "qty": 1},
	}})
	if inferred.Status != http.StatusOK {
		t.Fatalf("infer: %d %s", inferred.Status, inferred.Raw)
	}
	create := func(flowID, mode string) {
		res := h.do(http.MethodPost, "/api/v1/schemas", acme.Token, map[string]any{"name": "orders-" + mode, "flow_id": flowID, "mode": mode, "schema": inferred.Body["schema"]})
		if res.Status != http.StatusCreated {
			t.Fatalf("create schema: %d %s", res.Status, res.Raw)
		}
	}
	create(flowID, "warn")
	warned := h.waitRun(acme.Token, h.postHook(hookID, []byte(`{"order_number":"4"}`), "", "").Body["run_id"].(string))
	if warned.Body["run"].(map[string]any)["status"] != "succeeded" {
		t.Fatalf("warn mode failed the run: %s", warned.Raw)
	}
	v := stepsByKey(warned)["$validation"]
	if len(v) != 1 || !strings.Contains(warned.Raw, `"field":"qty"`) || !strings.Contains(warned.Raw, `"rule":"required"`) {
		t.Fatalf("warn mode did not record the violation: %s", warned.Raw)
	}

	strictID, strictHook := h.publishFlow(acme.Token, "Strict orders", flowDoc([]map[string]any{openHook(), node("m", "map", map[string]any{"jq": ".qty"})}, []map[string]any{edge("hook", "m", "")}))
	create(strictID, "fail")
	failed := h.waitRun(acme.Token, h.postHook(strictHook, []byte(`{"order_number":"5","qty":"lots"}`), "", "").Body["run_id"].(string))
	run := failed.Body["run"].(map[string]any)
	if run["status"] != "failed" || run["failed_node"] != "$validation" || !strings.Contains(run["error"].(string), "qty") || run["attempt"].(float64) != 1 {
		t.Fatalf("fail mode: %s", failed.Raw)
	}
	if _, ran := stepsByKey(failed)["m"]; ran {
		t.Fatal("the flow ran although its payload broke the schema")
	}
}
