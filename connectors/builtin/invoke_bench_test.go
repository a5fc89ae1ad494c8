package builtin_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/builtin"
)

// BenchmarkInvoke measures the overhead of one connector call through the
// Invoker (input checks, the cached client, the HTTP layer, decoding the
// answer) against a local server answering at once.
func BenchmarkInvoke(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"OrderNum":5001,"PONum":"HL-100001","OrderDtl":[{"OrderLine":1,"PartNum":"SKU-1001"}]}`))
	}))
	defer srv.Close()
	iv := connectors.NewInvoker(builtin.Registry(), connectors.Env{Transport: http.DefaultTransport})
	conn := connectors.Connection{ID: "bench", Type: "http", Config: map[string]any{"base_url": srv.URL, "rate_limit_per_second": 0}}
	input := map[string]any{"method": "POST", "path": "/orders",
		"body": map[string]any{"PONum": "HL-100001", "OrderDtl": []any{map[string]any{"PartNum": "SKU-1001", "SellingQuantity": 5}}}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := iv.Invoke(ctx, conn, "request", input)
		if err != nil {
			b.Fatal(err)
		}
		if status := fmt.Sprint(out.(map[string]any)["status"]); status != "200" {
			b.Fatalf("status %s, want 200", status)
		}
	}
}
