package heartland

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/sandbox/fault"
)

// stockOf reads one inventory value row through the API.
func stockOf(tb testing.TB, h *harness, item, loc int) map[string]any {
	tb.Helper()
	r := h.do(tb, "GET", "/api/inventory/values?"+filterQuery(fmt.Sprintf(`{"item_id":%d,"location_id":%d}`, item, loc)), nil).want(tb, 200)
	rows := results(r)
	if len(rows) != 1 {
		tb.Fatalf("inventory rows for item %d at %d: %s", item, loc, r.raw)
	}
	return rows[0].(map[string]any)
}

func TestCreateReturns201WithLocation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	r := h.do(t, "POST", "/api/items", map[string]any{"description": "Teal Mug", "cost": 4.5, "price": 12,
		"public_id": "SKU-NEW", "custom@color": "teal"}).want(t, http.StatusCreated)
	if len(r.raw) != 0 {
		t.Errorf("create body = %q, want empty", r.raw)
	}
	if loc := r.header.Get("Location"); !strings.HasPrefix(loc, h.ts.URL+"/api/items/") {
		t.Fatalf("Location = %q, want an absolute item URL", loc)
	}
	got := h.do(t, "GET", "/api/items/"+r.createdID(t), nil).want(t, 200)
	if got.body["public_id"] != "SKU-NEW" || got.body["custom"].(map[string]any)["color"] != "teal" || got.body["active?"] != true {
		t.Fatalf("created item = %s", got.raw)
	}
	found := h.do(t, "GET", "/api/items?"+filterQuery(`{"public_id":"SKU-NEW"}`), nil).want(t, 200)
	if len(results(found)) != 1 {
		t.Fatalf("find by public_id: %s", found.raw)
	}
	upd := h.do(t, "PUT", "/api/items/"+r.createdID(t), map[string]any{"price": 14.0, "custom": map[string]any{"size": "L"}}).want(t, 200)
	c := upd.body["custom"].(map[string]any)
	if upd.body["price"] != 14.0 || c["size"] != "L" || c["color"] != "teal" {
		t.Fatalf("update merged wrongly: %s", upd.raw)
	}
	withBody := newHarness(t, Options{CreateBody: true})
	r = withBody.do(t, "POST", "/api/customers", map[string]any{"first_name": "A", "last_name": "B"}).want(t, http.StatusCreated)
	if r.body["name"] != "A B" {
		t.Errorf("CreateBody: body %s, want the customer", r.raw)
	}
}

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tests := []struct {
		name, method, path string
		body               any
		field              string
	}{
		{"item without description", "POST", "/api/items", map[string]any{"cost": 1}, "description"},
		{"item without cost", "POST", "/api/items", map[string]any{"description": "x"}, "cost"},
		{"item cost not a number", "POST", "/api/items", map[string]any{"description": "x", "cost": "abc"}, "cost"},
		{"item blank description on update", "PUT", "/api/items/100501", map[string]any{"description": "  "}, "description"},
		{"customer without last name", "POST", "/api/customers", map[string]any{"first_name": "A"}, "last_name"},
		{"address bad country", "POST", "/api/customers/100101/addresses", map[string]any{"line_1": "1 A St", "city": "X", "country": "USA"}, "country"},
		{"order unknown customer", "POST", "/api/sales/orders", map[string]any{"customer_id": 1, "station_id": 100011, "source_location_id": 100001}, "customer_id"},
		{"order missing station", "POST", "/api/sales/orders", map[string]any{"customer_id": 100101, "source_location_id": 100001}, "station_id"},
		{"order unknown item", "POST", "/api/sales/orders", map[string]any{"customer_id": 100101, "station_id": 100011,
			"source_location_id": 100001, "lines": []any{map[string]any{"item_lookup": "NOPE", "qty": 1}}}, "lines[0].item_lookup"},
		{"order zero qty", "POST", "/api/sales/orders", map[string]any{"customer_id": 100101, "station_id": 100011,
			"source_location_id": 100001, "lines": []any{map[string]any{"item_id": 100501, "qty": 0}}}, "lines[0].qty"},
		{"ticket unknown item", "POST", "/api/sales/tickets", map[string]any{"station_id": 100011,
			"item_lines": []any{map[string]any{"item_id": 1, "qty": 1}}}, "item_lines[0].item_id"},
		{"ticket payment without amount", "POST", "/api/sales/tickets", map[string]any{"station_id": 100011,
			"payments": []any{map[string]any{"payment_type_id": 100201}}}, "payments[0].amount"},
		{"webhook bad url", "POST", "/api/webhooks", map[string]any{"url": "ftp://x", "events": []any{"item_created"}}, "url"},
		{"webhook unknown event", "POST", "/api/webhooks", map[string]any{"url": "http://x.test/h", "events": []any{"order_shipped"}}, "events"},
		{"adjustment unknown location", "POST", "/api/inventory/adjustment_sets", map[string]any{"location_id": 5}, "location_id"},
		{"adjustment fractional qty of a whole-unit item", "POST", "/api/inventory/adjustment_sets", map[string]any{"location_id": 100001,
			"lines": []any{map[string]any{"item_id": 100501, "qty": 1}, map[string]any{"item_id": 100502, "qty": 2.5}}}, "lines[1].qty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := h.do(t, tt.method, tt.path, tt.body).want(t, http.StatusBadRequest)
			details, _ := r.body["details"].(map[string]any)
			if r.body["error"] != "validation_error" || details[tt.field] == nil {
				t.Fatalf("body %s, want validation_error with details.%s", r.raw, tt.field)
			}
		})
	}
	// Nothing was created by the failed calls.
	if n := h.do(t, "GET", "/api/sales/orders", nil).body["total"].(float64); n != 0 {
		t.Errorf("orders after failed creates = %v, want 0", n)
	}
	unprocessable := newHarness(t, Options{ValidationStatus: http.StatusUnprocessableEntity})
	unprocessable.do(t, "POST", "/api/items", map[string]any{}).want(t, http.StatusUnprocessableEntity)
}

func TestNotFoundAndMalformed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	for _, path := range []string{"/api/items/999", "/api/customers/abc", "/api/sales/orders/1", "/api/nothing"} {
		if r := h.do(t, "GET", path, nil); r.status != http.StatusNotFound || r.body["error"] != "not_found" {
			t.Errorf("GET %s: %d %s, want 404 not_found", path, r.status, r.raw)
		}
	}
	r := h.do(t, "POST", "/api/items", "{not json").want(t, http.StatusBadRequest)
	if r.body["error"] != "invalid_request" {
		t.Errorf("malformed body: %s", r.raw)
	}
}

func TestCustomerSearchAndUpdate(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	r := h.do(t, "GET", "/api/customers?"+filterQuery(`{"last_name":"Roe"}`), nil).want(t, 200)
	if len(results(r)) != 2 {
		t.Fatalf("seed should hold Jane Roe twice (near-duplicate): %s", r.raw)
	}
	h.do(t, "PUT", "/api/customers/100101", map[string]any{"first_name": "Janet", "custom@epicor_id": "ROEJ"}).want(t, 200)
	got := h.do(t, "GET", "/api/customers/100101", nil).want(t, 200)
	if got.body["name"] != "Janet Roe" || got.body["custom"].(map[string]any)["epicor_id"] != "ROEJ" {
		t.Fatalf("after update: %s", got.raw)
	}
	addr := h.do(t, "POST", "/api/customers/100101/addresses", map[string]any{"line_1": "1 New St", "city": "Dayton", "country": "US"}).want(t, http.StatusCreated)
	list := h.do(t, "GET", "/api/customers/100101/addresses", nil).want(t, 200)
	if len(results(list)) != 2 || !strings.HasSuffix(addr.header.Get("Location"), "/api/customers/100101/addresses/"+addr.createdID(t)) {
		t.Fatalf("addresses: %s (Location %s)", list.raw, addr.header.Get("Location"))
	}
}

func TestSalesOrderLifecycle(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	before := stockOf(t, h, 100501, 100002)
	r := h.do(t, "POST", "/api/sales/orders", map[string]any{"customer_id": 100101, "station_id": 100011,
		"source_location_id": 100001, "public_id": "EPI-SO-1", "custom@erp_ref": "SO-1",
		"lines": []any{map[string]any{"item_lookup": "SKU-1001", "qty": 2, "ship_from_location_id": 100002}}}).want(t, http.StatusCreated)
	id := r.createdID(t)
	order := h.do(t, "GET", "/api/sales/orders/"+id+"?_include[]=lines", nil).want(t, 200)
	if order.body["status"] != "pending" || order.body["public_id"] != "EPI-SO-1" || len(order.body["lines"].([]any)) != 1 {
		t.Fatalf("new order: %s", order.raw)
	}
	total := order.body["total"].(float64)
	h.do(t, "PUT", "/api/sales/orders/"+id, map[string]any{"status": "open"}).want(t, 200)
	if got := stockOf(t, h, 100501, 100002); got["qty_committed"].(float64) != before["qty_committed"].(float64)+2 ||
		got["qty_available"].(float64) != before["qty_available"].(float64)-2 {
		t.Fatalf("open did not commit 2: before %v after %v", before, got)
	}
	line := h.do(t, "POST", "/api/sales/orders/"+id+"/lines", map[string]any{"item_id": 100502, "qty": 1}).want(t, http.StatusCreated)
	h.do(t, "PUT", "/api/sales/orders/"+id+"/lines/"+line.createdID(t), map[string]any{"qty": 3}).want(t, 200)
	h.do(t, "POST", "/api/sales/orders/"+id+"/payments", map[string]any{"type": "ExternalPayment", "deposit": true,
		"amount": 10.0, "payment_type_id": 100201}).want(t, http.StatusCreated)
	order = h.do(t, "GET", "/api/sales/orders/"+id+"?_include[]=payments", nil).want(t, 200)
	if order.body["total"].(float64) <= total || order.body["balance"].(float64) != order.body["total"].(float64)-10 {
		t.Fatalf("totals after line and payment: %s", order.raw)
	}
	h.do(t, "PUT", "/api/sales/orders/"+id, map[string]any{"status": "pending"}).want(t, http.StatusBadRequest)
	h.do(t, "PUT", "/api/sales/orders/"+id, map[string]any{"status": "void"}).want(t, http.StatusBadRequest)
	h.do(t, "PUT", "/api/sales/orders/"+id, map[string]any{"status": "closed"}).want(t, 200)
	after := stockOf(t, h, 100501, 100002)
	if after["qty_on_hand"].(float64) != before["qty_on_hand"].(float64)-2 || after["qty_committed"] != before["qty_committed"] {
		t.Fatalf("closing did not ship: before %v after %v", before, after)
	}
	h.do(t, "POST", "/api/sales/orders/"+id+"/lines", map[string]any{"item_id": 100502, "qty": 1}).want(t, http.StatusBadRequest)
	byStatus := h.do(t, "GET", "/api/sales/orders?"+filterQuery(`{"status":"closed","custom@erp_ref":"SO-1"}`), nil).want(t, 200)
	if len(results(byStatus)) != 1 {
		t.Fatalf("filter by status and custom field: %s", byStatus.raw)
	}
}

func TestTicketTakesStock(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	before := stockOf(t, h, 100503, 100001)["qty_on_hand"].(float64)
	r := h.do(t, "POST", "/api/sales/tickets", map[string]any{"public_id": "EPI-100045", "station_id": 100011,
		"customer_id": 100101, "status": "complete",
		"item_lines": []any{map[string]any{"type": "ItemLine", "item_id": 100503, "qty": 2, "unit_price": 10.0, "original_unit_price": 12.0}},
		"tax_lines":  []any{map[string]any{"type": "TaxLine", "description": "Sales Tax", "value": 1.6}},
		"payments":   []any{map[string]any{"type": "Payments::ExternalPayment", "payment_type_id": 100201, "amount": 21.6}},
	}).want(t, http.StatusCreated)
	tk := h.do(t, "GET", "/api/sales/tickets/"+r.createdID(t), nil).want(t, 200)
	want := map[string]any{"type": "Ticket", "status": "complete", "completed?": true, "total": 21.6, "subtotal": 20.0,
		"total_discounts": 4.0, "balance": 0.0, "customer_name": "Jane Roe", "source_location_id": 100001.0,
		"completed_at": "2025-03-01T18:22:05+00:00", "local_completed_at": "2025-03-01T13:22:05-05:00"}
	for k, v := range want {
		if tk.body[k] != v {
			t.Errorf("ticket %s = %v, want %v", k, tk.body[k], v)
		}
	}
	if after := stockOf(t, h, 100503, 100001)["qty_on_hand"].(float64); after != before-2 {
		t.Errorf("on hand %v -> %v, want -2", before, after)
	}
	lines := h.do(t, "GET", "/api/sales/tickets/"+r.createdID(t)+"/lines", nil).want(t, 200)
	if len(results(lines)) != 2 {
		t.Errorf("ticket lines: %s", lines.raw)
	}
	pays := h.do(t, "GET", "/api/payments?"+filterQuery(`{"status":"complete"}`), nil).want(t, 200)
	if len(results(pays)) != 1 {
		t.Errorf("payments: %s", pays.raw)
	}
	open := h.do(t, "POST", "/api/sales/tickets", map[string]any{"station_id": 100021,
		"item_lines": []any{map[string]any{"item_id": 100503, "qty": 1}}}).want(t, http.StatusCreated)
	h.do(t, "PUT", "/api/sales/tickets/"+open.createdID(t), map[string]any{"status": "complete"}).want(t, 200)
	if got := stockOf(t, h, 100503, 100002)["qty_on_hand"].(float64); got != h.srv.OnHand(100503, 100002) {
		t.Errorf("API on hand %v differs from OnHand %v", got, h.srv.OnHand(100503, 100002))
	}
	h.do(t, "PUT", "/api/sales/tickets/"+open.createdID(t), map[string]any{"status": "incomplete"}).want(t, http.StatusBadRequest)
}

func TestInventoryAdjustmentSet(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	a0, b0 := h.srv.OnHand(100501, 100003), h.srv.OnHand(100502, 100003)
	r := h.do(t, "POST", "/api/inventory/adjustment_sets", map[string]any{"location_id": 100003, "adjustment_reason_id": 100303,
		"lines": []any{map[string]any{"item_id": 100501, "qty": 5, "unit_cost": 2.0}}}).want(t, http.StatusCreated)
	id := r.createdID(t)
	h.do(t, "POST", "/api/inventory/adjustment_sets/"+id+"/lines", map[string]any{"item_id": 100502, "qty": -3}).want(t, http.StatusCreated)
	if h.srv.OnHand(100501, 100003) != a0 {
		t.Fatal("pending adjustment changed stock")
	}
	h.do(t, "PUT", "/api/inventory/adjustment_sets/"+id, map[string]any{"status": "complete"}).want(t, 200)
	if a, b := h.srv.OnHand(100501, 100003), h.srv.OnHand(100502, 100003); a != a0+5 || b != b0-3 {
		t.Fatalf("after completion %v,%v want %v,%v", a, b, a0+5, b0-3)
	}
	h.do(t, "POST", "/api/inventory/adjustment_sets/"+id+"/lines", map[string]any{"item_id": 100502, "qty": 1}).want(t, http.StatusBadRequest)
	set := h.do(t, "GET", "/api/inventory/adjustment_sets/"+id+"?_include[]=lines", nil).want(t, 200)
	if set.body["status"] != "complete" || len(set.body["lines"].([]any)) != 2 {
		t.Fatalf("set: %s", set.raw)
	}
	h.do(t, "POST", "/api/inventory/adjustments", map[string]any{"location_id": 100003, "item_id": 100501, "qty": 1}).want(t, http.StatusCreated)
	if a := h.srv.OnHand(100501, 100003); a != a0+6 {
		t.Fatalf("single-shot adjustment: %v, want %v", a, a0+6)
	}
	// Fractional quantities only for items that allow them.
	h.do(t, "POST", "/api/inventory/adjustments", map[string]any{"location_id": 100003, "item_id": 100501, "qty": 0.5}).want(t, http.StatusBadRequest)
	h.do(t, "PUT", "/api/items/100501", map[string]any{"allow_fractional_qty?": true}).want(t, 200)
	h.do(t, "POST", "/api/inventory/adjustments", map[string]any{"location_id": 100003, "item_id": 100501, "qty": 0.5}).want(t, http.StatusCreated)
	if a := h.srv.OnHand(100501, 100003); a != a0+6.5 {
		t.Fatalf("fractional adjustment: %v, want %v", a, a0+6.5)
	}
	grouped := h.do(t, "GET", "/api/inventory/values?group[]=item_id&"+filterQuery(`{"item_id":100501}`), nil).want(t, 200)
	var sum float64
	for _, loc := range []int64{100001, 100002, 100003} {
		sum += h.srv.OnHand(100501, loc)
	}
	if rows := results(grouped); len(rows) != 1 || rows[0].(map[string]any)["qty_on_hand"].(float64) != sum {
		t.Fatalf("grouped by item: %s, want sum %v", grouped.raw, sum)
	}
}

func TestResetRestoresSeed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Faults: fault.Config{RateLimitRPS: 1000}})
	h.do(t, "POST", "/api/items", map[string]any{"description": "x", "cost": 1}).want(t, http.StatusCreated)
	h.do(t, "POST", "/api/webhooks", map[string]any{"url": "http://127.0.0.1:1/h", "events": []any{"item_created"}}).want(t, http.StatusCreated)
	h.srv.Faults().Set(faultLatency())
	resp, err := http.Post(h.ts.URL+"/_sandbox/reset", "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reset: %v %v", resp, err)
	}
	if n := h.do(t, "GET", "/api/items", nil).body["total"].(float64); int(n) != len(h.srv.Data().Heartland.Items) {
		t.Errorf("items after reset = %v", n)
	}
	if n := h.do(t, "GET", "/api/webhooks", nil).body["total"].(float64); n != 0 {
		t.Errorf("webhooks after reset = %v", n)
	}
	if f := h.srv.Faults().Get(); f.LatencyMS != 0 || f.RateLimitRPS != 1000 {
		t.Errorf("faults after reset = %+v, want only the initial rate limit", f)
	}
}
