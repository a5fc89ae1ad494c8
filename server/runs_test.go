package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/testdb"
)

// publishFlow creates and publishes a flow and returns its id and first hook id.
func (h *harness) publishFlow(token, name string, def map[string]any) (flowID, hookID string) {
	h.t.Helper()
	res := h.do(http.MethodPost, "/api/v1/flows", token, map[string]any{"name": name, "definition": def})
	if res.Status != http.StatusCreated {
		h.t.Fatalf("create flow %s: %d %s", name, res.Status, res.Raw)
	}
	flowID = res.Body["id"].(string)
	pub := h.do(http.MethodPost, "/api/v1/flows/"+flowID+"/publish", token, nil)
	if pub.Status != http.StatusOK {
		h.t.Fatalf("publish %s: %d %s", name, pub.Status, pub.Raw)
	}
	if hooks, _ := pub.Body["hooks"].([]any); len(hooks) > 0 {
		hookID = hooks[0].(map[string]any)["id"].(string)
	}
	return flowID, hookID
}

func openHook() map[string]any {
	return node("hook", "trigger.webhook", map[string]any{"auth": map[string]any{"mode": "none"}})
}

// stepsByKey returns a settled run's step records, all attempts, by step key.
func stepsByKey(res response) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, s := range res.Body["steps"].([]any) {
		m := s.(map[string]any)
		out[m["step_key"].(string)] = append(out[m["step_key"].(string)], m)
	}
	return out
}

// flaky answers 503 to the first failures requests, then 200; it counts calls.
type flaky struct {
	calls    atomic.Int32
	failures int32
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.calls.Add(1)
	if n <= f.failures {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"call":` + string(rune('0'+n)) + `}`))
}

// A retryable failure retries under the flow's policy, and the side effect
// that already succeeded (the first http call) is not sent again.
func TestRetryResumesAfterCompletedSideEffects(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 4)
		acme := h.tenant("acme")
		first := &flaky{}
		second := &flaky{failures: 2}
		a, b := httptest.NewServer(first), httptest.NewServer(second)
		defer a.Close()
		defer b.Close()
		def := flowDoc([]map[string]any{
			openHook(),
			node("createA", "http", map[string]any{"method": "POST", "url": a.URL, "body": "."}),
			node("createB", "http", map[string]any{"method": "POST", "url": b.URL, "body": "."}),
		}, []map[string]any{edge("hook", "createA", ""), edge("createA", "createB", "")})
		def["settings"] = map[string]any{"business_key": ".order_number", "retry": map[string]any{"max_attempts": 5, "initial_interval": "10ms", "max_interval": "50ms"}}
		_, hookID := h.publishFlow(acme.Token, "Retries", def)
		res := h.postHook(hookID, []byte(`{"order_number":"77"}`), "", "")
		if res.Status != http.StatusAccepted {
			t.Fatalf("webhook: %d %s", res.Status, res.Raw)
		}
		detail := h.waitRun(acme.Token, res.Body["run_id"].(string))
		run := detail.Body["run"].(map[string]any)
		if run["status"] != "succeeded" || run["attempt"].(float64) != 3 {
			t.Fatalf("run: %s", detail.Raw)
		}
		if n := first.calls.Load(); n != 1 {
			t.Errorf("the completed side effect was sent %d times, want 1", n)
		}
		if n := second.calls.Load(); n != 3 {
			t.Errorf("the failing call was made %d times, want 3", n)
		}
		steps := stepsByKey(detail)
		if len(steps["createB"]) != 3 || steps["createB"][0]["status"] != "failed" || steps["createB"][2]["status"] != "succeeded" {
			t.Errorf("createB history: %v", steps["createB"])
		}
	})
}

// A side effect's record is stored before the next side effect starts (the
// engine's checkpoint), so a crash during the second cannot repeat the first.
func TestSideEffectIsRecordedBeforeTheNextStarts(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 2)
		acme := h.tenant("acme")
		a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"created":"A-1"}`))
		}))
		defer a.Close()
		var seen atomic.Value // what B found stored for createA when it was called
		b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				Run string `json:"run"`
			}
			json.NewDecoder(r.Body).Decode(&body)
			steps, err := h.store.Tenant(acme.ID).RunSteps(r.Context(), body.Run)
			found := fmt.Sprint(err)
			for _, st := range steps {
				if st.StepKey == "createA" {
					found = st.Status
				}
			}
			seen.Store(found)
			w.Write([]byte(`{}`))
		}))
		defer b.Close()
		def := flowDoc([]map[string]any{
			openHook(),
			node("createA", "http", map[string]any{"method": "POST", "url": a.URL, "body": "."}),
			node("shape", "map", map[string]any{"jq": "{run: $run.id}"}),
			node("createB", "http", map[string]any{"method": "POST", "url": b.URL, "body": "."}),
		}, []map[string]any{edge("hook", "createA", ""), edge("createA", "shape", ""), edge("shape", "createB", "")})
		_, hookID := h.publishFlow(acme.Token, "Two writes", def)
		res := h.postHook(hookID, []byte(`{"order_number":"78"}`), "", "")
		detail := h.waitRun(acme.Token, res.Body["run_id"].(string))
		if status := detail.Body["run"].(map[string]any)["status"]; status != "succeeded" {
			t.Fatalf("run: %s", detail.Raw)
		}
		if got := seen.Load(); got != "succeeded" {
			t.Errorf("when createB started, createA's record was %v; want it stored as succeeded", got)
		}
		if steps := stepsByKey(detail); len(steps["createA"]) != 1 || len(steps["shape"]) != 1 || len(steps["createB"]) != 1 {
			t.Errorf("steps stored more than once or lost: %v", steps)
		}
	})
}

// A permanent failure fails the run at once, naming the node and message.
func TestPermanentFailureFailsTheRun(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	def := flowDoc([]map[string]any{openHook(), node("stop", "fail", map[string]any{"message_jq": `"order \(.order_number) has no lines"`})},
		[]map[string]any{edge("hook", "stop", "")})
	_, hookID := h.publishFlow(acme.Token, "Fails", def)
	res := h.postHook(hookID, []byte(`{"order_number":"10234"}`), "", "")
	detail := h.waitRun(acme.Token, res.Body["run_id"].(string))
	run := detail.Body["run"].(map[string]any)
	if run["status"] != "failed" || run["failed_node"] != "stop" || !strings.Contains(run["error"].(string), "order 10234 has no lines") || run["attempt"].(float64) != 1 {
		t.Fatalf("run: %s", detail.Raw)
	}
	list := h.do(http.MethodGet, "/api/v1/runs?status=failed&business_key=10234", acme.Token, nil)
	if list.Body["total"].(float64) != 1 {
		t.Errorf("failed run not found by status and business key: %s", list.Raw)
	}
	if bad := h.do(http.MethodGet, "/api/v1/runs?status=exploded&from=yesterday", acme.Token, nil); bad.Status != http.StatusBadRequest || len(problems(t, bad)) != 2 {
		t.Errorf("bad filters: %d %s", bad.Status, bad.Raw)
	}
}

// A delay suspends the run durably (the job is snoozed, nothing sleeps) and
// the run completes after it.
func TestDelaySuspendsAndResumes(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	def := flowDoc([]map[string]any{openHook(), node("wait", "delay", map[string]any{"duration": "1s"}), node("after", "map", map[string]any{"jq": `"done"`})},
		[]map[string]any{edge("hook", "wait", ""), edge("wait", "after", "")})
	_, hookID := h.publishFlow(acme.Token, "Waits", def)
	res := h.postHook(hookID, []byte(`{"order_number":"5"}`), "", "")
	detail := h.waitRun(acme.Token, res.Body["run_id"].(string))
	if detail.Body["run"].(map[string]any)["status"] != "succeeded" {
		t.Fatalf("run: %s", detail.Raw)
	}
	steps := stepsByKey(detail)
	if len(steps["wait"]) != 2 || steps["wait"][0]["status"] != "suspended" || steps["wait"][1]["status"] != "succeeded" {
		t.Errorf("delay steps: %v", steps["wait"])
	}
	if out, _ := json.Marshal(steps["after"][0]["output"]); string(out) != `"done"` {
		t.Errorf("after output %s", out)
	}
}

// A named event starts every published flow listening for it.
func TestEventTriggerStartsFlows(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	def := flowDoc([]map[string]any{node("on", "trigger.event", map[string]any{"event": "epicor.job.completed"}), node("m", "map", map[string]any{"jq": ".job"})},
		[]map[string]any{edge("on", "m", "")})
	h.publishFlow(acme.Token, "On job", def)
	res := h.do(http.MethodPost, "/api/v1/events/epicor.job.completed", acme.Token, map[string]any{"payload": map[string]any{"job": "J-1"}})
	ids, _ := res.Body["run_ids"].([]any)
	if res.Status != http.StatusAccepted || len(ids) != 1 {
		t.Fatalf("publish event: %d %s", res.Status, res.Raw)
	}
	detail := h.waitRun(acme.Token, ids[0].(string))
	if out := stepsByKey(detail)["m"][0]["output"]; out != "J-1" {
		t.Errorf("map output %v", out)
	}
	none := h.do(http.MethodPost, "/api/v1/events/nobody.listens", acme.Token, map[string]any{})
	if got := none.Body["run_ids"].([]any); len(got) != 0 {
		t.Errorf("an event nobody listens to started %d runs", len(got))
	}
	other := h.tenant("other")
	if r := h.do(http.MethodPost, "/api/v1/events/epicor.job.completed", other.Token, map[string]any{}); len(r.Body["run_ids"].([]any)) != 0 {
		t.Errorf("another tenant's event started acme's flow")
	}
}

// With lean step recording, run history keeps every step's output, and an
// input only when it is its parent's output (kept as a reference, free) or
// when the step failed.
func TestLeanStepRecording(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarnessOpts(t, dialect, func(o *app.Options) { o.Workers, o.LeanSteps = 2, true })
		acme := h.tenant("acme")
		_, hookID := h.publishFlow(acme.Token, "Lean", flowDoc([]map[string]any{
			openHook(),
			node("shape", "map", map[string]any{"jq": "{po: .order_number}"}),
			node("reject", "fail", map[string]any{"message": "order too small"}),
		}, []map[string]any{edge("hook", "shape", ""), edge("shape", "reject", "")}))
		run := h.waitRun(acme.Token, h.postHook(hookID, []byte(`{"order_number":"L-1"}`), "", "").Body["run_id"].(string))
		steps := stepsByKey(run)
		hook, shape, reject := steps["hook"], steps["shape"], steps["reject"]
		if len(hook) != 1 || len(shape) != 1 || len(reject) == 0 {
			t.Fatalf("steps: %s", run.Raw)
		}
		if hook[0]["input"] != nil || hook[0]["output"] == nil {
			t.Errorf("trigger step: input %v, output %v; want no input, the output", hook[0]["input"], hook[0]["output"])
		}
		if in, _ := shape[0]["input"].(map[string]any); in["order_number"] != "L-1" || shape[0]["input_from"] != "hook" || shape[0]["output"] == nil {
			t.Errorf("succeeded step: input %v from %v, output %v; want the trigger's output by reference", shape[0]["input"], shape[0]["input_from"], shape[0]["output"])
		}
		if in, _ := reject[0]["input"].(map[string]any); in["po"] != "L-1" {
			t.Errorf("failed step's input %v, want the order it failed on", reject[0]["input"])
		}
	})
}
