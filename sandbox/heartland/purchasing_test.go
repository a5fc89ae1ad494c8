package heartland

import (
	"net/http"
	"strconv"
	"testing"
)

// A purchase order is received: the receipt starts pending, accepting it
// adds the quantities at the receiving location and closes the order; bad
// input and repeated transitions are refused.
func TestPurchaseReceipt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	vendors := h.do(t, "GET", "/api/purchasing/vendors", nil).want(t, http.StatusOK)
	if vendors.body["total"] != 3.0 {
		t.Fatalf("vendors: %s", vendors.raw)
	}
	h.do(t, "POST", "/api/purchasing/orders", map[string]any{"vendor_id": 999, "receive_at_location_id": 100002,
		"lines": []any{map[string]any{"item_id": 100501, "qty": 0}}}).want(t, http.StatusBadRequest)
	before := h.srv.OnHand(100501, 100002)
	po := h.do(t, "POST", "/api/purchasing/orders", map[string]any{"vendor_id": 100002, "receive_at_location_id": 100002,
		"lines": []any{map[string]any{"item_id": 100501, "qty": 10, "unit_cost": 2.5}, map[string]any{"item_id": 100502, "qty": 4, "unit_cost": 1}}}).
		want(t, http.StatusCreated).createdID(t)
	rc := h.do(t, "POST", "/api/purchasing/receipts", map[string]any{"order_id": mustAtoi(t, po)}).want(t, http.StatusCreated).createdID(t)
	if h.srv.OnHand(100501, 100002) != before {
		t.Fatal("a pending receipt changed stock")
	}
	h.do(t, "PUT", "/api/purchasing/receipts/"+rc, map[string]any{"status": "void"}).want(t, http.StatusBadRequest)
	h.do(t, "PUT", "/api/purchasing/receipts/"+rc, map[string]any{"status": "accepted"}).want(t, http.StatusOK)
	if got := h.srv.OnHand(100501, 100002); got != before+10 {
		t.Fatalf("on hand after the receipt %v, want %v", got, before+10)
	}
	got := h.do(t, "GET", "/api/purchasing/receipts/"+rc+"?_include[]=lines", nil).want(t, http.StatusOK)
	if got.body["status"] != "accepted" || got.body["total"] != 29.0 || got.body["vendor_id"] != 100002.0 || got.body["accepted_at"] == nil || len(got.body["lines"].([]any)) != 2 {
		t.Fatalf("receipt: %s", got.raw)
	}
	h.do(t, "PUT", "/api/purchasing/receipts/"+rc, map[string]any{"status": "pending"}).want(t, http.StatusBadRequest)
	if order := h.do(t, "GET", "/api/purchasing/orders/"+po, nil).want(t, http.StatusOK); order.body["status"] != "closed" {
		t.Fatalf("order after its receipt: %s", order.raw)
	}
	h.do(t, "POST", "/api/purchasing/receipts", map[string]any{"order_id": mustAtoi(t, po)}).want(t, http.StatusBadRequest)
	accepted := h.do(t, "GET", "/api/purchasing/receipts?"+filterQuery(`{"status":"accepted"}`), nil).want(t, http.StatusOK)
	if accepted.body["total"] != 1.0 {
		t.Fatalf("accepted receipts: %s", accepted.raw)
	}
}

func mustAtoi(tb testing.TB, s string) int {
	tb.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
