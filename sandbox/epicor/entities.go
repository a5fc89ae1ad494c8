package epicor

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/bridgework/bridgework/sandbox/odata"
)

// writers maps writable entity sets to their rules.
var writers = map[string]writer{
	"SalesOrders": {create: createOrder, update: updateOrder, remove: removeOrder},
	"OrderDtls":   {create: createLine, added: lineAdded, update: updateLine, remove: removeLine},
	"Customers":   {create: createCustomer, update: updateCustomer},
	"CashRecs":    {create: createCashRec},
	"APInvoices":  {create: createAPInvoice},
}

func maxInt(rows []odata.Row, field string) int64 {
	var m int64
	for _, r := range rows {
		if n, _ := r[field].(int64); n > m {
			m = n
		}
	}
	return m
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// partWhse finds (or, with create, adds) the PartWhse row of a part.
func (st *state) partWhse(partNum, whse string, create bool) odata.Row {
	t := st.tables["PartWhses"]
	if r, ok := t.get([]any{st.company, partNum, st.plant, whse}); ok || !create {
		return r
	}
	r := t.set.blank(st.company)
	r["PartNum"], r["Plant"], r["WarehouseCode"] = partNum, st.plant, whse
	st.add("PartWhses", r)
	return r
}

func (st *state) customer(custNum any) (odata.Row, bool) {
	return st.tables["Customers"].get([]any{st.company, custNum})
}

// joinCustomer checks CustNum and fills the read-only customer columns.
func joinCustomer(st *state, es *entitySet, row odata.Row) *apiError {
	c, ok := st.customer(row["CustNum"])
	if !ok {
		return bizErr(es, "CustNum", "Customer number %v is not valid.", row["CustNum"])
	}
	row["CustomerCustID"], row["CustomerName"] = c["CustID"], c["Name"]
	return nil
}

func stampChange(st *state, row odata.Row) {
	now := st.now().UTC()
	row["ChangeDate"] = st.today()
	row["ChangeTime"] = int64(now.Hour()*3600 + now.Minute()*60 + now.Second())
	row["ChangedBy"] = DefaultUsername
}

func createOrder(s *Server, st *state, es *entitySet, row odata.Row, n *notes) *apiError {
	if err := joinCustomer(st, es, row); err != nil {
		return err
	}
	if row["OrderNum"] == int64(0) {
		row["OrderNum"] = max(st.tables["SalesOrders"].maxKey["OrderNum"], 5000) + 1
	}
	for _, f := range []string{"BTCustNum", "ShipToCustNum"} {
		if row[f] == int64(0) {
			row[f] = row["CustNum"]
		}
	}
	if row["OrderDate"] == nil {
		row["OrderDate"] = st.today()
	}
	if row["CurrencyCode"] == "" {
		row["CurrencyCode"] = "USD"
	}
	if row["Plant"] == "" {
		row["Plant"] = st.plant
	}
	row["OpenOrder"], row["OrderStatus"], row["EntryPerson"] = true, "OPEN", DefaultUsername
	stampChange(st, row)
	n.raise(st, es, EventSalesOrderChanged, row)
	return nil
}

func updateOrder(_ *Server, st *state, es *entitySet, old, row odata.Row, n *notes) *apiError {
	if row["CustNum"] != old["CustNum"] {
		if err := joinCustomer(st, es, row); err != nil {
			return err
		}
	}
	if row["VoidOrder"] == true {
		row["OpenOrder"], row["OrderStatus"] = false, "CLOSED"
	}
	stampChange(st, row)
	n.raise(st, es, EventSalesOrderChanged, row)
	return nil
}

func removeOrder(_ *Server, st *state, es *entitySet, row odata.Row, n *notes) {
	for _, set := range []string{"OrderRels", "OrderDtls"} {
		for _, child := range st.tables[set].where(map[string]any{"OrderNum": row["OrderNum"]}) {
			if set == "OrderDtls" {
				st.demand(child, -1)
			}
			st.tables[set].remove(child)
		}
	}
	n.raise(st, es, EventSalesOrderChanged, row)
}

// orderTotals recomputes OrderAmt from the open lines.
func orderTotals(st *state, order odata.Row) {
	var sum float64
	for _, l := range st.tables["OrderDtls"].where(map[string]any{"OrderNum": order["OrderNum"]}) {
		if l["VoidLine"] != true {
			sum += l["ExtPriceDtl"].(float64)
		}
	}
	order["OrderAmt"], order["DocOrderAmt"] = round2(sum), round2(sum)
}

// demand adds sign*OrderQty to the part's sales demand in the line's warehouse.
func (st *state) demand(line odata.Row, sign float64) {
	if pw := st.partWhse(line["PartNum"].(string), line["WarehouseCode"].(string), false); pw != nil {
		q := sign * line["OrderQty"].(float64)
		pw["DemandQty"] = pw["DemandQty"].(float64) + q
		pw["SalesDemandQty"] = pw["SalesDemandQty"].(float64) + q
		st.bump(pw)
	}
}

func createLine(s *Server, st *state, es *entitySet, row odata.Row, n *notes) *apiError {
	order, ok := st.tables["SalesOrders"].get([]any{st.company, row["OrderNum"]})
	if !ok {
		return bizErr(es, "OrderNum", "Sales order %v was not found.", row["OrderNum"])
	}
	if order["OpenOrder"] != true {
		return bizErr(es, "OrderNum", "Sales order %v is closed.", row["OrderNum"])
	}
	part, known := st.tables["Parts"].get([]any{st.company, row["PartNum"]})
	if row["PartNum"] == "" || (!known && !s.opts.AllowUnknownParts) {
		return invalidPart(es, row["PartNum"])
	}
	if err := lineQty(es, row); err != nil {
		return err
	}
	row["OrderLine"] = maxInt(st.tables["OrderDtls"].where(map[string]any{"OrderNum": row["OrderNum"]}), "OrderLine") + 1
	if row["LineType"] == "" {
		row["LineType"] = "PART"
	}
	if known {
		if row["LineDesc"] == "" {
			row["LineDesc"] = part["PartDescription"]
		}
		if row["DocUnitPrice"] == 0.0 && row["UnitPrice"] == 0.0 {
			row["DocUnitPrice"] = part["UnitPrice"]
		}
		row["IUM"], row["SalesUM"], row["ProdCode"] = part["IUM"], part["SalesUM"], part["ProdCode"]
	}
	if row["WarehouseCode"] == "" {
		row["WarehouseCode"] = st.tables["Warehses"].rows[0]["WarehouseCode"]
	} else if _, ok := st.tables["Warehses"].get([]any{st.company, row["WarehouseCode"]}); !ok {
		return bizErr(es, "WarehouseCode", "Warehouse %v is not valid.", row["WarehouseCode"])
	}
	for _, f := range []string{"RequestDate", "NeedByDate"} {
		if row[f] == nil {
			row[f] = order[f]
		}
	}
	row["OpenLine"] = true
	linePrice(row)
	return nil
}

// lineAdded books demand, adds the release, opens a job for make-to-order
// parts and updates the order total.
func lineAdded(s *Server, st *state, _ *entitySet, row odata.Row, n *notes) {
	part, known := st.tables["Parts"].get([]any{st.company, row["PartNum"]})
	order, _ := st.tables["SalesOrders"].get([]any{st.company, row["OrderNum"]})
	st.demand(row, 1)
	mto := known && part["MakeToOrder_c"] == true
	rel := st.tables["OrderRels"].set.blank(st.company)
	for _, f := range []string{"OrderNum", "OrderLine", "PartNum", "WarehouseCode", "NeedByDate"} {
		rel[f] = row[f]
	}
	rel["OrderRelNum"], rel["OurReqQty"], rel["SellingReqQty"] = int64(1), row["OrderQty"], row["SellingQuantity"]
	rel["ReqDate"], rel["OpenRelease"], rel["Make"] = row["RequestDate"], true, mto
	st.add("OrderRels", rel)
	if mto {
		st.createJob(row, part)
	}
	orderTotals(st, order)
	stampChange(st, order)
	st.bump(order)
	n.raise(st, s.schema.sets["SalesOrders"], EventSalesOrderChanged, order)
}

// invalidPart is the error for an order line whose part is not in the
// part master.
func invalidPart(es *entitySet, partNum any) *apiError {
	e := bizErr(es, "PartNum", "Part number %v is not valid.", partNum)
	e.method = "ChangePartNumMaster"
	return e
}

// lineQty reconciles SellingQuantity and OrderQty (either may be sent).
func lineQty(es *entitySet, row odata.Row) *apiError {
	sq, oq := row["SellingQuantity"].(float64), row["OrderQty"].(float64)
	switch {
	case sq == 0:
		sq = oq
	case oq == 0:
		oq = sq
	}
	if sq <= 0 {
		return bizErr(es, "SellingQuantity", "Order quantity must be greater than zero.")
	}
	row["SellingQuantity"], row["OrderQty"] = sq, oq
	return nil
}

func linePrice(row odata.Row) {
	if row["DocUnitPrice"] == 0.0 {
		row["DocUnitPrice"] = row["UnitPrice"]
	}
	row["UnitPrice"] = row["DocUnitPrice"]
	ext := round2(row["SellingQuantity"].(float64) * row["DocUnitPrice"].(float64) * (1 - row["DiscountPercent"].(float64)/100))
	row["ExtPriceDtl"], row["DocExtPriceDtl"] = ext, ext
}

// createJob opens a make-to-order job for an order line.
func (st *state) createJob(line, part odata.Row) {
	job := st.tables["JobEntries"].set.blank(st.company)
	job["JobNum"] = fmt.Sprintf("%d-%d-1", line["OrderNum"], line["OrderLine"])
	job["PartNum"], job["PartDescription"], job["IUM"] = part["PartNum"], part["PartDescription"], part["IUM"]
	job["ProdQty"], job["Plant"], job["WarehouseCode"] = line["OrderQty"], st.plant, line["WarehouseCode"]
	job["OrderNum"], job["OrderLine"], job["OrderRelNum"] = line["OrderNum"], line["OrderLine"], int64(1)
	job["JobReleased"], job["JobEngineered"], job["JobFirm"] = true, true, true
	job["StartDate"], job["ReqDueDate"] = st.today(), line["NeedByDate"]
	st.add("JobEntries", job)
}

func updateLine(s *Server, st *state, es *entitySet, old, row odata.Row, n *notes) *apiError {
	if row["PartNum"] != old["PartNum"] || row["WarehouseCode"] != old["WarehouseCode"] {
		return bizErr(es, "PartNum", "PartNum and WarehouseCode cannot be changed on an existing line; void it and add a new one.")
	}
	if row["SellingQuantity"] != old["SellingQuantity"] {
		row["OrderQty"] = 0.0
	} else if row["OrderQty"] != old["OrderQty"] {
		row["SellingQuantity"] = 0.0
	}
	if err := lineQty(es, row); err != nil {
		return err
	}
	if row["UnitPrice"] != old["UnitPrice"] && row["DocUnitPrice"] == old["DocUnitPrice"] {
		row["DocUnitPrice"] = row["UnitPrice"]
	}
	linePrice(row)
	st.demand(old, -1)
	if row["VoidLine"] == true {
		row["OpenLine"] = false
	} else {
		st.demand(row, 1)
	}
	for _, rel := range st.tables["OrderRels"].where(map[string]any{"OrderNum": row["OrderNum"], "OrderLine": row["OrderLine"]}) {
		rel["OurReqQty"], rel["SellingReqQty"], rel["OpenRelease"] = row["OrderQty"], row["SellingQuantity"], row["OpenLine"]
	}
	order, _ := st.tables["SalesOrders"].get([]any{st.company, row["OrderNum"]})
	for k, v := range row {
		old[k] = v // totals read the stored line
	}
	orderTotals(st, order)
	stampChange(st, order)
	st.bump(order)
	n.raise(st, s.schema.sets["SalesOrders"], EventSalesOrderChanged, order)
	return nil
}

func removeLine(s *Server, st *state, _ *entitySet, row odata.Row, n *notes) {
	st.demand(row, -1)
	for _, rel := range st.tables["OrderRels"].where(map[string]any{"OrderNum": row["OrderNum"], "OrderLine": row["OrderLine"]}) {
		st.tables["OrderRels"].remove(rel)
	}
	order, _ := st.tables["SalesOrders"].get([]any{st.company, row["OrderNum"]})
	row["ExtPriceDtl"] = 0.0
	orderTotals(st, order)
	st.bump(order)
	n.raise(st, s.schema.sets["SalesOrders"], EventSalesOrderChanged, order)
}

// custIDTaken reports whether another customer already uses id (CustID is
// compared case-insensitively, as the database collation does).
func custIDTaken(st *state, id string, except any) bool {
	for _, c := range st.tables["Customers"].rows {
		if strings.EqualFold(c["CustID"].(string), id) && c["CustNum"] != except {
			return true
		}
	}
	return false
}

func checkCustomer(s *Server, st *state, es *entitySet, row odata.Row) *apiError {
	id := strings.TrimSpace(row["CustID"].(string))
	switch {
	case id == "":
		return bizErr(es, "CustID", "Customer ID is required.")
	case utf8.RuneCountInString(id) > 10: // nvarchar(10): characters, not bytes
		return bizErr(es, "CustID", "Customer ID %s is longer than 10 characters.", id)
	case strings.TrimSpace(row["Name"].(string)) == "":
		return bizErr(es, "Name", "Customer name is required.")
	case custIDTaken(st, id, row["CustNum"]):
		return s.duplicate(es, "CustID", "Customer ID %s already exists.", id)
	}
	return nil
}

func createCustomer(s *Server, st *state, es *entitySet, row odata.Row, n *notes) *apiError {
	row["CustNum"] = int64(-1)
	if err := checkCustomer(s, st, es, row); err != nil {
		return err
	}
	row["CustNum"] = st.tables["Customers"].maxKey["CustNum"] + 1
	for f, v := range map[string]string{"CustomerType": "CUS", "TermsCode": "N30", "CurrencyCode": "USD"} {
		if row[f] == "" {
			row[f] = v
		}
	}
	n.raise(st, es, EventCustomerChanged, row)
	return nil
}

func updateCustomer(s *Server, st *state, es *entitySet, _, row odata.Row, n *notes) *apiError {
	if err := checkCustomer(s, st, es, row); err != nil {
		return err
	}
	n.raise(st, es, EventCustomerChanged, row)
	return nil
}

func createCashRec(_ *Server, st *state, es *entitySet, row odata.Row, _ *notes) *apiError {
	if strings.TrimSpace(row["GroupID"].(string)) == "" {
		return bizErr(es, "GroupID", "Cash receipt group is required.")
	}
	c, ok := st.customer(row["CustNum"])
	if !ok {
		return bizErr(es, "CustNum", "Customer number %v is not valid.", row["CustNum"])
	}
	if id := row["BankAcctID"]; id != "" {
		if _, ok := st.tables["BankAccts"].get([]any{st.company, id}); !ok {
			return bizErr(es, "BankAcctID", "Bank account %v is not valid.", id)
		}
	}
	if pm := row["PMUID"]; pm != int64(0) {
		if _, ok := st.tables["PayMethods"].get([]any{st.company, pm}); !ok {
			return bizErr(es, "PMUID", "Payment method %v is not valid.", pm)
		}
	}
	if row["TranAmt"].(float64) <= 0 && row["DocTranAmt"].(float64) <= 0 {
		return bizErr(es, "TranAmt", "Receipt amount must be greater than zero.")
	}
	if row["TranAmt"] == 0.0 {
		row["TranAmt"] = row["DocTranAmt"]
	}
	row["DocTranAmt"], row["UnAppliedAmt"], row["CustID"] = row["TranAmt"], row["TranAmt"], c["CustID"]
	row["HeadNum"] = maxInt(st.tables["CashRecs"].where(map[string]any{"GroupID": row["GroupID"]}), "HeadNum") + 1
	if row["TranType"] == "" {
		row["TranType"] = "PayInv"
	}
	if row["TranDate"] == nil {
		row["TranDate"] = st.today()
	}
	if row["CurrencyCode"] == "" {
		row["CurrencyCode"] = "USD"
	}
	return nil
}

func createAPInvoice(_ *Server, st *state, es *entitySet, row odata.Row, _ *notes) *apiError {
	if _, ok := st.tables["Vendors"].get([]any{st.company, row["VendorNum"]}); !ok {
		return bizErr(es, "VendorNum", "Vendor number %v is not valid.", row["VendorNum"])
	}
	switch {
	case strings.TrimSpace(row["InvoiceNum"].(string)) == "":
		return bizErr(es, "InvoiceNum", "Invoice number is required.")
	case row["TermsCode"] == "":
		return bizErr(es, "TermsCode", "Terms code is required.")
	}
	if row["InvoiceDate"] == nil {
		row["InvoiceDate"] = st.today()
	}
	for _, f := range []string{"ApplyDate", "DueDate"} {
		if row[f] == nil {
			row[f] = row["InvoiceDate"]
		}
	}
	if row["DocInvoiceAmt"] == 0.0 {
		row["DocInvoiceAmt"] = row["InvoiceAmt"]
	}
	if row["CurrencyCode"] == "" {
		row["CurrencyCode"] = "USD"
	}
	row["InvoiceBal"], row["OpenPayable"] = row["InvoiceAmt"], true
	return nil
}
