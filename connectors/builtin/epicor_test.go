package builtin

import (
	"testing"

	"github.com/bridgework/bridgework/connectors"
)

func epicorConn(base string) connectors.Connection {
	return connectors.Connection{ID: "ep-test", Type: "epicor",
		Config:  map[string]any{"base_url": base, "instance": "Kinetic", "company": "EPIC06", "plant": "MfgSys"},
		Secrets: map[string]string{"api_key": "KEY", "username": "manager", "password": "pw"}}
}

const odata = "/Kinetic/api/v2/odata/EPIC06/"

func TestEpicorOperationRequests(t *testing.T) {
	t.Parallel()
	headers := map[string]string{
		"Authorization": "Basic bWFuYWdlcjpwdw==",
		"X-Api-Key":     "KEY",
		"CallSettings":  `{"Company":"EPIC06","Plant":"MfgSys"}`,
	}
	order := reply{status: 200, body: `{"value":[{"Company":"EPIC06","OrderNum":5012,"PONum":"HL-1"}]}`}
	none := reply{status: 200, body: `{"value":[]}`}
	runOpCases(t, epicorConn, headers, []opCase{
		{op: "create_sales_order", input: `{"CustNum":12,"PONum":"HL-10044","OrderDate":"2025-03-04","fields":{"NeedByDate":"2025-03-06","UseOTS":true}}`,
			replies: map[string]reply{"POST " + odata + "Erp.BO.SalesOrderSvc/SalesOrders": {status: 201, body: `{"Company":"EPIC06","OrderNum":5012,"CustNum":12,"PONum":"HL-10044"}`}},
			want: []want{{method: "POST", path: odata + "Erp.BO.SalesOrderSvc/SalesOrders",
				body: `{"Company":"EPIC06","CustNum":12,"PONum":"HL-10044","OrderDate":"2025-03-04","NeedByDate":"2025-03-06","UseOTS":true}`}},
			out: `{"Company":"EPIC06","OrderNum":5012,"CustNum":12,"PONum":"HL-10044"}`},
		{op: "find_sales_order", input: `{"PONum":"HL-1","CustNum":12}`,
			replies: map[string]reply{"GET " + odata + "Erp.BO.SalesOrderSvc/SalesOrders": order},
			want: []want{{method: "GET", path: odata + "Erp.BO.SalesOrderSvc/SalesOrders",
				query: map[string]string{"$filter": "PONum eq 'HL-1' and CustNum eq 12", "$top": "100"}}},
			out: `{"found":true,"record":{"Company":"EPIC06","OrderNum":5012,"PONum":"HL-1"}}`},
		{op: "add_sales_order_lines", input: `{"OrderNum":5012,"lines":[{"PartNum":"SKU-1001","SellingQuantity":2,"DocUnitPrice":12.5},{"PartNum":"SKU-1002","SellingQuantity":1,"LineDesc":"Lid"}]}`,
			replies: map[string]reply{"POST " + odata + "Erp.BO.SalesOrderSvc/OrderDtls": {status: 201, body: `{"OrderNum":5012,"OrderLine":1}`}},
			want: []want{
				{method: "POST", path: odata + "Erp.BO.SalesOrderSvc/OrderDtls", body: `{"Company":"EPIC06","OrderNum":5012,"PartNum":"SKU-1001","SellingQuantity":2,"DocUnitPrice":12.5}`},
				{method: "POST", path: odata + "Erp.BO.SalesOrderSvc/OrderDtls", body: `{"Company":"EPIC06","OrderNum":5012,"PartNum":"SKU-1002","SellingQuantity":1,"LineDesc":"Lid"}`},
			},
			out: `[{"OrderNum":5012,"OrderLine":1},{"OrderNum":5012,"OrderLine":1}]`},
		{op: "get_sales_order", input: `{"OrderNum":5012}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5012)", query: map[string]string{"$expand": "OrderDtls"}}}},
		{op: "update_sales_order", input: `{"OrderNum":5012,"fields":{"OrderHeld":true}}`,
			replies: map[string]reply{"PATCH " + odata + "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5012)": {status: 204}},
			want:    []want{{method: "PATCH", path: odata + "Erp.BO.SalesOrderSvc/SalesOrders('EPIC06',5012)", body: `{"OrderHeld":true}`}},
			out:     `{"OrderNum":5012}`},
		{op: "find_customer", input: `{"CustID":"ACME"}`, replies: map[string]reply{"GET " + odata + "Erp.BO.CustomerSvc/Customers": none},
			want: []want{{method: "GET", path: odata + "Erp.BO.CustomerSvc/Customers", query: map[string]string{"$filter": "CustID eq 'ACME'"}}},
			out:  `{"found":false,"record":null}`},
		{op: "find_customers", input: `{"name":"O'Brien & Sons — Zürich"}`, replies: map[string]reply{"GET " + odata + "Erp.BO.CustomerSvc/Customers": none},
			want: []want{{method: "GET", path: odata + "Erp.BO.CustomerSvc/Customers", query: map[string]string{"$filter": "Name eq 'O''Brien & Sons — Zürich'"}}},
			out:  `[]`},
		{op: "list_customers", input: `{"filter":"startswith(Zip,'45402')","top":50}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.CustomerSvc/Customers",
				query: map[string]string{"$filter": "startswith(Zip,'45402')", "$top": "50"}}}},
		{op: "get_customer", input: `{"CustNum":12}`, want: []want{{method: "GET", path: odata + "Erp.BO.CustomerSvc/Customers('EPIC06',12)"}}},
		{op: "create_customer", input: `{"CustID":"ACME","Name":"Acme","EMailAddress":"ap@acme.test","fields":{"TermsCode":"N30"}}`,
			replies: map[string]reply{"POST " + odata + "Erp.BO.CustomerSvc/Customers": {status: 201, body: `{"CustNum":77,"CustID":"ACME"}`}},
			want: []want{{method: "POST", path: odata + "Erp.BO.CustomerSvc/Customers",
				body: `{"Company":"EPIC06","CustID":"ACME","Name":"Acme","EMailAddress":"ap@acme.test","TermsCode":"N30"}`}},
			out: `{"CustNum":77,"CustID":"ACME"}`},
		{op: "update_customer", input: `{"CustNum":12,"fields":{"PhoneNum":"555"}}`,
			want: []want{{method: "PATCH", path: odata + "Erp.BO.CustomerSvc/Customers('EPIC06',12)", body: `{"PhoneNum":"555"}`}}},
		{op: "update_customers_batch", input: `{"updates":[{"CustNum":12,"fields":{"PhoneNum":"555"}},{"CustNum":13,"fields":{"PhoneNum":"556"}}],"batch_size":10}`,
			replies: map[string]reply{"POST " + odata + "Erp.BO.CustomerSvc/Update": {status: 200, body: `{"parameters":{"ds":{}}}`}},
			want: []want{{method: "POST", path: odata + "Erp.BO.CustomerSvc/Update",
				body: `{"ds":{"Customer":[{"Company":"EPIC06","CustNum":12,"PhoneNum":"555","RowMod":"U"},{"Company":"EPIC06","CustNum":13,"PhoneNum":"556","RowMod":"U"}]}}`}},
			out: `{"calls":1,"applied":2,"failed":[]}`},
		{op: "get_part", input: `{"PartNum":"P/1 ü'x"}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.PartSvc/Parts('EPIC06','P/1 ü''x')"}}},
		{op: "list_parts", input: `{"filter":"ClassID eq 'FG'","select":["PartNum","PartDescription"],"top":5}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.PartSvc/Parts",
				query: map[string]string{"$filter": "ClassID eq 'FG'", "$select": "PartNum,PartDescription", "$top": "5"}}}},
		{op: "list_part_warehouses", input: `{"filter":"WarehouseCode eq 'DTWN'","limit":0}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.PartSvc/PartWhses", query: map[string]string{"$filter": "WarehouseCode eq 'DTWN'"}}}},
		{op: "list_cash_receipts", input: `{"filter":"TranDate eq 2025-03-04","top":10}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.CashRecSvc/CashRecs", query: map[string]string{"$filter": "TranDate eq 2025-03-04", "$top": "10"}}}},
		{op: "get_part_on_hand", input: `{"PartNum":"SKU-1","Plant":"MfgSys"}`,
			replies: map[string]reply{"GET " + odata + "Erp.BO.PartSvc/PartWhses": {status: 200, body: `{"value":[{"WarehouseCode":"MAIN","OnHandQty":12}]}`}},
			want: []want{{method: "GET", path: odata + "Erp.BO.PartSvc/PartWhses",
				query: map[string]string{"$filter": "PartNum eq 'SKU-1' and Plant eq 'MfgSys'"}}},
			out: `[{"WarehouseCode":"MAIN","OnHandQty":12}]`},
		{op: "create_cash_receipt", input: `{"GroupID":"HL0304","CustNum":12,"TranAmt":77.76,"CheckRef":"HL-PAY-100455","TranDate":"2025-03-04"}`,
			want: []want{{method: "POST", path: odata + "Erp.BO.CashRecSvc/CashRecs",
				body: `{"Company":"EPIC06","GroupID":"HL0304","CustNum":12,"TranAmt":77.76,"CheckRef":"HL-PAY-100455","TranDate":"2025-03-04"}`}}},
		{op: "find_cash_receipt", input: `{"CheckRef":"HL-PAY-100455"}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.CashRecSvc/CashRecs", query: map[string]string{"$filter": "CheckRef eq 'HL-PAY-100455'"}}},
			out:  `{"found":false,"record":null}`},
		{op: "create_ap_invoice", input: `{"VendorNum":7,"InvoiceNum":"INV-1","GroupID":"AP01","InvoiceAmt":100,"TermsCode":"N30"}`,
			want: []want{{method: "POST", path: odata + "Erp.BO.APInvoiceSvc/APInvoices",
				body: `{"Company":"EPIC06","VendorNum":7,"InvoiceNum":"INV-1","GroupID":"AP01","InvoiceAmt":100,"TermsCode":"N30"}`}}},
		{op: "find_ap_invoice", input: `{"VendorNum":7,"InvoiceNum":"INV-1"}`,
			replies: map[string]reply{"GET " + odata + "Erp.BO.APInvoiceSvc/APInvoices('EPIC06',7,'INV-1')": {status: 404,
				body: `{"HttpStatus":404,"ErrorMessage":"Record not found.","ErrorType":"Ice.Common.RecordNotFoundException"}`}},
			want: []want{{method: "GET", path: odata + "Erp.BO.APInvoiceSvc/APInvoices('EPIC06',7,'INV-1')"}},
			out:  `{"found":false,"record":null}`},
		{op: "get_job", input: `{"JobNum":"J-100"}`, want: []want{{method: "GET", path: odata + "Erp.BO.JobEntrySvc/JobEntries('EPIC06','J-100')"}}},
		{op: "list_gl_accounts", input: `{"COACode":"MAIN","active_only":true,"filter":"SegValue1 eq '1000' or SegValue1 eq '2000'"}`,
			want: []want{{method: "GET", path: odata + "Erp.BO.GLAccountSvc/GLAccounts",
				query: map[string]string{"$filter": "COACode eq 'MAIN' and Active eq true and (SegValue1 eq '1000' or SegValue1 eq '2000')"}}}},
	})
}

func TestHTTPOperationRequests(t *testing.T) {
	t.Parallel()
	conn := func(base string) connectors.Connection {
		return connectors.Connection{ID: "web", Type: "http", Config: map[string]any{"base_url": base + "/v1", "auth": "api_key"},
			Secrets: map[string]string{"api_key": "K"}}
	}
	runOpCases(t, conn, map[string]string{"X-Api-Key": "K"}, []opCase{
		{op: "request", input: `{"method":"POST","path":"orders","query":{"dry":"1","tag":["a","b"]},"headers":{"X-Trace":"t1"},"body":{"n":1}}`,
			replies: map[string]reply{"POST /v1/orders": {status: 201, body: `{"id":"o1"}`, header: map[string]string{"X-Trace": "t1"}}},
			want:    []want{{method: "POST", path: "/v1/orders", query: map[string]string{"dry": "1", "tag": "a|b"}, body: `{"n":1}`}}},
	})
}
