package epicor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox/fault"
)

const (
	ordersPath    = odataBase + "Erp.BO.SalesOrderSvc/SalesOrders"
	linesPath     = odataBase + "Erp.BO.SalesOrderSvc/OrderDtls"
	customersPath = odataBase + "Erp.BO.CustomerSvc/Customers"
)

func newOrder(tb testing.TB, h *harness, po string) int {
	tb.Helper()
	r := h.do(tb, "POST", ordersPath, map[string]any{"Company": "EPIC06", "CustNum": 12, "PONum": po,
		"OrderDate": "2025-03-04", "NeedByDate": "2025-03-06"}).want(tb, http.StatusCreated)
	return int(r.body["OrderNum"].(float64))
}

func TestSalesOrderWrites(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	demand0 := h.srv.Rows("PartWhses", map[string]any{"PartNum": "SKU-1001", "WarehouseCode": "MALL"})[0]["DemandQty"].(float64)
	r := h.do(t, "POST", ordersPath, map[string]any{"Company": "EPIC06", "CustNum": 12, "PONum": "HL-10044",
		"OrderDate": "2025-03-04", "NeedByDate": "2025-03-06", "UseOTS": true, "OTSName": "J. Smith"}).want(t, http.StatusCreated)
	if r.body["OrderNum"] != 5001.0 || r.body["CustomerCustID"] != "WILSONJ" || r.body["OpenOrder"] != true ||
		r.body["OrderDate"] != "2025-03-04T00:00:00" || !strings.HasSuffix(r.body["@odata.context"].(string), "#SalesOrders/$entity") {
		t.Fatalf("created header: %s", r.raw)
	}
	line := h.do(t, "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": 5001, "PartNum": "SKU-1001",
		"LineDesc": "Blue mug", "SellingQuantity": 2, "DocUnitPrice": 12.50, "WarehouseCode": "MALL"}).want(t, http.StatusCreated)
	if line.body["OrderLine"] != 1.0 || line.body["OrderQty"] != 2.0 || line.body["ExtPriceDtl"] != 25.0 {
		t.Fatalf("created line: %s", line.raw)
	}
	h.do(t, "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": 5001, "PartNum": "SKU-1002", "OrderQty": 1}).want(t, http.StatusCreated)
	byPO := h.do(t, "GET", ordersPath+"?$filter="+q("PONum eq 'HL-10044'")+"&$expand=OrderDtls($orderby=OrderLine)", nil).want(t, 200)
	orders := byPO.value()
	if len(orders) != 1 {
		t.Fatalf("filter by PONum: %s", byPO.raw)
	}
	o := orders[0].(map[string]any)
	lines := o["OrderDtls"].([]any)
	if len(lines) != 2 || o["OrderAmt"].(float64) != 25+lines[1].(map[string]any)["ExtPriceDtl"].(float64) {
		t.Fatalf("order with lines: %s", byPO.raw)
	}
	if d := h.srv.Rows("PartWhses", map[string]any{"PartNum": "SKU-1001", "WarehouseCode": "MALL"})[0]["DemandQty"].(float64); d != demand0+2 {
		t.Errorf("DemandQty %v, want %v", d, demand0+2)
	}
	rev := o["SysRevID"].(float64)
	h.do(t, "PATCH", ordersPath+"('EPIC06',5001)", map[string]any{"OrderHeld": true, "PONum": "HL-10044-B"}).want(t, http.StatusNoContent)
	h.do(t, "PATCH", linesPath+"('EPIC06',5001,1)", map[string]any{"SellingQuantity": 4}).want(t, http.StatusNoContent)
	got := h.do(t, "GET", ordersPath+"('EPIC06',5001)?$expand=OrderRels", nil).want(t, 200)
	if got.body["OrderHeld"] != true || got.body["PONum"] != "HL-10044-B" || got.body["SysRevID"].(float64) <= rev {
		t.Fatalf("after PATCH: %s", got.raw)
	}
	if rel := got.body["OrderRels"].([]any)[0].(map[string]any); rel["OurReqQty"] != 4.0 {
		t.Errorf("release qty after line update: %v", rel)
	}
	h.do(t, "DELETE", linesPath+"('EPIC06',5001,2)", nil).want(t, http.StatusNoContent)
	h.do(t, "GET", linesPath+"('EPIC06',5001,2)", nil).want(t, http.StatusNotFound)
}

func TestWriteValidation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	order := newOrder(t, h, "V-1")
	tests := []struct {
		name, method, path string
		body               any
		status             int
		typ, field         string
	}{
		{"unknown CustNum", "POST", ordersPath, map[string]any{"Company": "EPIC06", "CustNum": 999}, 400, typeBusiness, "CustNum"},
		{"unknown PartNum", "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "PartNum": "SKU-9", "SellingQuantity": 1}, 400, typeBusiness, "PartNum"},
		{"unknown order", "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": 1, "PartNum": "SKU-1001", "SellingQuantity": 1}, 400, typeBusiness, "OrderNum"},
		{"zero quantity", "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "PartNum": "SKU-1001"}, 400, typeBusiness, "SellingQuantity"},
		{"unknown warehouse", "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "PartNum": "SKU-1001", "OrderQty": 1, "WarehouseCode": "X"}, 400, typeBusiness, "WarehouseCode"},
		{"duplicate CustID", "POST", customersPath, map[string]any{"Company": "EPIC06", "CustID": "roej", "Name": "Jane Again"}, 409, typeDuplicate, "CustID"},
		{"duplicate CustID on update", "PATCH", customersPath + "('EPIC06',2)", map[string]any{"CustID": "ROEJ"}, 409, typeDuplicate, "CustID"},
		{"missing CustID", "POST", customersPath, map[string]any{"Company": "EPIC06", "Name": "No Id"}, 400, typeBusiness, "CustID"},
		{"duplicate OrderNum", "POST", ordersPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "CustNum": 1}, 409, typeDuplicate, "OrderNum"},
		{"unknown property", "POST", ordersPath, map[string]any{"Company": "EPIC06", "CustNum": 1, "Colour": "red"}, 400, typeOData, ""},
		{"wrong type", "POST", ordersPath, map[string]any{"Company": "EPIC06", "CustNum": "one"}, 400, typeOData, ""},
		{"bad date", "POST", ordersPath, map[string]any{"Company": "EPIC06", "CustNum": 1, "OrderDate": "March 4"}, 400, typeOData, ""},
		{"other company in body", "POST", ordersPath, map[string]any{"Company": "OTHER", "CustNum": 1}, 400, typeBusiness, "Company"},
		{"not JSON", "POST", ordersPath, "{", 400, typeOData, ""},
		{"key change", "PATCH", ordersPath + "('EPIC06',5001)", map[string]any{"OrderNum": 7}, 400, typeBusiness, "OrderNum"},
		{"read-only set", "POST", odataBase + "Erp.BO.PartSvc/Parts", map[string]any{"Company": "EPIC06", "PartNum": "N"}, 405, typeAPI, ""},
		{"cash receipt unknown customer", "POST", odataBase + "Erp.BO.CashRecSvc/CashRecs", map[string]any{"Company": "EPIC06", "GroupID": "HL0304", "CustNum": 999, "TranAmt": 5}, 400, typeBusiness, "CustNum"},
		{"cash receipt unknown PMUID", "POST", odataBase + "Erp.BO.CashRecSvc/CashRecs", map[string]any{"Company": "EPIC06", "GroupID": "HL0304", "CustNum": 1, "TranAmt": 5, "PMUID": 77}, 400, typeBusiness, "PMUID"},
		{"AP invoice without terms", "POST", odataBase + "Erp.BO.APInvoiceSvc/APInvoices", map[string]any{"Company": "EPIC06", "VendorNum": 1, "InvoiceNum": "F-1"}, 400, typeBusiness, "TermsCode"},
		{"AP invoice unknown vendor", "POST", odataBase + "Erp.BO.APInvoiceSvc/APInvoices", map[string]any{"Company": "EPIC06", "VendorNum": 9, "InvoiceNum": "F-1", "TermsCode": "N30"}, 400, typeBusiness, "VendorNum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do(t, tt.method, tt.path, tt.body).want(t, tt.status)
			details, _ := r.body["ErrorDetails"].([]any)
			if r.body["ErrorType"] != tt.typ || r.body["HttpStatus"] != float64(tt.status) || r.body["ReasonPhrase"] != "REST API Exception" || len(details) != 1 {
				t.Fatalf("body %s, want %s", r.raw, tt.typ)
			}
			if tt.field != "" && details[0].(map[string]any)["Field"] != tt.field {
				t.Fatalf("detail field %v, want %s", details[0], tt.field)
			}
		})
	}
	if n := len(h.srv.Rows("OrderDtls", nil)); n != 0 {
		t.Errorf("failed line writes left %d rows", n)
	}
	lenient := newHarness(t, Options{AllowUnknownParts: true, DuplicateStatus: 400})
	o := newOrder(t, lenient, "L-1")
	lenient.do(t, "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": o, "PartNum": "MISC-FEE", "OrderQty": 1, "UnitPrice": 5}).want(t, http.StatusCreated)
	lenient.do(t, "POST", customersPath, map[string]any{"Company": "EPIC06", "CustID": "ROEJ", "Name": "x"}).want(t, http.StatusBadRequest)
}

func TestCustomerAndFinanceWrites(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	c := h.do(t, "POST", customersPath, map[string]any{"Company": "EPIC06", "CustID": "NEWCO", "Name": "New Co",
		"EMailAddress": "a@newco.example"}).want(t, http.StatusCreated)
	num := int(c.body["CustNum"].(float64))
	if num != 23 || c.body["TermsCode"] != "N30" {
		t.Fatalf("created customer: %s", c.raw)
	}
	h.do(t, "PATCH", customersPath+"('EPIC06',23)", map[string]any{"Name": "New Company"}).want(t, http.StatusNoContent)
	// CustID is nvarchar(10): ten characters fit however many bytes they take; eleven do not.
	h.do(t, "POST", customersPath, map[string]any{"CustID": "ZÜRICH-ÅÖÉ", "Name": "Zürich AG"}).want(t, http.StatusCreated)
	// The Location of a created row reads it back, whatever its key holds.
	inv := h.do(t, "POST", odataBase+"Erp.BO.APInvoiceSvc/APInvoices", map[string]any{"VendorNum": 2, "InvoiceNum": "O'B/1|x #?",
		"TermsCode": "N30", "InvoiceAmt": 1}).want(t, http.StatusCreated)
	if loc := inv.header.Get("Location"); !strings.HasPrefix(loc, h.ts.URL+odataBase+"Erp.BO.APInvoiceSvc/APInvoices(") {
		t.Errorf("Location = %q", loc)
	} else if back := h.do(t, "GET", strings.TrimPrefix(loc, h.ts.URL), nil).want(t, http.StatusOK); back.body["InvoiceNum"] != "O'B/1|x #?" {
		t.Errorf("GET Location %s = %s", loc, back.raw)
	}
	h.do(t, "POST", customersPath, map[string]any{"CustID": "ZÜRICH-ÅÖÉX", "Name": "Zürich AG"}).want(t, http.StatusBadRequest)
	found := h.do(t, "GET", customersPath+"?$filter="+q("EMailAddress eq 'A@NEWCO.EXAMPLE'"), nil).want(t, 200)
	if len(found.value()) != 1 || found.value()[0].(map[string]any)["Name"] != "New Company" {
		t.Fatalf("find by email: %s", found.raw)
	}
	cash := h.do(t, "POST", odataBase+"Erp.BO.CashRecSvc/CashRecs", map[string]any{"Company": "EPIC06", "GroupID": "HL0304",
		"CustNum": num, "TranAmt": 77.76, "PMUID": 1, "BankAcctID": "CARD", "CheckRef": "HL-100455"}).want(t, http.StatusCreated)
	if cash.body["HeadNum"] != 1.0 || cash.body["CustID"] != "NEWCO" || cash.body["UnAppliedAmt"] != 77.76 {
		t.Fatalf("cash receipt: %s", cash.raw)
	}
	ap := h.do(t, "POST", odataBase+"Erp.BO.APInvoiceSvc/APInvoices", map[string]any{"Company": "EPIC06", "VendorNum": 1,
		"InvoiceNum": "FEES-2025-03", "TermsCode": "N30", "InvoiceAmt": 12.34, "InvoiceDate": "2025-03-31"}).want(t, http.StatusCreated)
	if ap.body["InvoiceBal"] != 12.34 || ap.body["DueDate"] != "2025-03-31T00:00:00" {
		t.Fatalf("AP invoice: %s", ap.raw)
	}
	h.do(t, "POST", odataBase+"Erp.BO.APInvoiceSvc/APInvoices", map[string]any{"Company": "EPIC06", "VendorNum": 1,
		"InvoiceNum": "FEES-2025-03", "TermsCode": "N30"}).want(t, http.StatusConflict)
	gl := h.do(t, "GET", odataBase+"Erp.BO.GLAccountSvc/GLAccounts?$filter="+q("startswith(GLAccount,'10')"), nil).want(t, 200)
	if len(gl.value()) != 5 {
		t.Errorf("cash GL accounts: %s", gl.raw)
	}
}

// notifyReceiver collects notifications on a channel.
func notifyReceiver(tb testing.TB) (string, <-chan Notification) {
	tb.Helper()
	ch := make(chan Notification, 64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n Notification
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &n); err != nil || n.Event != r.Header.Get(EventHeader) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		ch <- n
	}))
	tb.Cleanup(srv.Close)
	return srv.URL, ch
}

// collect waits until every notification was delivered and returns them
// by event.
func collect(tb testing.TB, h *harness, ch <-chan Notification) map[string][]Notification {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.srv.Deliveries().Wait(ctx); err != nil {
		tb.Fatal(err)
	}
	out := map[string][]Notification{}
	for {
		select {
		case n := <-ch:
			out[n.Event] = append(out[n.Event], n)
		default:
			return out
		}
	}
}

// only returns the single notification of an event.
func only(tb testing.TB, got map[string][]Notification, event string) Notification {
	tb.Helper()
	if len(got[event]) != 1 {
		tb.Fatalf("%s notifications: %+v, want exactly one", event, got[event])
	}
	return got[event][0]
}

func TestMakeToOrderJobLifecycle(t *testing.T) {
	t.Parallel()
	url, ch := notifyReceiver(t)
	h := newHarness(t, Options{NotifyURLs: []string{url}})
	order := newOrder(t, h, "MTO-1")
	only(t, collect(t, h, ch), EventSalesOrderChanged)
	h.do(t, "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "PartNum": "SKU-1055",
		"SellingQuantity": 3, "WarehouseCode": "OUTL"}).want(t, http.StatusCreated)
	jobs := h.do(t, "GET", odataBase+"Erp.BO.JobEntrySvc/JobEntries?$filter="+q("PartNum eq 'SKU-1055'"), nil).want(t, 200)
	if len(jobs.value()) != 1 {
		t.Fatalf("jobs for MTO part: %s", jobs.raw)
	}
	job := jobs.value()[0].(map[string]any)
	jobNum := job["JobNum"].(string)
	if job["ProdQty"] != 3.0 || job["JobComplete"] != false || jobNum != "5001-1-1" {
		t.Fatalf("job: %v", job)
	}
	h.do(t, "GET", odataBase+"Erp.BO.JobEntrySvc/JobEntries('EPIC06','"+jobNum+"')", nil).want(t, 200)
	h.do(t, "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "PartNum": "SKU-1001", "OrderQty": 1}).want(t, http.StatusCreated)
	if n := len(h.srv.Rows("JobEntries", nil)); n != 1 {
		t.Errorf("stock part created a job: %d jobs", n)
	}
	before := h.srv.OnHand("SKU-1055", "OUTL")
	resp, err := http.Post(h.ts.URL+"/_sandbox/jobs/"+jobNum+"/complete", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("complete job: %v %v", resp, err)
	}
	resp.Body.Close()
	if after := h.srv.OnHand("SKU-1055", "OUTL"); after != before+3 {
		t.Fatalf("on hand %v -> %v, want +3", before, after)
	}
	got := collect(t, h, ch)
	done := only(t, got, EventJobCompleted)
	if done.Keys["JobNum"] != jobNum || done.Row["JobComplete"] != true || done.Company != "EPIC06" || done.Table != "JobHead" {
		t.Errorf("job_completed: %+v", done)
	}
	stock := only(t, got, EventPartOnHandChanged)
	if stock.Row["PartNum"] != "SKU-1055" || stock.Row["OnHandQty"] != before+3 {
		t.Errorf("part_onhand_changed: %+v", stock)
	}
	if _, err := h.srv.CompleteJob(jobNum); err == nil {
		t.Error("completing a complete job succeeded")
	}
	resp, _ = http.Post(h.ts.URL+"/_sandbox/jobs/NOPE/complete", "", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown job: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

func TestCustomerAndStockNotifications(t *testing.T) {
	t.Parallel()
	url, ch := notifyReceiver(t)
	h := newHarness(t, Options{})
	body := `{"urls":["` + url + `"]}`
	req, _ := http.NewRequest("PUT", h.ts.URL+"/_sandbox/notify", strings.NewReader(body))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("set notify urls: %v %v", resp, err)
	}
	bad, _ := http.NewRequest("PUT", h.ts.URL+"/_sandbox/notify", strings.NewReader(`{"urls":["not a url"]}`))
	if resp, err := http.DefaultClient.Do(bad); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad notify url accepted: %v %v", resp, err)
	}
	h.do(t, "PATCH", customersPath+"('EPIC06',3)", map[string]any{"PhoneNum": "555"}).want(t, http.StatusNoContent)
	if n := only(t, collect(t, h, ch), EventCustomerChanged); n.Keys["CustNum"] != 3.0 || n.Row["PhoneNum"] != "555" {
		t.Errorf("customer_changed: %+v", n)
	}
	resp, err := http.Post(h.ts.URL+"/_sandbox/onhand", "application/json", strings.NewReader(`{"PartNum":"SKU-1003","WarehouseCode":"DTWN","OnHandQty":42}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("set on hand: %v %v", resp, err)
	}
	if n := only(t, collect(t, h, ch), EventPartOnHandChanged); n.Row["OnHandQty"] != 42.0 || h.srv.OnHand("SKU-1003", "DTWN") != 42 {
		t.Errorf("part_onhand_changed: %+v", n)
	}
	if err := h.srv.SetOnHand("NOPE", "DTWN", 1); err == nil {
		t.Error("SetOnHand accepted an unknown part")
	}
}

func TestWriteAppliedButAnswerLost(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	if err := h.srv.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "delay", DelayMS: 5000, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 150 * time.Millisecond}
	req, _ := http.NewRequest("POST", h.ts.URL+customersPath, strings.NewReader(`{"Company":"EPIC06","CustID":"LOST","Name":"Lost Answer"}`))
	req.Header.Set("X-API-Key", DefaultAPIKey)
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("write answered %d before the client timeout", resp.StatusCode)
	}
	found := h.do(t, "GET", customersPath+"?$filter="+q("CustID eq 'LOST'"), nil).want(t, 200)
	if len(found.value()) != 1 {
		t.Fatalf("the write was not applied: %s", found.raw)
	}
	h.do(t, "POST", customersPath, map[string]any{"Company": "EPIC06", "CustID": "LOST", "Name": "Retry"}).want(t, http.StatusConflict)
	var faulted int
	for _, e := range h.srv.Requests().Since(0) { // entries are logged when the handler ends
		if e.Fault == "write_timeout_delay" && e.Method == "POST" {
			faulted++
		}
	}
	if faulted != 1 {
		t.Errorf("request log has %d withheld writes, want 1: %+v", faulted, h.srv.Requests().Since(0))
	}
}

func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	order := newOrder(t, h, "C-1")
	const n = 40
	errs := make(chan string, n)
	for i := range n {
		go func() {
			r := h.do(t, "POST", linesPath, map[string]any{"Company": "EPIC06", "OrderNum": order, "PartNum": "SKU-1001", "OrderQty": 1 + i%3})
			if r.status != http.StatusCreated {
				errs <- string(r.raw)
				return
			}
			errs <- ""
		}()
	}
	for range n {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
	lines := h.srv.Rows("OrderDtls", map[string]any{"OrderNum": int64(order)})
	seen := map[int64]bool{}
	for _, l := range lines {
		seen[l["OrderLine"].(int64)] = true
	}
	if len(lines) != n || len(seen) != n {
		t.Fatalf("%d lines with %d distinct numbers, want %d", len(lines), len(seen), n)
	}
}
