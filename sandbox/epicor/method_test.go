package epicor

import (
	"net/http"
	"testing"
)

const soSvc = odataBase + "Erp.BO.SalesOrderSvc/"

// ds reads parameters.ds of a method answer.
func ds(tb testing.TB, r response) map[string]any {
	tb.Helper()
	p, _ := r.body["parameters"].(map[string]any)
	d, ok := p["ds"].(map[string]any)
	if !ok {
		tb.Fatalf("no parameters.ds in %s", r.raw)
	}
	return d
}

func rowsOf(d map[string]any, table string) []any { l, _ := d[table].([]any); return l }

func TestMethodChainCreatesOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	d := ds(t, h.do(t, "POST", soSvc+"GetNewOrderHed", map[string]any{"ds": map[string]any{}}).want(t, 200))
	hed := rowsOf(d, "OrderHed")[0].(map[string]any)
	if hed["RowMod"] != "A" || hed["OrderNum"] != 0.0 || hed["OrderDate"] != "2025-03-04T00:00:00" {
		t.Fatalf("GetNewOrderHed row: %v", hed)
	}
	hed["CustNum"], hed["PONum"] = 12, "HL-CHAIN"
	d = ds(t, h.do(t, "POST", soSvc+"Update", map[string]any{"ds": d}).want(t, 200))
	saved := rowsOf(d, "OrderHed")[0].(map[string]any)
	orderNum := saved["OrderNum"]
	if orderNum != 5001.0 || saved["RowMod"] != "" || saved["CustomerCustID"] != "WILSONJ" {
		t.Fatalf("saved header: %v", saved)
	}
	d = ds(t, h.do(t, "POST", soSvc+"GetNewOrderDtl", map[string]any{"ds": d, "orderNum": orderNum}).want(t, 200))
	d = ds(t, h.do(t, "POST", soSvc+"ChangePartNumMaster", map[string]any{"ds": d, "partNum": "SKU-1002"}).want(t, 200))
	d = ds(t, h.do(t, "POST", soSvc+"ChangeSellingQtyMaster", map[string]any{"ds": d, "ipSellingQuantity": 3}).want(t, 200))
	line := rowsOf(d, "OrderDtl")[0].(map[string]any)
	if line["PartNum"] != "SKU-1002" || line["SellingQuantity"] != 3.0 || line["LineDesc"] == "" {
		t.Fatalf("line before save: %v", line)
	}
	d = ds(t, h.do(t, "POST", soSvc+"MasterUpdate", map[string]any{"ds": d}).want(t, 200))
	if l := rowsOf(d, "OrderDtl"); len(l) != 1 || l[0].(map[string]any)["OrderLine"] != 1.0 {
		t.Fatalf("saved line: %v", l)
	}
	got := h.do(t, "POST", soSvc+"GetByID", map[string]any{"orderNum": orderNum}).want(t, 200)
	ret := got.body["returnObj"].(map[string]any)
	if len(ret["OrderDtl"].([]any)) != 1 || len(ret["OrderRel"].([]any)) != 1 || ret["OrderHed"].([]any)[0].(map[string]any)["OrderAmt"].(float64) <= 0 {
		t.Fatalf("GetByID: %s", got.raw)
	}
	hed = ret["OrderHed"].([]any)[0].(map[string]any)
	hed["RowMod"], hed["OrderHeld"] = "U", true
	h.do(t, "POST", soSvc+"Update", map[string]any{"ds": map[string]any{"OrderHed": []any{hed}}}).want(t, 200)
	if r := h.srv.Rows("SalesOrders", map[string]any{"OrderNum": int64(5001)}); r[0]["OrderHeld"] != true {
		t.Fatalf("RowMod U not saved: %v", r[0])
	}
}

func TestUpdateIsAllOrNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	body := map[string]any{"ds": map[string]any{
		"OrderHed": []any{map[string]any{"Company": "EPIC06", "OrderNum": 0, "CustNum": 1, "RowMod": "A"}},
		"OrderDtl": []any{
			map[string]any{"Company": "EPIC06", "OrderNum": 0, "PartNum": "SKU-1001", "SellingQuantity": 1, "RowMod": "A"},
			map[string]any{"Company": "EPIC06", "OrderNum": 0, "PartNum": "SKU-9", "SellingQuantity": 1, "RowMod": "A"},
		},
	}}
	r := h.do(t, "POST", soSvc+"Update", body).want(t, http.StatusBadRequest)
	if r.body["ErrorType"] != typeBusiness {
		t.Fatalf("error: %s", r.raw)
	}
	if n := len(h.srv.Rows("SalesOrders", nil)); n != 0 {
		t.Fatalf("a failed Update left %d orders", n)
	}
	lines := body["ds"].(map[string]any)["OrderDtl"].([]any)
	body["ds"].(map[string]any)["OrderDtl"] = lines[:1]
	d := ds(t, h.do(t, "POST", soSvc+"Update", body).want(t, 200))
	if l := rowsOf(d, "OrderDtl")[0].(map[string]any); l["OrderNum"] != 5001.0 {
		t.Fatalf("line did not join the new order: %v", l)
	}
}

func TestCustomerMethods(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	svc := odataBase + "Erp.BO.CustomerSvc/"
	d := ds(t, h.do(t, "POST", svc+"GetNewCustomer", map[string]any{"ds": map[string]any{}}).want(t, 200))
	c := rowsOf(d, "Customer")[0].(map[string]any)
	c["CustID"], c["Name"] = "METHOD", "Method Customer"
	d = ds(t, h.do(t, "POST", svc+"Update", map[string]any{"ds": d}).want(t, 200))
	if rowsOf(d, "Customer")[0].(map[string]any)["CustNum"] != 23.0 {
		t.Fatalf("saved customer: %v", d)
	}
	c["CustID"] = "ROEJ"
	h.do(t, "POST", svc+"Update", map[string]any{"ds": map[string]any{"Customer": []any{c}}}).want(t, http.StatusConflict)
	tests := []struct {
		path string
		body any
	}{
		{svc + "Update", map[string]any{}},
		{svc + "Update", map[string]any{"ds": map[string]any{"Customer": "x"}}},
		{soSvc + "GetNewOrderDtl", map[string]any{"ds": map[string]any{}}},
		{soSvc + "ChangeSellingQtyMaster", map[string]any{"ds": map[string]any{}, "ipSellingQuantity": 1}},
	}
	for _, tt := range tests {
		if r := h.do(t, "POST", tt.path, tt.body); r.status != http.StatusBadRequest {
			t.Errorf("POST %s %v: %d %s, want 400", tt.path, tt.body, r.status, r.raw)
		}
	}
}
