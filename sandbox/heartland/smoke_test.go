package heartland

import (
	"net/http"
	"testing"
)

func TestSmoke(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do(t, "GET", "/api/items?per_page=5&"+filterQuery(`{"public_id":{"$in":["SKU-1001","SKU-1002"]}}`), nil).want(t, 200)
	t.Logf("%s", r.raw)
	r = h.do(t, "POST", "/api/sales/orders", map[string]any{"customer_id": 100101, "station_id": 100011, "source_location_id": 100001,
		"lines": []any{map[string]any{"item_lookup": "SKU-1001", "qty": 2}}}).want(t, http.StatusCreated)
	id := r.createdID(t)
	r = h.do(t, "GET", "/api/sales/orders/"+id+"?_include[]=lines", nil).want(t, 200)
	t.Logf("%s", r.raw)
	r = h.do(t, "GET", "/api/inventory/values?group[]=item_id&per_page=2", nil).want(t, 200)
	t.Logf("%s", r.raw)
	r = h.do(t, "POST", "/api/sales/orders", map[string]any{"customer_id": 1}).want(t, 400)
	t.Logf("%s", r.raw)
}
