package heartland

import (
	"strings"
	"testing"

	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/internal/apitest"
)

// TestContract pins the response shapes of the main endpoints to the
// reference: collections, bare single resources, 201 + Location with an
// empty body, and the error body, also for a throttled request.
func TestContract(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tests := []struct {
		name, method, path, token, body string
	}{
		{"items_list", "GET", "/api/items?per_page=2&sort[]=id", DefaultToken, ""},
		{"item_get", "GET", "/api/items/100501", DefaultToken, ""},
		{"locations_with_stations", "GET", "/api/locations?per_page=1&_include[]=stations", DefaultToken, ""},
		{"customer_get", "GET", "/api/customers/100101", DefaultToken, ""},
		{"inventory_values", "GET", "/api/inventory/values?per_page=2&" + filterQuery(`{"item_id":100501}`), DefaultToken, ""},
		{"payment_types", "GET", "/api/payment_types?per_page=all", DefaultToken, ""},
		{"whoami", "GET", "/api/system/whoami", DefaultToken, ""},
		{"order_create", "POST", "/api/sales/orders", DefaultToken,
			`{"customer_id":100101,"station_id":100011,"source_location_id":100001,"public_id":"EPI-SO-88120","lines":[{"item_lookup":"SKU-1001","qty":1,"ship_from_location_id":100002}]}`},
		{"order_get", "GET", "/api/sales/orders/100001?_include[]=lines", DefaultToken, ""},
		{"webhook_create", "POST", "/api/webhooks", DefaultToken, `{"url":"https://hooks.example.com/hr?secret=x","events":["sales_transaction_completed"]}`},
		{"error_validation", "POST", "/api/items", DefaultToken, `{"cost":"free"}`},
		{"error_bad_filter", "GET", "/api/sales/tickets?_filter=" + strings.ReplaceAll(`{"voided?":false}`, `"`, "%22"), DefaultToken, ""},
		{"error_not_found", "GET", "/api/items/1", DefaultToken, ""},
		{"error_unauthorized", "GET", "/api/items", "wrong", ""},
	}
	for _, tt := range tests { // sequential: order_get reads order_create's order
		req := apitest.NewRequest(t, tt.method, h.ts.URL+tt.path, tt.body)
		req.Header.Set("Authorization", "Bearer "+tt.token)
		apitest.Golden(t, tt.name, req, h.ts.URL, "Location", "Content-Type")
	}
	if err := h.srv.Faults().Set(fault.Config{FailNext: []fault.Failure{{Status: 429, RetryAfterSeconds: 2}}}); err != nil {
		t.Fatal(err)
	}
	req := apitest.NewRequest(t, "GET", h.ts.URL+"/api/items", "")
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	apitest.Golden(t, "error_rate_limited", req, h.ts.URL, "Content-Type", "Retry-After")
}
