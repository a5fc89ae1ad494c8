package server_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Arbitrary webhook bodies never crash the receiver or make it fail with a
// server error, and a body that is not JSON never starts a run.
func FuzzWebhookBody(f *testing.F) {
	for _, seed := range []string{`{"order_number":"1"}`, `{}`, `[]`, `null`, `{"a":`, "\x00\xff", `{"order_number":{"$gt":1}}`, `"str"`, `1e999`} {
		f.Add([]byte(seed))
	}
	h := newHarness(f, "sqlite") // one server for every input, alive as long as the fuzz target
	acme := h.tenant("acme")
	token := acme.Token
	def := flowDoc([]map[string]any{node("hook", "trigger.webhook", map[string]any{"auth": map[string]any{"mode": "none"}, "dedupe_key": ".order_number"})}, nil)
	_, hookID := h.publishFlow(acme.Token, "Fuzz", def)
	f.Fuzz(func(t *testing.T, body []byte) {
		h.t = t
		before := h.do(http.MethodGet, "/api/v1/runs", token, nil).Body["total"].(float64)
		req := httptest.NewRequest(http.MethodPost, "/hooks/"+hookID, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := h.srv.App().Test(req, 10_000)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Fatalf("body %q: status %d", body, res.StatusCode)
		}
		after := h.do(http.MethodGet, "/api/v1/runs", token, nil).Body["total"].(float64)
		if !json.Valid(body) && after != before {
			t.Fatalf("body %q is not JSON but started a run", body)
		}
	})
}

// Arbitrary flow documents are either saved (201) or refused with a 400
// naming what is wrong; never a crash or a server error.
func FuzzFlowSave(f *testing.F) {
	for _, seed := range []string{
		`{"nodes":[{"id":"t","type":"trigger.webhook","config":{"auth":{"mode":"none"}}}],"edges":[]}`,
		`{"nodes":[{"id":"t","type":"trigger.webhook","config":{}},{"id":"m","type":"map","config":{"jq":"{"}}],"edges":[{"from":"t","to":"m"},{"from":"m","to":"t"}]}`,
		`{"nodes":[],"edges":[{"from":"a","to":"b","port":"x"}]}`, `{}`, `[]`, `null`, `{"nodes":"x"}`,
		`{"nodes":[{"id":"c","type":"condition","config":{"expression":"input."}}]}`,
	} {
		f.Add([]byte(seed))
	}
	h := newHarness(f, "sqlite")
	token := h.tenant("acme").Token
	f.Fuzz(func(t *testing.T, def []byte) {
		h.t = t
		if !json.Valid(def) {
			def, _ = json.Marshal(string(def)) // still a JSON request, with a nonsense definition
		}
		body := []byte(`{"name":"fuzzed","definition":` + string(def) + `}`)
		res := h.doWith(http.MethodPost, "/api/v1/flows", token, "application/json", string(body))
		switch res.Status {
		case http.StatusCreated:
		case http.StatusBadRequest:
			if res.errorCode() == "" {
				t.Fatalf("definition %s: 400 without an error code: %s", def, res.Raw)
			}
		default:
			t.Fatalf("definition %s: status %d %s", def, res.Status, res.Raw)
		}
	})
}
