package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// approvalFlow is hook → condition (total > 1000) → approval, with a map
// behind each of the approval's ports and one for small orders.
func approvalFlow(approval map[string]any) map[string]any {
	cfg := map[string]any{"title": `"Order \(.order_number)"`, "summary": `"Total \(.total)"`}
	for k, v := range approval {
		cfg[k] = v
	}
	nodes := []map[string]any{
		openHook(),
		node("big", "condition", map[string]any{"expression": "input.total > 1000"}),
		node("ask", "approval", cfg),
		node("ship", "map", map[string]any{"jq": `"shipped"`}),
		node("hold", "map", map[string]any{"jq": `"held"`}),
		node("auto", "map", map[string]any{"jq": `"auto"`}),
	}
	edges := []map[string]any{
		edge("hook", "big", ""), edge("big", "ask", "true"), edge("big", "auto", "false"),
		edge("ask", "ship", "approved"), edge("ask", "hold", "rejected"),
	}
	if cfg["on_timeout"] == "timed_out" {
		nodes = append(nodes, node("expired", "map", map[string]any{"jq": `"expired"`}))
		edges = append(edges, edge("ask", "expired", "timed_out"))
	}
	return flowDoc(nodes, edges)
}

// pendingApproval waits until the run waits (status waiting) for a pending
// approval and returns the approval.
func (h *harness) pendingApproval(token, runID string) map[string]any {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := h.do(http.MethodGet, "/api/v1/approvals?status=pending", token, nil)
		list, _ := res.Body["approvals"].([]any)
		for _, a := range list {
			m := a.(map[string]any)
			run, _ := h.do(http.MethodGet, "/api/v1/runs/"+runID, token, nil).Body["run"].(map[string]any)
			if m["run_id"] == runID && run["status"] == "waiting" {
				return m
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("run %s opened no approval within 30s: %s", runID, res.Raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// userToken stores a user of the tenant with a role and returns a token for it.
func (h *harness) userToken(tenantID, email, role string) string {
	h.t.Helper()
	q := "INSERT INTO users (id, tenant_id, email, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
	if h.store.Dialect() == store.Postgres {
		q = "INSERT INTO users (id, tenant_id, email, password_hash, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
	}
	id, now := store.NewID(), store.Now()
	if _, err := h.store.SQL().Exec(q, id, tenantID, email, "unused", role, now, now); err != nil {
		h.t.Fatalf("insert user %s: %v", email, err)
	}
	tok, _, err := auth.NewTokens(jwtSecret, time.Hour).Issue(id, tenantID, role, auth.KindUser)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

func stepPort(t *testing.T, detail response, key string) (port string, output map[string]any) {
	t.Helper()
	steps := stepsByKey(detail)[key]
	if len(steps) == 0 {
		t.Fatalf("no step %s: %s", key, detail.Raw)
	}
	last := steps[len(steps)-1]
	port, _ = last["port"].(string)
	output, _ = last["output"].(map[string]any)
	return port, output
}

// An order above the threshold waits for an approval; deciding it resumes the
// run at once on the decision's port; the decision is audited; deciding again
// is refused. A small order does not wait.
func TestApprovalDecisionResumesRun(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		for _, tc := range []struct {
			action, port, ran, skipped string
		}{
			{"approve", "approved", "ship", "hold"},
			{"reject", "rejected", "hold", "ship"},
		} {
			t.Run(tc.action, func(t *testing.T) {
				h := newHarnessWith(t, dialect, 2)
				acme := h.tenant("acme")
				flowID, hookID := h.publishFlow(acme.Token, "Big orders", approvalFlow(map[string]any{"approvers": map[string]any{"roles": []string{"admin"}}}))
				runID := h.postHook(hookID, []byte(`{"order_number":"A-1","total":5000}`), "", "").Body["run_id"].(string)
				a := h.pendingApproval(acme.Token, runID)
				if a["title"] != "Order A-1" || a["summary"] != "Total 5000" || a["flow_id"] != flowID {
					t.Errorf("approval: %v", a)
				}
				id := a["id"].(string)
				res := h.do(http.MethodPost, "/api/v1/approvals/"+id+"/"+tc.action, acme.Token, map[string]any{"comment": "checked with sales"})
				if res.Status != http.StatusOK || res.Body["status"] != tc.port {
					t.Fatalf("%s: %d %s", tc.action, res.Status, res.Raw)
				}
				detail := h.waitRun(acme.Token, runID)
				if detail.Body["run"].(map[string]any)["status"] != "succeeded" {
					t.Fatalf("run: %s", detail.Raw)
				}
				port, out := stepPort(t, detail, "ask")
				if port != tc.port || out["comment"] != "checked with sales" || !strings.HasPrefix(out["decided_by"].(string), "api_key:") || out["decided_at"] == nil {
					t.Errorf("approval step port %q output %v", port, out)
				}
				steps := stepsByKey(detail)
				if steps[tc.ran][0]["status"] != "succeeded" || steps[tc.skipped][0]["status"] != "skipped" {
					t.Errorf("%s should run and %s be skipped: %v / %v", tc.ran, tc.skipped, steps[tc.ran], steps[tc.skipped])
				}
				again := h.do(http.MethodPost, "/api/v1/approvals/"+id+"/approve", acme.Token, map[string]any{"comment": "again"})
				if again.Status != http.StatusConflict || again.errorCode() != "approval_closed" {
					t.Errorf("second decision: %d %s", again.Status, again.Raw)
				}
				got := h.do(http.MethodGet, "/api/v1/approvals/"+id, acme.Token, nil)
				if got.Body["status"] != tc.port || got.Body["comment"] != "checked with sales" {
					t.Errorf("approval after a refused second decision: %s", got.Raw)
				}
				entries, err := h.store.Tenant(acme.ID).AuditLog(context.Background(), 50)
				if err != nil {
					t.Fatal(err)
				}
				var audited int
				for _, e := range entries {
					if e.Action == "approval."+tc.action && e.TargetID == id {
						audited++
					}
				}
				if audited != 1 {
					t.Errorf("audit entries for the decision = %d, want 1", audited)
				}
				small := h.postHook(hookID, []byte(`{"order_number":"A-2","total":10}`), "", "").Body["run_id"].(string)
				if port, _ := stepPort(t, h.waitRun(acme.Token, small), "big"); port != "false" {
					t.Errorf("small order took %q", port)
				}
				if list := h.do(http.MethodGet, "/api/v1/approvals", acme.Token, nil); list.Body["total"].(float64) != 1 {
					t.Errorf("approvals after a small order: %s", list.Raw)
				}
			})
		}
	})
}

// An undecided approval applies its on_timeout action when the timeout passes.
func TestApprovalTimeoutAppliesDefault(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		onTimeout, port, ran string
	}{
		{"timed_out", "timed_out", "expired"},
		{"approve", "approved", "ship"},
	} {
		t.Run(tc.onTimeout, func(t *testing.T) {
			t.Parallel()
			h := newHarnessWith(t, "sqlite", 2)
			acme := h.tenant("acme")
			_, hookID := h.publishFlow(acme.Token, "Timeouts", approvalFlow(map[string]any{"decide_within": "1s", "on_timeout": tc.onTimeout}))
			runID := h.postHook(hookID, []byte(`{"order_number":"T-1","total":2000}`), "", "").Body["run_id"].(string)
			detail := h.waitRun(acme.Token, runID)
			port, out := stepPort(t, detail, "ask")
			if port != tc.port || out["decided_by"] != "timeout" {
				t.Fatalf("approval step port %q output %v; run %s", port, out, detail.Raw)
			}
			if stepsByKey(detail)[tc.ran][0]["status"] != "succeeded" {
				t.Errorf("%s did not run: %s", tc.ran, detail.Raw)
			}
			list := h.do(http.MethodGet, "/api/v1/approvals?status="+tc.port, acme.Token, nil)
			if list.Body["total"].(float64) != 1 {
				t.Errorf("approvals with status %s: %s", tc.port, list.Raw)
			}
			if late := h.do(http.MethodPost, "/api/v1/approvals/"+out["approval_id"].(string)+"/reject", acme.Token, nil); late.Status != http.StatusConflict {
				t.Errorf("deciding a timed-out approval: %d %s", late.Status, late.Raw)
			}
		})
	}
}

// A run waiting for an approval survives a restart: the first process stops,
// a new one on the same database takes the decision and completes the run.
func TestApprovalSurvivesRestart(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		first := newHarnessWith(t, dialect, 2)
		acme := first.tenant("acme")
		_, hookID := first.publishFlow(acme.Token, "Restart", approvalFlow(nil))
		runID := first.postHook(hookID, []byte(`{"order_number":"R-1","total":9000}`), "", "").Body["run_id"].(string)
		id := first.pendingApproval(acme.Token, runID)["id"].(string)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := first.queue.Stop(ctx); err != nil {
			t.Fatal(err)
		}
		second := harnessOn(t, first.store, func(o *app.Options) { o.Workers = 2 })
		if res := second.do(http.MethodPost, "/api/v1/approvals/"+id+"/approve", acme.Token, map[string]any{"comment": "after restart"}); res.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", res.Status, res.Raw)
		}
		detail := second.waitRun(acme.Token, runID)
		if port, _ := stepPort(t, detail, "ask"); port != "approved" || detail.Body["run"].(map[string]any)["status"] != "succeeded" {
			t.Fatalf("run after restart: %s", detail.Raw)
		}
	})
}

// Only the approvers may decide: a support user cannot approve what only
// admins may, unless named; bad requests change nothing.
func TestApprovalDeciders(t *testing.T) {
	t.Parallel()
	h := newHarnessWith(t, "sqlite", 2)
	acme := h.tenant("acme")
	_, hookID := h.publishFlow(acme.Token, "Admins only", approvalFlow(map[string]any{
		"approvers": map[string]any{"roles": []string{"admin"}, "users": []string{"Lead@acme.test"}}}))
	runID := h.postHook(hookID, []byte(`{"order_number":"S-1","total":3000}`), "", "").Body["run_id"].(string)
	id := h.pendingApproval(acme.Token, runID)["id"].(string)
	support := h.userToken(acme.ID, "support@acme.test", "support")
	lead := h.userToken(acme.ID, "lead@acme.test", "support")
	other := h.tenant("other")
	for _, tc := range []struct {
		name, path, token string
		body              any
		status            int
		code              string
	}{
		{"support role", "/approve", support, map[string]any{"comment": "ok"}, http.StatusForbidden, "not_approver"},
		{"other tenant", "/approve", other.Token, nil, http.StatusNotFound, "not_found"},
		{"unknown field", "/approve", acme.Token, map[string]any{"note": "x"}, http.StatusBadRequest, "invalid_request"},
		{"long comment", "/reject", acme.Token, map[string]any{"comment": strings.Repeat("x", 2001)}, http.StatusBadRequest, "invalid_request"},
	} {
		res := h.do(http.MethodPost, "/api/v1/approvals/"+id+tc.path, tc.token, tc.body)
		if res.Status != tc.status || res.errorCode() != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, res.Status, res.Raw, tc.status, tc.code)
		}
	}
	if got := h.do(http.MethodGet, "/api/v1/approvals/"+id, acme.Token, nil); got.Body["status"] != "pending" {
		t.Fatalf("refused decisions changed the approval: %s", got.Raw)
	}
	if res := h.do(http.MethodGet, "/api/v1/approvals?status=open", acme.Token, nil); res.Status != http.StatusBadRequest {
		t.Errorf("bad status filter: %d", res.Status)
	}
	res := h.do(http.MethodPost, "/api/v1/approvals/"+id+"/approve", lead, map[string]any{"comment": "named approver"})
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Body["decided_by"].(string), "user:") {
		t.Fatalf("named support user: %d %s", res.Status, res.Raw)
	}
	if port, _ := stepPort(t, h.waitRun(acme.Token, runID), "ask"); port != "approved" {
		t.Errorf("port %q", port)
	}
}
