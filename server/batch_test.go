package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/app"
)

// batchRun waits until the flow has want runs and returns the newest (the
// batch run, created after the runs that delivered its items) once settled.
func (h *harness) batchRun(token, flowID string, want int) response {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := h.do(http.MethodGet, "/api/v1/runs?flow_id="+flowID, token, nil)
		if total, _ := res.Body["total"].(float64); int(total) == want {
			return h.waitRun(token, res.Body["runs"].([]any)[0].(map[string]any)["id"].(string))
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("flow %s did not reach %d runs within 30s: %s", flowID, want, res.Raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Ten runs each deliver 100 stock changes to a batch node of size 10; one
// batch run sends the 1,000 changes to Heartland in sets of 100: 10 sets
// plus one resend of the set holding the unknown item, which is reported.
func TestBatchSendsStockChangesInFewCalls(t *testing.T) {
	t.Parallel()
	sb := startSandboxes(t)
	h := newHarnessWith(t, "sqlite", 4)
	acme := h.tenant("acme")
	cfg, secrets := heartlandConfig(sb, map[string]any{"rate_limit_per_second": 0})
	conn := h.connection(acme.Token, "Heartland", "heartland", cfg, secrets)
	def := flowDoc([]map[string]any{
		openHook(),
		node("collect", "batch", map[string]any{"size": 10, "wait": "1h", "item": ".changes"}),
		node("apply", "connector", map[string]any{"connection": conn, "operation": "adjust_stock_batch",
			"input": "{changes: [.items[][]], batch_size: 100}"}),
	}, []map[string]any{edge("hook", "collect", ""), edge("collect", "apply", "batch")})
	flowID, hookID := h.publishFlow(acme.Token, "Stock", def)
	items := sb.Heartland.Data().Heartland.Items[:10]
	for r := range 10 {
		changes := make([]map[string]any, 100)
		for i := range changes {
			changes[i] = map[string]any{"location_id": 100003, "item_id": items[i%10].ID, "qty": 1}
		}
		if r == 4 {
			changes[17]["item_id"] = 999999999
		}
		body, _ := json.Marshal(map[string]any{"changes": changes})
		if res := h.postHook(hookID, body, "", ""); res.Status != http.StatusAccepted {
			t.Fatalf("hook %d: %d %s", r, res.Status, res.Raw)
		}
	}
	detail := h.batchRun(acme.Token, flowID, 11)
	port, out := stepPort(t, detail, "apply")
	if detail.Body["run"].(map[string]any)["status"] != "succeeded" || port != "out" {
		t.Fatalf("batch run: %s", detail.Raw)
	}
	failed, _ := out["failed"].([]any)
	if out["calls"] != float64(11) || out["applied"] != float64(999) || len(failed) != 1 ||
		failed[0].(map[string]any)["change"].(map[string]any)["item_id"] != float64(999999999) {
		t.Errorf("apply output: calls %v applied %v failed %v", out["calls"], out["applied"], failed)
	}
	var posts int
	for _, e := range sb.Heartland.Requests().Since(0) {
		if e.Method == http.MethodPost && e.Path == "/api/inventory/adjustment_sets" {
			posts++
		}
	}
	if posts != 11 {
		t.Errorf("Heartland saw %d adjustment sets created, want 11", posts)
	}
	if _, ok := stepsByKey(detail)["hook"]; !ok {
		t.Errorf("the batch run has no trigger checkpoint: %s", detail.Raw)
	}
}

// Items collected before a crash are kept: two items arrive, the process
// stops, a new one on the same database takes the third, and one batch run
// gets all three.
func TestBatchKeepsItemsAcrossRestart(t *testing.T) {
	t.Parallel()
	first := newHarnessWith(t, "sqlite", 2)
	acme := first.tenant("acme")
	def := flowDoc([]map[string]any{
		openHook(),
		node("collect", "batch", map[string]any{"size": 3, "wait": "1h", "item": ".n"}),
		node("sum", "map", map[string]any{"jq": "{count, items}"}),
	}, []map[string]any{edge("hook", "collect", ""), edge("collect", "sum", "batch")})
	flowID, hookID := first.publishFlow(acme.Token, "Restart batch", def)
	for n := 1; n <= 2; n++ {
		runID := first.postHook(hookID, []byte(fmt.Sprintf(`{"n":%d}`, n)), "", "").Body["run_id"].(string)
		if port, out := stepPort(t, first.waitRun(acme.Token, runID), "collect"); port != "collected" || out["waiting"] != float64(n) {
			t.Fatalf("item %d: port %q output %v", n, port, out)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := first.queue.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	second := harnessOn(t, first.store, func(o *app.Options) { o.Workers = 2 })
	second.postHook(hookID, []byte(`{"n":3}`), "", "")
	detail := second.batchRun(acme.Token, flowID, 4)
	_, out := stepPort(t, detail, "sum")
	if got, _ := json.Marshal(out); string(got) != `{"count":3,"items":[1,2,3]}` {
		t.Errorf("batch output %s; run %s", got, detail.Raw)
	}
	if _, ran := stepsByKey(detail)["collect"]; !ran {
		t.Errorf("no batch step in the batch run")
	}
}
