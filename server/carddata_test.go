package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/testdb"
)

// Card numbers planted in a webhook (as strings, grouped, and as a bare JSON
// number) and a CVV never reach the database or the logs, on either
// database; nor does a connection's secret.
func TestCardDataNeverStored(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		h := newHarnessWith(t, dialect, 2)
		acme := h.tenant("acme")
		const connSecret = "plaintext-connection-secret-7731"
		if r := h.do(http.MethodPost, "/api/v1/connections", acme.Token, map[string]any{
			"name": "Heartland", "type": "heartland",
			"config":  map[string]any{"base_url": "https://acme.retail.heartland.us"},
			"secrets": map[string]string{"api_token": connSecret},
		}); r.Status != http.StatusCreated {
			t.Fatalf("create connection: %d %s", r.Status, r.Raw)
		}
		target := newSink(t)
		nodes := append(validNodes(), node("send", "http", map[string]any{
			"method": "POST", "url": target.srv.URL + "/pay", "body": "{po: .po, card: .card}",
		}))
		nodes[1] = node("shape", "map", map[string]any{"jq": "{po: .order_number, total: .total, card: .payment.card_number, raw: .payment}"})
		edges := append(validEdges(), edge("big", "send", "true"))
		res := h.do(http.MethodPost, "/api/v1/flows", acme.Token, map[string]any{"name": "Payments", "definition": flowDoc(nodes, edges)})
		if res.Status != http.StatusCreated {
			t.Fatalf("create flow: %d %s", res.Status, res.Raw)
		}
		pub := h.do(http.MethodPost, "/api/v1/flows/"+res.Body["id"].(string)+"/publish", acme.Token, nil)
		hook := pub.Body["hooks"].([]any)[0].(map[string]any)
		body := []byte(`{"order_number":"10234","total":250,"payment":{"card_number":"4111111111111111",` +
			`"backup":"5500 0055 5555 5559","numeric":378282246310005,"cvv":"9183","note":"paid with 6011111111111117"}}`)
		accepted := h.postHook(hook["id"].(string), body, hook["header"].(string), hmacSign(hook["secret"].(string), body))
		if accepted.Status != http.StatusAccepted {
			t.Fatalf("webhook: %d %s", accepted.Status, accepted.Raw)
		}
		select {
		case got := <-target.bodies:
			if strings.Contains(string(got), "4111111111111111") {
				t.Errorf("the flow received the full card number: %s", got)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the flow never reached the target")
		}
		detail := h.waitRun(acme.Token, accepted.Body["run_id"].(string))
		if detail.Body["run"].(map[string]any)["status"] != "succeeded" {
			t.Fatalf("run: %s", detail.Raw)
		}

		db := h.dumpDatabase()
		logs := h.logs.String()
		for _, leak := range []string{"4111111111111111", "5500 0055 5555 5559", "5500005555555559", "378282246310005", "6011111111111117",
			`"cvv":"9183"`, `"cvv": "9183"`, connSecret} {
			if i := strings.Index(db, leak); i >= 0 {
				t.Errorf("the database holds %q: …%s…", leak, db[max(0, i-80):min(len(db), i+40)])
			}
			if strings.Contains(logs, leak) {
				t.Errorf("the logs hold %q", leak)
			}
		}
		if !strings.Contains(db, "************1111") || !strings.Contains(db, "[REDACTED]") {
			t.Error("the masked forms are missing: was the run stored at all?")
		}
	})
}
