package heartland

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/bridgework/bridgework/sandbox/internal/apitest"
)

// BenchmarkFilteredList measures filtered, paged item reads over loopback
// HTTP from parallel clients; it reports requests per second.
func BenchmarkFilteredList(b *testing.B) {
	h := newHarness(b, Options{})
	url := h.ts.URL + "/api/items?per_page=20&sort[]=price,desc&" + filterQuery(`{"price":{"$gt":10},"active?":true}`)
	apitest.Parallel(b, func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		return req
	})
}

// BenchmarkCreateOrder measures order creation with one line.
func BenchmarkCreateOrder(b *testing.B) {
	h := newHarness(b, Options{})
	b.ResetTimer()
	for i := range b.N {
		r := h.do(b, "POST", "/api/sales/orders", fmt.Sprintf(`{"customer_id":100101,"station_id":100011,"source_location_id":100001,"public_id":"B-%d","lines":[{"item_id":100501,"qty":1}]}`, i))
		if r.status != http.StatusCreated {
			b.Fatalf("status %d", r.status)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
