package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/app"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/server"
)

// postHookHeaders delivers a webhook with extra headers; a Retry-After
// answer header shows as body field "retry_after".
func (h *harness) postHookHeaders(hookID string, body []byte, headers map[string]string) response {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/hooks/"+hookID, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := h.srv.App().Test(req, 30_000)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{Status: res.StatusCode, Raw: string(raw)}
	json.Unmarshal(raw, &out.Body)
	h.checkResponse(http.MethodPost, "/hooks/"+hookID, out)
	if ra := res.Header.Get("Retry-After"); ra != "" && out.Body != nil {
		out.Body["retry_after"] = ra
	}
	return out
}

func TestWebhookTimestampTolerance(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	hookID, secret, header := h.publishHookFlow(acme, "Orders")
	now := time.Now()
	for i, tc := range []struct {
		name   string
		stamp  time.Time
		signTS bool // sign "ts.body" (true) or the body alone (false)
		want   int
	}{
		{"fresh", now, true, http.StatusAccepted},
		{"4 minutes old", now.Add(-4 * time.Minute), true, http.StatusAccepted},
		{"6 minutes old", now.Add(-6 * time.Minute), true, http.StatusUnauthorized},
		{"6 minutes ahead", now.Add(6 * time.Minute), true, http.StatusUnauthorized},
		{"stamp not covered by the signature", now, false, http.StatusUnauthorized},
	} {
		body := []byte(`{"order_number":"` + strconv.Itoa(i) + `","total":1}`)
		ts := strconv.FormatInt(tc.stamp.Unix(), 10)
		signed := body
		if tc.signTS {
			signed = append([]byte(ts+"."), body...)
		}
		r := h.postHookHeaders(hookID, body, map[string]string{header: hmacSign(secret, signed), server.TimestampHeader: ts})
		if r.Status != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, r.Status, r.Raw, tc.want)
		}
	}
	body := []byte(`{"order_number":"x","total":1}`)
	if r := h.postHookHeaders(hookID, body, map[string]string{header: hmacSign(secret, body), server.TimestampHeader: "yesterday"}); r.errorCode() != "stale_timestamp" {
		t.Errorf("unparsable timestamp: %d %s", r.Status, r.Raw)
	}
}

func TestWebhookSecretRotationGrace(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	hookID, oldSecret, header := h.publishHookFlow(acme, "Orders")
	deliver := func(n int, secret string) int {
		body := []byte(`{"order_number":"r` + strconv.Itoa(n) + `","total":1}`)
		return h.postHook(hookID, body, header, hmacSign(secret, body)).Status
	}
	rot := h.do(http.MethodPost, "/api/v1/hooks/"+hookID+"/secret", acme.Token, map[string]any{"grace_seconds": 3600})
	if rot.Status != http.StatusOK {
		t.Fatalf("rotate: %d %s", rot.Status, rot.Raw)
	}
	newSecret := rot.Body["secret"].(string)
	if deliver(1, newSecret) != http.StatusAccepted || deliver(2, oldSecret) != http.StatusAccepted {
		t.Fatal("during the grace period both secrets must be accepted")
	}
	if got := deliver(3, "not-the-secret-at-all"); got != http.StatusUnauthorized {
		t.Errorf("a wrong secret during the grace period: %d", got)
	}
	rot = h.do(http.MethodPost, "/api/v1/hooks/"+hookID+"/secret", acme.Token, map[string]any{"grace_seconds": 0})
	if rot.Status != http.StatusOK {
		t.Fatalf("rotate without grace: %d %s", rot.Status, rot.Raw)
	}
	if deliver(4, newSecret) != http.StatusUnauthorized || deliver(5, oldSecret) != http.StatusUnauthorized {
		t.Error("secrets rotated out without grace are still accepted")
	}
	if deliver(6, rot.Body["secret"].(string)) != http.StatusAccepted {
		t.Error("the newest secret is refused")
	}
	if r := h.do(http.MethodPost, "/api/v1/hooks/"+hookID+"/secret", acme.Token, map[string]any{"grace_seconds": -1}); r.Status != http.StatusBadRequest {
		t.Errorf("negative grace: %d", r.Status)
	}
}

func TestTenantQuotas(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		t.Parallel()
		h := newHarness(t, dialect)
		acme := h.tenant("acme")
		hookID, secret, header := h.publishHookFlow(acme, "Orders")
		upd := h.do(http.MethodPatch, "/api/v1/tenants/"+acme.ID, adminToken, map[string]any{
			"limits": map[string]int{"max_flows": 1, "max_runs_per_minute": 3, "max_payload_bytes": 200}})
		if upd.Status != http.StatusOK {
			t.Fatalf("set limits: %d %s", upd.Status, upd.Raw)
		}
		big := []byte(`{"order_number":"big","total":1,"pad":"` + string(bytes.Repeat([]byte("x"), 300)) + `"}`)
		if r := h.postHook(hookID, big, header, hmacSign(secret, big)); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("payload over the tenant's limit: %d %s, want 413", r.Status, r.Raw)
		}
		for i := range 3 {
			body := []byte(`{"order_number":"q` + strconv.Itoa(i) + `","total":1}`)
			if r := h.postHook(hookID, body, header, hmacSign(secret, body)); r.Status != http.StatusAccepted {
				t.Fatalf("run %d within the quota: %d %s", i+1, r.Status, r.Raw)
			}
		}
		body := []byte(`{"order_number":"q9","total":1}`)
		r := h.postHookHeaders(hookID, body, map[string]string{header: hmacSign(secret, body)})
		if r.Status != http.StatusTooManyRequests || r.errorCode() != "quota_exceeded" || r.Body["retry_after"] != "20" {
			t.Errorf("run over the quota: %d %s, want 429 with Retry-After 20", r.Status, r.Raw)
		}
		// Another API process on the same database shares the quota.
		other := harnessOn(t, h.store, func(*app.Options) {})
		if r := other.postHook(hookID, body, header, hmacSign(secret, body)); r.Status != http.StatusTooManyRequests || r.errorCode() != "quota_exceeded" {
			t.Errorf("run over the quota through a second process: %d %s, want 429", r.Status, r.Raw)
		}
		if runs := h.do(http.MethodGet, "/api/v1/runs", acme.Token, nil); runs.Body["total"].(float64) != 3 {
			t.Errorf("refused deliveries created runs: %s", runs.Raw)
		}
		if r := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "Second", "definition": flowDoc(validNodes(), validEdges())}); r.Status != http.StatusForbidden || r.errorCode() != "quota_exceeded" {
			t.Errorf("flow over max_flows: %d %s, want 403 quota_exceeded", r.Status, r.Raw)
		}
	})
}

func TestLoginIsThrottled(t *testing.T) {
	h := newHarness(t, "sqlite")
	acme := h.tenant("acme")
	wrong := map[string]string{"email": acme.Email, "password": "wrong password 123"}
	var last response
	for range 12 {
		last = h.do(http.MethodPost, "/api/v1/auth/token", "", wrong)
	}
	if last.Status != http.StatusTooManyRequests || last.errorCode() != "rate_limited" {
		t.Fatalf("12th wrong password: %d %s, want 429", last.Status, last.Raw)
	}
	if r := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"email": acme.Email, "password": acme.Password}); r.Status != http.StatusTooManyRequests {
		t.Errorf("the right password while throttled: %d, want 429", r.Status)
	}

	// Guessing API keys: each guess is another account, the address is the same.
	refused := 0
	for i := range 70 {
		r := h.do(http.MethodPost, "/api/v1/auth/token", "", map[string]string{"api_key": "bwk_guess" + strconv.Itoa(1000+i) + "-0123456789"})
		if r.Status == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused < 5 {
		t.Errorf("70 key guesses from one address: %d refused, want the address limit to refuse the last ones", refused)
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHarness(t, "sqlite")
	for _, path := range []string{"/", "/api/v1/openapi.json", "/healthz", "/api/v1/flows"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Origin", "https://evil.example")
		res, err := h.srv.App().Test(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
		} {
			if got := res.Header.Get(header); got != want {
				t.Errorf("%s %s: %q, want %q", path, header, got, want)
			}
		}
		csp := res.Header.Get("Content-Security-Policy")
		for _, part := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
			if !bytes.Contains([]byte(csp), []byte(part)) {
				t.Errorf("%s CSP %q lacks %q", path, csp, part)
			}
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s allows cross-origin reads from %q", path, got)
		}
	}
}
