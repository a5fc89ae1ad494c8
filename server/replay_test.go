package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/runner"
	"github.com/bridgework/bridgework/internal/testdb"
)

// recorder is an HTTP target that records what it receives.
type recorder struct {
	mu     sync.Mutex
	bodies []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, string(b))
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"ok":true}`))
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

// A permanently failing run becomes a dead letter; support staff replay it
// from the failed step with a corrected input; the steps before it are reused
// (their side effects are not repeated), the edit is audited and shown.
func TestDeadLetterReplayFromFailedStepWithEditedInput(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 4)
		acme := h.tenant("acme")
		audit, send := &recorder{}, &recorder{}
		as, ss := httptest.NewServer(audit), httptest.NewServer(send)
		defer as.Close()
		defer ss.Close()
		def := flowDoc([]map[string]any{
			openHook(),
			node("audit", "http", map[string]any{"method": "POST", "url": as.URL, "body": "{seen: .order_number}"}),
			node("pick", "map", map[string]any{"jq": `$trigger`}),
			node("validate", "map", map[string]any{"jq": `if .qty < 0 then error("qty must not be negative") else . end`}),
			node("send", "http", map[string]any{"method": "POST", "url": ss.URL, "body": "."}),
		}, []map[string]any{edge("hook", "audit", ""), edge("audit", "pick", ""), edge("pick", "validate", ""), edge("validate", "send", "")})
		_, hookID := h.publishFlow(acme.Token, "Orders", def)
		res := h.postHook(hookID, []byte(`{"order_number":"10234","qty":-1}`), "", "")
		runID := res.Body["run_id"].(string)
		failed := h.waitRun(acme.Token, runID).Body["run"].(map[string]any)
		if failed["status"] != "failed" || failed["failed_node"] != "validate" {
			t.Fatalf("run: %v", failed)
		}

		dl := h.do(http.MethodGet, "/api/v1/dead-letters?reason=negative", acme.Token, nil)
		groups := dl.Body["groups"].([]any)
		if dl.Body["total"].(float64) != 1 || len(groups) != 1 || groups[0].(map[string]any)["failed_node"] != "validate" {
			t.Fatalf("dead letters: %s", dl.Raw)
		}

		edit := map[string]any{"from": "failed_step", "input": map[string]any{"order_number": "10234", "qty": 5}, "note": "customer confirmed 5"}
		dry := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/replay", acme.Token, merge(edit, map[string]any{"dry_run": true}))
		if dry.Status != http.StatusOK || dry.Body["run_id"] != nil || join(dry.Body["will_execute"]) != "validate,send" || join(dry.Body["reused_steps"]) != "hook,audit,pick" {
			t.Fatalf("dry run: %d %s", dry.Status, dry.Raw)
		}
		if !strings.Contains(dry.Raw, `"effects_in_ledger":[]`) {
			t.Errorf("a plan without ledger effects should list none, not null: %s", dry.Raw)
		}
		if n := h.do(http.MethodGet, "/api/v1/runs", acme.Token, nil).Body["total"].(float64); n != 1 {
			t.Fatalf("a dry run created a run (%v runs)", n)
		}

		rep := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/replay", acme.Token, edit)
		if rep.Status != http.StatusAccepted {
			t.Fatalf("replay: %d %s", rep.Status, rep.Raw)
		}
		detail := h.waitRun(acme.Token, rep.Body["run_id"].(string))
		run := detail.Body["run"].(map[string]any)
		if run["status"] != "succeeded" || run["replay_of"] != runID {
			t.Fatalf("replayed run: %s", detail.Raw)
		}
		if spec := run["replay"].(map[string]any); spec["step"] != "validate" || spec["note"] != "customer confirmed 5" || !strings.HasPrefix(spec["by"].(string), "api_key:") {
			t.Errorf("replay spec shown on the run: %v", spec)
		}
		if got := audit.got(); len(got) != 1 {
			t.Errorf("the audit call before the failed step was sent %d times, want 1 (reused)", len(got))
		}
		if got := send.got(); len(got) != 1 || !strings.Contains(got[0], `"qty":5`) {
			t.Errorf("send received %v, want the edited order", got)
		}
		if dl := h.do(http.MethodGet, "/api/v1/dead-letters", acme.Token, nil); dl.Body["total"].(float64) != 0 {
			t.Errorf("the replayed run is still a dead letter: %s", dl.Raw)
		}
		entries, err := h.store.Tenant(acme.ID).AuditLog(context.Background(), 20)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			if e.Action == "run.replay" && e.TargetID == runID && strings.Contains(strings.ReplaceAll(string(e.Details), " ", ""), `"qty":5`) {
				found = true
			}
		}
		if !found {
			t.Error("no audit entry records the replay with its edited input")
		}
		fromStep := h.do(http.MethodPost, "/api/v1/runs/"+rep.Body["run_id"].(string)+"/replay", acme.Token,
			map[string]any{"from": "step", "step": "pick", "version": "published", "dry_run": true})
		if fromStep.Status != http.StatusOK || join(fromStep.Body["will_execute"]) != "pick,validate,send" || join(fromStep.Body["reused_steps"]) != "hook,audit" {
			t.Errorf("dry run from a named step on the published version: %d %s", fromStep.Status, fromStep.Raw)
		}
		if again := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/replay", acme.Token, map[string]any{"from": "step", "step": "nope"}); again.Status != http.StatusBadRequest || !strings.Contains(again.Raw, `"field":"step"`) {
			t.Errorf("replay from an unknown step: %d %s", again.Status, again.Raw)
		}
		other := h.tenant("other")
		if r := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/replay", other.Token, nil); r.Status != http.StatusNotFound {
			t.Errorf("another tenant replays: %d", r.Status)
		}
	})
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func join(v any) string {
	var parts []string
	for _, x := range v.([]any) {
		parts = append(parts, x.(string))
	}
	return strings.Join(parts, ",")
}

// Bulk replay lists what it would do in a dry run, then replays every
// matching dead letter.
func TestBulkReplayOfDeadLetters(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 4)
	acme := h.tenant("acme")
	def := flowDoc([]map[string]any{openHook(), node("check", "map", map[string]any{"jq": `if $trigger.ok then . else error("not ok yet") end`})},
		[]map[string]any{edge("hook", "check", "")})
	_, hookID := h.publishFlow(acme.Token, "Check", def)
	var ids []string
	for _, n := range []string{"1", "2", "3"} {
		ids = append(ids, h.postHook(hookID, []byte(`{"order_number":"`+n+`","ok":false}`), "", "").Body["run_id"].(string))
	}
	for _, id := range ids {
		h.waitRun(acme.Token, id)
	}
	dry := h.do(http.MethodPost, "/api/v1/dead-letters/replay", acme.Token, map[string]any{"filter": map[string]any{"reason": "not ok"}, "from": "trigger", "dry_run": true})
	if dry.Status != http.StatusOK || dry.Body["count"].(float64) != 3 {
		t.Fatalf("dry run: %d %s", dry.Status, dry.Raw)
	}
	bad := h.do(http.MethodPost, "/api/v1/dead-letters/replay", acme.Token, map[string]any{"rate_per_second": -1})
	if bad.Status != http.StatusBadRequest {
		t.Fatalf("bad rate: %d", bad.Status)
	}
	res := h.do(http.MethodPost, "/api/v1/dead-letters/replay", acme.Token, map[string]any{"from": "trigger", "rate_per_second": 50})
	if res.Status != http.StatusAccepted || res.Body["count"].(float64) != 3 {
		t.Fatalf("bulk replay: %d %s", res.Status, res.Raw)
	}
	for _, r := range res.Body["replays"].([]any) {
		h.waitRun(acme.Token, r.(map[string]any)["run_id"].(string))
	}
	dl := h.do(http.MethodGet, "/api/v1/dead-letters", acme.Token, nil)
	if dl.Body["total"].(float64) != 3 {
		t.Fatalf("the replays (still failing) should be the dead letters now: %s", dl.Raw)
	}
	for _, r := range dl.Body["dead_letters"].([]any) {
		if r.(map[string]any)["replay_of"] == nil {
			t.Errorf("a dead letter is not a replay: %v", r)
		}
	}
}

func TestCancelRun(t *testing.T) {
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	def := flowDoc([]map[string]any{openHook(), node("wait", "delay", map[string]any{"duration": "1h"})}, []map[string]any{edge("hook", "wait", "")})
	_, hookID := h.publishFlow(acme.Token, "Slow", def)
	runID := h.postHook(hookID, []byte(`{"order_number":"9"}`), "", "").Body["run_id"].(string)
	deadline := time.Now().Add(20 * time.Second)
	for h.do(http.MethodGet, "/api/v1/runs/"+runID, acme.Token, nil).Body["run"].(map[string]any)["status"] != "waiting" {
		if time.Now().After(deadline) {
			t.Fatal("the run never reached waiting")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if res := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/cancel", acme.Token, nil); res.Status != http.StatusOK || res.Body["status"] != "cancelled" {
		t.Fatalf("cancel: %d %s", res.Status, res.Raw)
	}
	if res := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/cancel", acme.Token, nil); res.Status != http.StatusConflict {
		t.Fatalf("second cancel: %d %s", res.Status, res.Raw)
	}
	if got := h.do(http.MethodGet, "/api/v1/runs/"+runID, acme.Token, nil).Body["run"].(map[string]any); got["status"] != "cancelled" || got["finished_at"] == nil {
		t.Fatalf("cancelled run: %v", got)
	}
}

// Beyond the backlog limit webhooks are refused with 503 and Retry-After, and
// nothing is stored for them.
func TestWebhookOverloadAnswers503(t *testing.T) {
	h := newHarnessOpts(t, "sqlite", func(o *app.Options) { o.MaxBacklog = 2 })
	acme := h.tenant("acme")
	_, hookID := h.publishFlow(acme.Token, "Busy", flowDoc([]map[string]any{openHook()}, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go h.srv.WatchBacklog(ctx, 10*time.Millisecond)
	accepted := 0
	deadline := time.Now().Add(20 * time.Second)
	for {
		res := h.postHook(hookID, []byte(`{"n":1}`), "", "")
		if res.Status == http.StatusAccepted {
			accepted++
		} else {
			if res.Status != http.StatusServiceUnavailable || res.errorCode() != "overloaded" {
				t.Fatalf("overloaded webhook: %d %s", res.Status, res.Raw)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no 503 although nothing works the queue")
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/hooks/"+hookID, strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	raw, _ := h.srv.App().Test(req, 10_000)
	if raw.StatusCode != http.StatusServiceUnavailable || raw.Header.Get("Retry-After") == "" {
		t.Fatalf("503 without Retry-After: %d %v", raw.StatusCode, raw.Header)
	}
	if n := h.do(http.MethodGet, "/api/v1/runs", acme.Token, nil).Body["total"].(float64); int(n) != accepted {
		t.Fatalf("%v runs stored, but only %d webhooks were accepted", n, accepted)
	}
}

// Retention empties old payloads and step data in batches and keeps the
// metadata; a pruned run cannot be replayed.
func TestRetentionPrunesPayloads(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 2)
		acme := h.tenant("acme")
		if res := h.do(http.MethodPut, "/api/v1/settings", acme.Token, map[string]any{"payload_retention_days": 7}); res.Status != http.StatusOK {
			t.Fatalf("settings: %d %s", res.Status, res.Raw)
		}
		if res := h.do(http.MethodPut, "/api/v1/settings", acme.Token, map[string]any{"payload_retention_days": 0}); res.Status != http.StatusBadRequest {
			t.Fatalf("bad settings: %d", res.Status)
		}
		_, hookID := h.publishFlow(acme.Token, "Keep", flowDoc([]map[string]any{openHook(), node("m", "map", map[string]any{"jq": ".secret_note"})}, []map[string]any{edge("hook", "m", "")}))
		runID := h.postHook(hookID, []byte(`{"order_number":"1","secret_note":"old data"}`), "", "").Body["run_id"].(string)
		h.waitRun(acme.Token, runID)
		w := &runner.PruneWorker{Store: h.store, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Now().AddDate(0, 0, 8) }}
		if err := w.Work(context.Background(), &river.Job[runner.PruneArgs]{}); err != nil {
			t.Fatal(err)
		}
		detail := h.do(http.MethodGet, "/api/v1/runs/"+runID, acme.Token, nil)
		if strings.Contains(detail.Raw, "old data") {
			t.Fatalf("pruned run still holds its payload: %s", detail.Raw)
		}
		run := detail.Body["run"].(map[string]any)
		if run["payload_pruned"] != true || run["status"] != "succeeded" || run["business_key"] != "1" || len(detail.Body["steps"].([]any)) != 2 {
			t.Fatalf("pruning lost metadata: %s", detail.Raw)
		}
		if res := h.do(http.MethodPost, "/api/v1/runs/"+runID+"/replay", acme.Token, nil); res.Status != http.StatusConflict {
			t.Fatalf("replay of a pruned run: %d %s", res.Status, res.Raw)
		}
	})
}
