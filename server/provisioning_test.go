package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/store"
)

// publishHookFlow creates and publishes webhook → map → condition and returns
// the hook's id, secret and signature header.
func (h *harness) publishHookFlow(f tenantFixture, name string) (hookID, secret, header string) {
	h.t.Helper()
	res := h.do(http.MethodPost, "/api/v1/flows", f.Token, map[string]any{"name": name, "definition": flowDoc(validNodes(), validEdges())})
	if res.Status != http.StatusCreated {
		h.t.Fatalf("create flow: %d %s", res.Status, res.Raw)
	}
	pub := h.do(http.MethodPost, "/api/v1/flows/"+res.Body["id"].(string)+"/publish", f.Token, nil)
	if pub.Status != http.StatusOK {
		h.t.Fatalf("publish: %d %s", pub.Status, pub.Raw)
	}
	hook := pub.Body["hooks"].([]any)[0].(map[string]any)
	return hook["id"].(string), hook["secret"].(string), hook["header"].(string)
}

func TestProvisioningListUpdateSuspendResume(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme, other := h.tenant("acme"), h.tenant("other")
		hookID, secret, header := h.publishHookFlow(acme, "Orders")
		body := []byte(`{"order_number":"1","total":5}`)

		list := h.do(http.MethodGet, "/api/v1/tenants", adminToken, nil)
		if ts, _ := list.Body["tenants"].([]any); list.Status != http.StatusOK || len(ts) != 2 {
			t.Fatalf("list tenants: %d %s", list.Status, list.Raw)
		}
		upd := h.do(http.MethodPatch, "/api/v1/tenants/"+acme.ID, adminToken, map[string]any{
			"name": "Acme Retail", "limits": map[string]int{"max_flows": 5, "max_runs_per_minute": 100, "max_payload_bytes": 1000}, "payload_retention_days": 30,
		})
		if upd.Status != http.StatusOK || upd.Body["name"] != "Acme Retail" || upd.Body["max_flows"].(float64) != 5 || upd.Body["payload_retention_days"].(float64) != 30 {
			t.Fatalf("update: %d %s", upd.Status, upd.Raw)
		}
		bad := h.do(http.MethodPatch, "/api/v1/tenants/"+acme.ID, adminToken, map[string]any{"status": "gone", "limits": map[string]int{"max_flows": -1}})
		if bad.Status != http.StatusBadRequest || len(problems(t, bad)) != 2 {
			t.Errorf("invalid update: %d %s, want 400 naming status and limits.max_flows", bad.Status, bad.Raw)
		}
		if got := h.do(http.MethodGet, "/api/v1/tenants/"+acme.ID, adminToken, nil); got.Body["name"] != "Acme Retail" || got.Body["status"] != "active" {
			t.Errorf("the invalid update changed the tenant: %s", got.Raw)
		}
		if got := h.do(http.MethodGet, "/api/v1/tenants/nope", adminToken, nil); got.Status != http.StatusNotFound {
			t.Errorf("unknown tenant: %d", got.Status)
		}

		if r := h.do(http.MethodPost, "/api/v1/tenants/"+acme.ID+"/suspend", adminToken, nil); r.Status != http.StatusOK || r.Body["status"] != "suspended" {
			t.Fatalf("suspend: %d %s", r.Status, r.Raw)
		}
		if r := h.postHook(hookID, body, header, hmacSign(secret, body)); r.Status != http.StatusForbidden || r.errorCode() != "tenant_suspended" {
			t.Errorf("webhook to a suspended tenant: %d %s, want 403", r.Status, r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", acme.Token, nil); r.Status != http.StatusForbidden || r.errorCode() != "tenant_suspended" {
			t.Errorf("token of a suspended tenant: %d %s, want 403", r.Status, r.Raw)
		}
		if r := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"api_key": acme.APIKey}); r.Status != http.StatusUnauthorized {
			t.Errorf("new token for a suspended tenant: %d, want 401", r.Status)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", other.Token, nil); r.Status != http.StatusOK {
			t.Errorf("suspending acme affected another tenant: %d", r.Status)
		}
		if r := h.do(http.MethodPost, "/api/v1/tenants/"+acme.ID+"/resume", adminToken, nil); r.Status != http.StatusOK || r.Body["status"] != "active" {
			t.Fatalf("resume: %d %s", r.Status, r.Raw)
		}
		if r := h.postHook(hookID, body, header, hmacSign(secret, body)); r.Status != http.StatusAccepted {
			t.Errorf("webhook after resume: %d %s", r.Status, r.Raw)
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", acme.Token, nil); r.Status != http.StatusOK {
			t.Errorf("token after resume: %d %s", r.Status, r.Raw)
		}
		audit := h.do(http.MethodGet, "/api/v1/audit", acme.Token, nil)
		if actions := auditActions(audit); !actions["tenant.suspend"] || !actions["tenant.resume"] || !actions["tenant.update"] {
			t.Errorf("audit log lacks tenant changes: %s", audit.Raw)
		}
	})
}

func TestDeleteTenantNeedsConfirmationAndRemovesData(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme, other := h.tenant("acme"), h.tenant("other")
		hookID, secret, header := h.publishHookFlow(acme, "Orders")
		h.publishHookFlow(other, "Orders")
		body := []byte(`{"order_number":"1","total":5}`)
		if r := h.postHook(hookID, body, header, hmacSign(secret, body)); r.Status != http.StatusAccepted {
			t.Fatalf("webhook: %d %s", r.Status, r.Raw)
		}
		for _, q := range []string{"", "?confirm=other", "?confirm=ACME"} {
			if r := h.do(http.MethodDelete, "/api/v1/tenants/"+acme.ID+q, adminToken, nil); r.Status != http.StatusBadRequest || r.errorCode() != "confirmation_required" {
				t.Errorf("delete with %q: %d %s, want 400 confirmation_required", q, r.Status, r.Raw)
			}
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", acme.Token, nil); r.Status != http.StatusOK {
			t.Fatalf("an unconfirmed delete removed the tenant: %d", r.Status)
		}
		if r := h.do(http.MethodDelete, "/api/v1/tenants/"+acme.ID+"?confirm=acme", adminToken, nil); r.Status != http.StatusNoContent {
			t.Fatalf("confirmed delete: %d %s", r.Status, r.Raw)
		}
		counts := h.rowsOfTenant(acme.ID)
		for table, n := range counts {
			if n != 0 {
				t.Errorf("%s still holds %d rows of the deleted tenant", table, n)
			}
		}
		if r := h.do(http.MethodGet, "/api/v1/flows", acme.Token, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("token of a deleted tenant: %d, want 401", r.Status)
		}
		if r := h.postHook(hookID, body, header, hmacSign(secret, body)); r.Status != http.StatusNotFound {
			t.Errorf("webhook of a deleted tenant: %d, want 404", r.Status)
		}
		if n := h.rowsOfTenant(other.ID); n["flows"] != 1 || n["users"] != 1 {
			t.Errorf("deleting acme touched another tenant: %v", n)
		}
	})
}

// auditActions returns the set of actions in an audit listing.
func auditActions(res response) map[string]bool {
	out := map[string]bool{}
	entries, _ := res.Body["entries"].([]any)
	for _, e := range entries {
		out[e.(map[string]any)["action"].(string)] = true
	}
	return out
}

// A suspended tenant's queued runs are held, not started and not lost: the
// worker snoozes their jobs and leaves the runs queued.
func TestSuspendedTenantsRunsAreHeld(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect) // accepts webhooks, works nothing
		acme := h.tenant("acme")
		hookID, secret, header := h.publishHookFlow(acme, "Orders")
		body := []byte(`{"order_number":"held-1","total":5}`)
		accepted := h.postHook(hookID, body, header, hmacSign(secret, body))
		if accepted.Status != http.StatusAccepted {
			t.Fatalf("webhook: %d %s", accepted.Status, accepted.Raw)
		}
		runID := accepted.Body["run_id"].(string)
		if r := h.do(http.MethodPost, "/api/v1/tenants/"+acme.ID+"/suspend", adminToken, nil); r.Status != http.StatusOK {
			t.Fatalf("suspend: %d %s", r.Status, r.Raw)
		}
		harnessOn(t, h.store, func(o *app.Options) { o.Workers = 2 }) // a worker process starts
		ctx := context.Background()
		ts := h.store.Tenant(acme.ID)
		run, err := ts.Run(ctx, runID)
		if err != nil || run.JobID == nil {
			t.Fatalf("run %s: %+v %v", runID, run, err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var state string
			if err := h.store.SQL().QueryRowContext(ctx, fmt.Sprintf("SELECT state FROM river_job WHERE id = %d", *run.JobID)).Scan(&state); err != nil {
				t.Fatal(err)
			}
			if state == "scheduled" {
				break // snoozed by the worker
			}
			if time.Now().After(deadline) {
				t.Fatalf("the job of a suspended tenant's run is %s, want scheduled (held)", state)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if run, _ := ts.Run(ctx, runID); run.Status != store.RunQueued || run.Attempt != 0 {
			t.Fatalf("held run is %s at attempt %d, want queued at 0", run.Status, run.Attempt)
		}
	})
}
