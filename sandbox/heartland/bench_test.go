package heartland

import (
	"fmt"
	"io"
	"net/http"
	"testing"
)

// BenchmarkFilteredList measures filtered, paged item reads over loopback
// HTTP from parallel clients; it reports requests per second.
func BenchmarkFilteredList(b *testing.B) {
	h := newHarness(b, Options{})
	url := h.ts.URL + "/api/items?per_page=20&sort[]=price,desc&" + filterQuery(`{"price":{"$gt":10},"active?":true}`)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, url, nil)
			req.Header.Set("Authorization", "Bearer "+DefaultToken)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
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
