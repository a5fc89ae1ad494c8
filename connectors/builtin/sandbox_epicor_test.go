package builtin

import (
	"fmt"
	"strings"
	"testing"
)

// epOrder creates an Epicor sales order for CustNum 1 with one line of
// part and returns its OrderNum.
func (s *sb) epOrder(t *testing.T, po, part string) float64 {
	t.Helper()
	o := rec(t, s.must(t, s.ep, "create_sales_order", jsonf(`{"CustNum":1,"PONum":%q}`, po)))
	s.must(t, s.ep, "add_sales_order_lines", jsonf(`{"OrderNum":%v,"lines":[{"PartNum":%q,"SellingQuantity":2}]}`, o["OrderNum"], part))
	return num(t, o["OrderNum"])
}

// Every Epicor operation runs through the Invoker against the Epicor
// simulator over HTTP, and its effect is checked in the simulator.
func TestEpicorOperationsAgainstSandbox(t *testing.T) {
	t.Parallel()
	runSandboxCases(t, "epicor", []sandboxCase{
		{op: "create_sales_order", prep: fixed(`{"CustNum":1,"PONum":"HL-100044","OrderDate":"2025-03-04","fields":{"NeedByDate":"2025-03-06"}}`),
			check: func(t *testing.T, s *sb, out any) {
				o := rec(t, out)
				rows := s.Epicor.Rows("SalesOrders", map[string]any{"OrderNum": int64(num(t, o["OrderNum"]))})
				if len(rows) != 1 || rows[0]["PONum"] != "HL-100044" || rows[0]["CustomerCustID"] != "ROEJ" {
					t.Errorf("order %v saved as %v", o, rows)
				}
			}},
		{op: "find_sales_order",
			prep: func(t *testing.T, s *sb) string {
				s.must(t, s.ep, "create_sales_order", `{"CustNum":1,"PONum":"HL-1"}`)
				s.must(t, s.ep, "create_sales_order", `{"CustNum":2,"PONum":"HL-2"}`)
				return `{"PONum":"HL-2","CustNum":2}`
			},
			check: func(t *testing.T, s *sb, out any) {
				if r := found(t, out); r["PONum"] != "HL-2" || r["CustNum"] != 2.0 {
					t.Errorf("found %v, want PONum HL-2 of CustNum 2", r)
				}
			}},
		{op: "add_sales_order_lines",
			prep: func(t *testing.T, s *sb) string {
				o := rec(t, s.must(t, s.ep, "create_sales_order", `{"CustNum":1,"PONum":"HL-3"}`))
				return jsonf(`{"OrderNum":%v,"lines":[{"PartNum":"SKU-1001","SellingQuantity":2,"DocUnitPrice":12.5},{"PartNum":"SKU-1002","SellingQuantity":1,"LineDesc":"Lid"}]}`, o["OrderNum"])
			},
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != 2 {
					t.Fatalf("lines = %v, want 2", l)
				}
				rows := s.Epicor.Rows("OrderDtls", map[string]any{"OrderNum": int64(num(t, rec(t, l[0])["OrderNum"]))})
				if len(rows) != 2 || rows[0]["PartNum"] != "SKU-1001" || rows[1]["LineDesc"] != "Lid" || rows[1]["OrderLine"] != int64(2) {
					t.Errorf("saved lines = %v", rows)
				}
			}},
		{op: "get_sales_order",
			prep: func(t *testing.T, s *sb) string { return jsonf(`{"OrderNum":%v}`, s.epOrder(t, "HL-4", "SKU-1003")) },
			check: func(t *testing.T, s *sb, out any) {
				o := rec(t, out)
				if l := list(t, o["OrderDtls"]); o["PONum"] != "HL-4" || len(l) != 1 || rec(t, l[0])["PartNum"] != "SKU-1003" {
					t.Errorf("order = %v, want PONum HL-4 with a SKU-1003 line", o)
				}
			}},
		{op: "update_sales_order",
			prep: func(t *testing.T, s *sb) string {
				o := rec(t, s.must(t, s.ep, "create_sales_order", `{"CustNum":1,"PONum":"HL-5"}`))
				return jsonf(`{"OrderNum":%v,"fields":{"OrderHeld":true,"ShipViaCode":"UPS"}}`, o["OrderNum"])
			},
			check: func(t *testing.T, s *sb, out any) {
				rows := s.Epicor.Rows("SalesOrders", map[string]any{"PONum": "HL-5"})
				if len(rows) != 1 || rows[0]["OrderHeld"] != true || rows[0]["ShipViaCode"] != "UPS" {
					t.Errorf("order after update = %v", rows)
				}
			}},
		{op: "find_customer", prep: fixed(`{"CustID":"SMITHJ"}`),
			check: foundHas("CustNum", 2.0)},
		{op: "find_customers", prep: fixed(`{"email":"jane.roe@example.com"}`),
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 || rec(t, l[0])["CustID"] != "ROEJ" {
					t.Errorf("customers = %v, want ROEJ", l)
				}
			}},
		{op: "get_customer", prep: fixed(`{"CustNum":1}`),
			check: recordHas("CustID", "ROEJ")},
		{op: "create_customer", prep: fixed(`{"CustID":"OBRIENS","Name":"O'Brien & Sons — Zürich","EMailAddress":"ap@obrien.test","fields":{"City":"Zürich"}}`),
			check: func(t *testing.T, s *sb, out any) {
				rows := s.Epicor.Rows("Customers", map[string]any{"CustNum": int64(num(t, rec(t, out)["CustNum"]))})
				if len(rows) != 1 || rows[0]["Name"] != "O'Brien & Sons — Zürich" || rows[0]["City"] != "Zürich" {
					t.Errorf("created customer = %v", rows)
				}
			}},
		{op: "update_customer", prep: fixed(`{"CustNum":3,"fields":{"PhoneNum":"555-0199"}}`),
			check: func(t *testing.T, s *sb, out any) {
				if rows := s.Epicor.Rows("Customers", map[string]any{"CustNum": int64(3)}); len(rows) != 1 || rows[0]["PhoneNum"] != "555-0199" {
					t.Errorf("customer after update = %v", rows)
				}
			}},
		{op: "update_customers_batch",
			// Five customers, two per call, one of them unknown: three calls,
			// the refused pair retried row by row (two more), one row reported.
			prep: fixed(`{"updates":[{"CustNum":1,"fields":{"PhoneNum":"555-0101"}},{"CustNum":2,"fields":{"PhoneNum":"555-0102"}},` +
				`{"CustNum":3,"fields":{"PhoneNum":"555-0103"}},{"CustNum":999999,"fields":{"PhoneNum":"555-0000"}},` +
				`{"CustNum":4,"fields":{"PhoneNum":"555-0104"}}],"batch_size":2}`),
			check: func(t *testing.T, s *sb, out any) {
				res := rec(t, out)
				failed := list(t, res["failed"])
				if res["calls"] != float64(5) || res["applied"] != float64(4) || len(failed) != 1 || rec(t, failed[0])["CustNum"] != float64(999999) {
					t.Fatalf("result = %v", res)
				}
				var updates int
				for _, e := range requestLog(s.Epicor) {
					if strings.HasSuffix(e.Path, "Erp.BO.CustomerSvc/Update") {
						updates++
					}
				}
				if updates != 5 {
					t.Errorf("the simulator saw %d Update calls, want 5", updates)
				}
				for n := int64(1); n <= 4; n++ {
					if rows := s.Epicor.Rows("Customers", map[string]any{"CustNum": n}); len(rows) != 1 || rows[0]["PhoneNum"] != fmt.Sprintf("555-010%d", n) {
						t.Errorf("customer %d after the batch = %v", n, rows)
					}
				}
			}},
		{op: "get_part", prep: fixed(`{"PartNum":"SKU-1001"}`),
			check: recordHas("PartNum", "SKU-1001", "PartDescription", "Blue Mug")},
		{op: "list_parts", prep: fixed(`{"filter":"MakeToOrder_c eq true","select":["PartNum","TypeCode"]}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != 4 || rec(t, l[0])["PartNum"] != "SKU-1053" || rec(t, l[0])["TypeCode"] != "M" {
					t.Errorf("make-to-order parts = %v, want SKU-1053…SKU-1056", l)
				}
			}},
		{op: "list_part_warehouses", prep: fixed(`{"filter":"PartNum eq 'SKU-1001'","select":["PartNum","WarehouseCode","OnHandQty"]}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != len(s.Epicor.Rows("PartWhses", map[string]any{"PartNum": "SKU-1001"})) || len(l) == 0 || rec(t, l[0])["PartNum"] != "SKU-1001" {
					t.Errorf("warehouse rows of SKU-1001 = %v", l)
				}
			}},
		{op: "list_customers", prep: fixed(`{"filter":"CustID eq 'ROEJ'","select":["CustID","Name"]}`),
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 || rec(t, l[0])["CustID"] != "ROEJ" {
					t.Errorf("customers = %v, want ROEJ only", l)
				}
			}},
		{op: "list_cash_receipts",
			prep: func(t *testing.T, s *sb) string {
				s.must(t, s.ep, "create_cash_receipt", `{"GroupID":"HL0304","CustNum":1,"TranAmt":12.5,"CheckRef":"PAY-LIST-1","TranDate":"2025-03-04","fields":{"BankAcctID":"CARD","PMUID":1}}`)
				return `{"filter":"CheckRef eq 'PAY-LIST-1'"}`
			},
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 || rec(t, l[0])["CheckRef"] != "PAY-LIST-1" {
					t.Errorf("cash receipts = %v, want PAY-LIST-1", l)
				}
			}},
		{op: "get_part_on_hand", prep: fixed(`{"PartNum":"SKU-1001","Plant":"MfgSys"}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != 3 {
					t.Fatalf("warehouses = %v, want 3", l)
				}
				for _, w := range l {
					r := rec(t, w)
					if want := s.Epicor.OnHand("SKU-1001", r["WarehouseCode"].(string)); r["OnHandQty"] != want {
						t.Errorf("row %v, want OnHandQty %v", r, want)
					}
				}
			}},
		{op: "create_cash_receipt", prep: fixed(`{"GroupID":"HL0304","CustNum":1,"TranAmt":77.76,"CheckRef":"HL-PAY-100455","TranDate":"2025-03-04","fields":{"BankAcctID":"CARD","PMUID":1}}`),
			check: func(t *testing.T, s *sb, out any) {
				rows := s.Epicor.Rows("CashRecs", map[string]any{"CheckRef": "HL-PAY-100455"})
				if len(rows) != 1 || rows[0]["TranAmt"] != 77.76 || rows[0]["HeadNum"] != int64(num(t, rec(t, out)["HeadNum"])) {
					t.Errorf("cash receipt = %v, saved %v", out, rows)
				}
			}},
		{op: "find_cash_receipt",
			prep: func(t *testing.T, s *sb) string {
				s.must(t, s.ep, "create_cash_receipt", `{"GroupID":"HL0304","CustNum":1,"TranAmt":5,"CheckRef":"O'Brien #1","TranDate":"2025-03-04"}`)
				return `{"CheckRef":"O'Brien #1"}`
			},
			check: foundHas("TranAmt", 5.0)},
		{op: "create_ap_invoice", prep: fixed(`{"VendorNum":1,"InvoiceNum":"INV-1","GroupID":"AP01","InvoiceAmt":100,"TermsCode":"N30","InvoiceDate":"2025-03-04"}`),
			check: func(t *testing.T, s *sb, out any) {
				rows := s.Epicor.Rows("APInvoices", map[string]any{"InvoiceNum": "INV-1"})
				if len(rows) != 1 || rows[0]["InvoiceAmt"] != 100.0 || rows[0]["VendorNum"] != int64(1) {
					t.Errorf("AP invoice saved as %v", rows)
				}
			}},
		{op: "find_ap_invoice",
			prep: func(t *testing.T, s *sb) string {
				s.must(t, s.ep, "create_ap_invoice", `{"VendorNum":2,"InvoiceNum":"A/1 'x'","GroupID":"AP01","InvoiceAmt":9,"TermsCode":"N30","InvoiceDate":"2025-03-04"}`)
				return `{"VendorNum":2,"InvoiceNum":"A/1 'x'"}`
			},
			check: foundHas("InvoiceAmt", 9.0)},
		{op: "get_job",
			prep: func(t *testing.T, s *sb) string {
				return jsonf(`{"JobNum":"%v-1-1"}`, s.epOrder(t, "HL-6", "SKU-1053"))
			},
			check: recordHas("PartNum", "SKU-1053", "ProdQty", 2.0)},
		{op: "list_gl_accounts", prep: fixed(`{"COACode":"MainBook","active_only":true,"filter":"SegValue1 eq '1000' or SegValue1 eq '6100'"}`),
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 2 || rec(t, l[0])["GLAccount"] != "1000|00" || rec(t, l[1])["GLAccount"] != "6100|00" {
					t.Errorf("GL accounts = %v", l)
				}
			}},
	})
}
