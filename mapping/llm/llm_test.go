package llm

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/mapping"
)

// fakeModel speaks the chat completions protocol and answers with content.
func fakeModel(t *testing.T, content string, status int) (*httptest.Server, *chatRequest) {
	t.Helper()
	var got chatRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Header.Get("Authorization") != "Bearer k-123" {
			http.Error(w, "wrong path or key", http.StatusUnauthorized)
			return
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": content}}}})
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func suggestion(t *testing.T) mapping.Result {
	t.Helper()
	res, err := mapping.Suggest(mapping.Request{
		SourceSamples: []any{map[string]any{"unit_price": 3.5, "original_unit_price": 4.0, "qty": 2.0}},
		Target:        mapping.Target{Samples: []any{map[string]any{"DocUnitPrice": 1.25, "SellingQuantity": 1.0}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRerankReordersThroughTheModel(t *testing.T) {
	t.Parallel()
	res := suggestion(t)
	var price mapping.Suggestion
	for _, s := range res.Suggestions {
		if s.Target == "DocUnitPrice" {
			price = s
		}
	}
	if price.Source != "unit_price" || len(price.Alternatives) == 0 {
		t.Fatalf("deterministic suggestion = %+v", price)
	}
	srv, got := fakeModel(t, `{"order":[1,0],"reasons":["list price is what the ERP expects","the sold price"]}`, http.StatusOK)
	c := New(Config{URL: srv.URL + "/v1", Model: "local-model", APIKey: "k-123"})
	out, err := mapping.Rerank(context.Background(), res, c)
	if err != nil {
		t.Fatal(err)
	}
	if got.Model != "local-model" || len(got.Messages) != 2 || !strings.Contains(got.Messages[1].Content, "DocUnitPrice") {
		t.Fatalf("request sent = %+v", got)
	}
	for _, s := range out.Suggestions {
		if s.Target == "DocUnitPrice" {
			if s.Source != price.Alternatives[0].Source || !strings.HasPrefix(s.Reason, "list price is what") {
				t.Fatalf("reranked = %+v", s)
			}
		}
	}
	if !strings.Contains(out.JQ, "original_unit_price") {
		t.Fatalf("program not rebuilt from the new choice:\n%s", out.JQ)
	}
}

func TestRerankRejectsBadAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, content string
		status        int
	}{
		{"not json", "I think unit_price", http.StatusOK},
		{"not a permutation", `{"order":[0,0]}`, http.StatusOK},
		{"server error", `{}`, http.StatusInternalServerError},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := suggestion(t)
			srv, _ := fakeModel(t, tc.content, tc.status)
			out, err := mapping.Rerank(context.Background(), res, New(Config{URL: srv.URL + "/v1", Model: "m", APIKey: "k-123"}))
			if err == nil {
				t.Fatal("accepted a bad answer")
			}
			if out.JQ != res.JQ {
				t.Fatal("a failed rerank changed the result")
			}
		})
	}
}

func TestDisabledByDefault(t *testing.T) {
	t.Parallel()
	if New(Config{}) != nil || New(Config{URL: "http://x"}) != nil {
		t.Fatal("a client without URL and model must be nil")
	}
}
