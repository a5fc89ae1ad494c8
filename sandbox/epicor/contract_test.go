package epicor

import (
	"testing"

	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/internal/apitest"
)

// TestContract pins the response shapes of the main endpoints to the
// reference: value envelopes with @odata.context, $count, single entities,
// 201 with the saved row and its Location, 204 on PATCH and the Epicor
// error body, also for a throttled request.
func TestContract(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tests := []struct {
		name, method, path, body string
		a                        auth
	}{
		{"customers_collection", "GET", "Erp.BO.CustomerSvc/Customers?$top=2&$count=true&$select=CustNum,CustID,Name,EMailAddress&$orderby=CustNum", "", defaultAuth},
		{"part_with_whses", "GET", "Erp.BO.PartSvc/Parts('EPIC06','SKU-1001')?$select=PartNum,PartDescription,TypeCode,UnitPrice&$expand=PartWhses($select=WarehouseCode,OnHandQty;$orderby=WarehouseCode)", "", defaultAuth},
		{"count_text", "GET", "Erp.BO.CustomerSvc/Customers/$count", "", defaultAuth},
		{"order_create", "POST", "Erp.BO.SalesOrderSvc/SalesOrders", `{"Company":"EPIC06","CustNum":12,"PONum":"HL-10044","OrderDate":"2025-03-04","NeedByDate":"2025-03-06","UseOTS":true,"OTSName":"J. Smith","OTSAddress1":"1 Main St","OTSCity":"Dayton","OTSState":"OH","OTSZIP":"45402"}`, defaultAuth},
		{"line_create", "POST", "Erp.BO.SalesOrderSvc/OrderDtls", `{"Company":"EPIC06","OrderNum":5001,"PartNum":"SKU-1001","LineDesc":"Blue mug","SellingQuantity":2,"DocUnitPrice":12.50}`, defaultAuth},
		{"order_patch", "PATCH", "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5001)", `{"OrderHeld":true}`, defaultAuth},
		{"order_expanded", "GET", "Erp.BO.SalesOrderSvc/SalesOrders?$filter=PONum%20eq%20'HL-10044'&$select=OrderNum,PONum,OrderAmt&$expand=OrderDtls($select=OrderLine,PartNum,SellingQuantity,ExtPriceDtl)", "", defaultAuth},
		{"getbyid", "POST", "Erp.BO.JobEntrySvc/GetByID", `{"jobNum":"none"}`, defaultAuth},
		{"error_unknown_part", "POST", "Erp.BO.SalesOrderSvc/OrderDtls", `{"Company":"EPIC06","OrderNum":5001,"PartNum":"SKU-9","SellingQuantity":1}`, defaultAuth},
		{"error_duplicate_custid", "POST", "Erp.BO.CustomerSvc/Customers", `{"Company":"EPIC06","CustID":"ROEJ","Name":"Jane Roe"}`, defaultAuth},
		{"error_bad_filter", "GET", "Erp.BO.CustomerSvc/Customers?$filter=Name%20eq%20'x", "", defaultAuth},
		{"error_not_found", "GET", "Erp.BO.CustomerSvc/Customers('EPIC06',999)", "", defaultAuth},
		{"error_missing_api_key", "GET", "Erp.BO.CustomerSvc/Customers", "", auth{user: DefaultUsername, pass: DefaultPassword}},
	}
	for _, tt := range tests { // sequential: later cases read earlier writes
		req := apitest.NewRequest(t, tt.method, h.ts.URL+odataBase+tt.path, tt.body)
		tt.a.apply(req)
		apitest.Golden(t, tt.name, req, h.ts.URL, "Content-Type", "Location")
	}
	if err := h.srv.Faults().Set(fault.Config{FailNext: []fault.Failure{{Status: 429, RetryAfterSeconds: 2}}}); err != nil {
		t.Fatal(err)
	}
	req := apitest.NewRequest(t, "GET", h.ts.URL+odataBase+"Erp.BO.CustomerSvc/Customers", "")
	defaultAuth.apply(req)
	apitest.Golden(t, "error_rate_limited", req, h.ts.URL, "Content-Type", "Retry-After")
}
