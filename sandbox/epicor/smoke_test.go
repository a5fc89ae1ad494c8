package epicor

import (
	"net/url"
	"testing"
)

func TestSmoke(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do(t, "GET", odataBase+"Erp.BO.CustomerSvc/Customers?$top=2&$count=true&$select=CustNum,CustID,Name&$filter="+url.QueryEscape("startswith(Name,'j') or CustID eq 'ROEJ'"), nil).want(t, 200)
	t.Logf("%s", r.raw)
	r = h.do(t, "POST", odataBase+"Erp.BO.SalesOrderSvc/SalesOrders", map[string]any{"Company": "EPIC06", "CustNum": 1, "PONum": "HL-1", "OrderDate": "2025-03-04"}).want(t, 201)
	t.Logf("%s", r.raw)
	r = h.do(t, "POST", odataBase+"Erp.BO.SalesOrderSvc/OrderDtls", map[string]any{"Company": "EPIC06", "OrderNum": 5001, "PartNum": "SKU-1056", "SellingQuantity": 2}).want(t, 201)
	r = h.do(t, "GET", odataBase+"Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5001)?$expand=OrderDtls($select=OrderLine,PartNum,ExtPriceDtl)&$select=OrderNum,OrderAmt", nil).want(t, 200)
	t.Logf("%s", r.raw)
	r = h.do(t, "GET", odataBase+"Erp.BO.JobEntrySvc/JobEntries", nil).want(t, 200)
	t.Logf("%s", r.raw)
	r = h.do(t, "POST", odataBase+"Erp.BO.SalesOrderSvc/OrderDtls", map[string]any{"Company": "EPIC06", "OrderNum": 5001, "PartNum": "NOPE", "SellingQuantity": 2}).want(t, 400)
	t.Logf("%s", r.raw)
}
