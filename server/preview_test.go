package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/store"
)

func TestExpressionPreview(t *testing.T) {
	h := newHarness(t, store.SQLite)
	acme := h.tenant("acme")
	order := map[string]any{"order_number": "1001", "lines": []any{map[string]any{"qty": 2}, map[string]any{"qty": 3}}}
	tests := []struct {
		name      string
		body      map[string]any
		result    string // JSON of the expected result; "" when an error is expected
		errorPart string
	}{
		{"jq over input", map[string]any{"language": "jq", "source": "[.lines[].qty] | add", "input": order}, "5", ""},
		{"jq trigger and nodes", map[string]any{"language": "jq", "source": "{n: $trigger.order_number, c: $nodes.lookup.id}",
			"trigger": order, "nodes": map[string]any{"lookup": map[string]any{"id": "C7"}}}, `{"c":"C7","n":"1001"}`, ""},
		{"jq without nodes", map[string]any{"language": "jq", "source": "$nodes", "input": nil}, `{}`, ""},
		{"jq syntax error", map[string]any{"language": "jq", "source": ".lines[", "input": order}, "", "jq syntax error"},
		{"jq run error", map[string]any{"language": "jq", "source": `error("no customer")`, "input": order}, "", "no customer"},
		{"jq endless loop is cut off", map[string]any{"language": "jq", "source": "def f: f; f", "input": 1}, "", "deadline"},
		{"expr over input and trigger", map[string]any{"language": "expr", "source": `len(input.lines) + len(trigger.order_number)`,
			"input": order, "trigger": order}, "6", ""},
		{"expr nodes", map[string]any{"language": "expr", "source": `nodes.lookup.id == "C7"`,
			"nodes": map[string]any{"lookup": map[string]any{"id": "C7"}}}, "true", ""},
		{"expr compile error", map[string]any{"language": "expr", "source": "input.(", "input": order}, "", "expr:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := h.do(http.MethodPost, "/api/v1/expressions/preview", acme.Token, tc.body)
			if res.Status != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", res.Status, res.Raw)
			}
			if tc.result != "" {
				if e, ok := res.Body["error"]; ok {
					t.Fatalf("error %v, want result %s", e, tc.result)
				}
				got, _ := json.Marshal(res.Body["result"])
				if string(got) != tc.result {
					t.Fatalf("result %s, want %s", got, tc.result)
				}
				return
			}
			msg, _ := res.Body["error"].(string)
			if !strings.Contains(msg, tc.errorPart) {
				t.Fatalf("error %q, want it to mention %q (body %s)", msg, tc.errorPart, res.Raw)
			}
			if _, ok := res.Body["result"]; ok {
				t.Fatalf("an error answer also carries a result: %s", res.Raw)
			}
		})
	}
}

func TestExpressionPreviewRejectsBadRequests(t *testing.T) {
	h := newHarness(t, store.SQLite)
	acme := h.tenant("acme")
	tests := []struct {
		name   string
		body   any
		status int
	}{
		{"unknown language", map[string]any{"language": "lua", "source": "1"}, http.StatusBadRequest},
		{"unknown field", map[string]any{"language": "jq", "source": ".", "sample": 1}, http.StatusBadRequest},
		{"too large", map[string]any{"language": "jq", "source": ".", "input": strings.Repeat("x", 40<<10)}, http.StatusRequestEntityTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if res := h.do(http.MethodPost, "/api/v1/expressions/preview", acme.Token, tc.body); res.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Raw)
			}
		})
	}
}
