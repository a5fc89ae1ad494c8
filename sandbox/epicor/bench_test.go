package epicor

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/bridgework/bridgework/sandbox/internal/apitest"
)

// BenchmarkFilteredQuery measures $filter/$select/$expand reads over
// loopback HTTP from parallel clients; it reports requests per second.
func BenchmarkFilteredQuery(b *testing.B) {
	h := newHarness(b, Options{})
	url := h.ts.URL + odataBase + "Erp.BO.PartSvc/Parts?$top=20&$select=PartNum,UnitPrice&$expand=PartWhses($select=WarehouseCode,OnHandQty)&$filter=" +
		q("UnitPrice gt 10 and (startswith(PartNum,'SKU') or contains(PartDescription,'Mug'))")
	apitest.Parallel(b, func() *http.Request {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		defaultAuth.apply(req)
		return req
	})
}

// BenchmarkCreateOrderLine measures sales order line creation (a new
// order every 20 lines, whose creation is included).
func BenchmarkCreateOrderLine(b *testing.B) {
	h := newHarness(b, Options{})
	var order int
	b.ResetTimer()
	for i := range b.N {
		if i%20 == 0 {
			order = newOrder(b, h, fmt.Sprint("BENCH-", i))
		}
		r := h.do(b, "POST", linesPath, fmt.Sprintf(`{"Company":"EPIC06","OrderNum":%d,"PartNum":"SKU-10%02d","OrderQty":1}`, order, 1+i%50))
		if r.status != http.StatusCreated {
			b.Fatalf("status %d %s", r.status, r.raw)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
