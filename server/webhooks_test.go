package server_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
)

// sink is a local HTTP server that records the bodies posted to it.
type sink struct {
	srv    *httptest.Server
	bodies chan []byte
}

func newSink(t *testing.T) *sink {
	s := &sink{bodies: make(chan []byte, 100)}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.bodies <- b
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func hmacSign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// postHook delivers a webhook with an optional signature.
func (h *harness) postHook(hookID string, body []byte, header, signature string) response {
	h.t.Helper()
	headers := map[string]string{}
	if signature != "" {
		headers[header] = signature
	}
	return h.postHookHeaders(hookID, body, headers)
}

// waitRun polls the runs API until the run settles or the deadline passes.
func (h *harness) waitRun(token, runID string) response {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := h.do(http.MethodGet, "/api/v1/runs/"+runID, token, nil)
		if run, ok := res.Body["run"].(map[string]any); ok {
			switch run["status"] {
			case "succeeded", "failed", "cancelled":
				return res
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("run %s did not settle within 30s: %s", runID, res.Raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The whole path on both databases: a flow created and published through the
// API; a signed webhook runs webhook → map → condition → http against a local
// server; the run and its steps are visible; unsigned, wrongly signed and
// re-delivered webhooks start nothing.
func TestWebhookToHTTPEndToEnd(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 4)
		acme := h.tenant("acme")
		target := newSink(t)
		nodes := append(validNodes(), node("send", "http", map[string]any{
			"method": "POST", "url": target.srv.URL + "/orders", "body": "{PONum: .po, Total: .total}",
		}))
		edges := append(validEdges(), edge("big", "send", "true"))
		res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "Orders", "definition": flowDoc(nodes, edges)})
		if res.Status != http.StatusCreated {
			t.Fatalf("create flow: %d %s", res.Status, res.Raw)
		}
		pub := h.do(http.MethodPost, "/api/v1/flows/"+res.Body["id"].(string)+"/publish", acme.Token, nil)
		if pub.Status != http.StatusOK {
			t.Fatalf("publish: %d %s", pub.Status, pub.Raw)
		}
		hook := pub.Body["hooks"].([]any)[0].(map[string]any)
		hookID, secret, header := hook["id"].(string), hook["secret"].(string), hook["header"].(string)

		body := []byte(`{"order_number":"10234","total":250.5}`)
		if r := h.postHook(hookID, body, header, ""); r.Status != http.StatusUnauthorized {
			t.Errorf("unsigned webhook: %d %s, want 401", r.Status, r.Raw)
		}
		if r := h.postHook(hookID, body, header, hmacSign("wrong-secret", body)); r.Status != http.StatusUnauthorized {
			t.Errorf("wrongly signed webhook: %d %s, want 401", r.Status, r.Raw)
		}
		if r := h.postHook(hookID, []byte(`{"order_number":"10234","total":9999}`), header, hmacSign(secret, body)); r.Status != http.StatusUnauthorized {
			t.Errorf("signature of another body: %d, want 401", r.Status)
		}
		if r := h.do(http.MethodGet, "/api/v1/runs", acme.Token, nil); r.Body["total"].(float64) != 0 {
			t.Fatalf("rejected webhooks created runs: %s", r.Raw)
		}

		accepted := h.postHook(hookID, body, header, hmacSign(secret, body))
		if accepted.Status != http.StatusAccepted {
			t.Fatalf("signed webhook: %d %s", accepted.Status, accepted.Raw)
		}
		runID := accepted.Body["run_id"].(string)
		select {
		case got := <-target.bodies:
			if string(got) != `{"PONum":"10234","Total":250.5}` {
				t.Errorf("target received %s", got)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the target never received the mapped body")
		}
		detail := h.waitRun(acme.Token, runID)
		run := detail.Body["run"].(map[string]any)
		if run["status"] != "succeeded" || run["business_key"] != "10234" {
			t.Fatalf("run: %s", detail.Raw)
		}
		steps := map[string]map[string]any{}
		for _, s := range detail.Body["steps"].([]any) {
			m := s.(map[string]any)
			steps[m["node_id"].(string)] = m
		}
		for _, id := range []string{"hook", "shape", "big", "send"} {
			if steps[id]["status"] != "succeeded" {
				t.Errorf("step %s: %v", id, steps[id])
			}
		}
		if out := steps["send"]["output"].(map[string]any); out["status"].(float64) != 200 {
			t.Errorf("http step output: %v", out)
		}

		again := h.postHook(hookID, body, header, hmacSign(secret, body))
		if again.Status != http.StatusOK || again.Body["duplicate"] != true || again.Body["run_id"] != runID {
			t.Errorf("re-delivery: %d %s, want 200 duplicate of %s", again.Status, again.Raw, runID)
		}
		list := h.do(http.MethodGet, "/api/v1/runs?business_key=10234", acme.Token, nil)
		if list.Body["total"].(float64) != 1 {
			t.Errorf("runs for order 10234: %s", list.Raw)
		}
		if r := h.postHook(hookID, []byte(`not json`), header, hmacSign(secret, []byte(`not json`))); r.Status != http.StatusBadRequest {
			t.Errorf("signed non-JSON body: %d", r.Status)
		}
		if r := h.postHook("no-such-hook", body, header, hmacSign(secret, body)); r.Status != http.StatusNotFound {
			t.Errorf("unknown hook: %d", r.Status)
		}
		other := h.tenant("other")
		if r := h.do(http.MethodGet, "/api/v1/runs/"+runID, other.Token, nil); r.Status != http.StatusNotFound {
			t.Errorf("another tenant reads the run: %d", r.Status)
		}
		if r := h.do(http.MethodGet, "/api/v1/runs", other.Token, nil); r.Body["total"].(float64) != 0 {
			t.Errorf("another tenant lists runs: %s", r.Raw)
		}
	})
}
