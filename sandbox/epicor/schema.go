package epicor

import (
	"strings"

	"github.com/bridgework/bridgework/sandbox/odata"
)

// ftype is a column type: s string, i integer, n decimal, b boolean, d date.
type ftype byte

// column is one field of an entity set.
type column struct {
	name     string
	typ      ftype
	readOnly bool
}

// entitySet is one OData entity set of a business-object service.
type entitySet struct {
	service  string
	name     string
	table    string
	keys     []string
	columns  []column
	byName   map[string]column
	navs     map[string]nav
	writable bool
	entity   *odata.Entity
}

// nav links a parent set to a child set on shared key fields.
type nav struct {
	set    string
	fields []string
}

// system columns present on every row.
const systemCols = "SysRowID:s! SysRevID:i! RowMod:s!"

// schemaDef declares every entity set: service, set name, table, keys,
// writability and columns ("Name:type", "!" marks read-only).
var schemaDef = []struct {
	service, set, table, keys string
	writable                  bool
	cols                      string
}{
	{"Erp.BO.SalesOrderSvc", "SalesOrders", "OrderHed", "Company OrderNum", true,
		"Company:s OrderNum:i CustNum:i BTCustNum:i ShipToCustNum:i PONum:s OrderDate:d RequestDate:d NeedByDate:d " +
			"ShipToNum:s TermsCode:s ShipViaCode:s CurrencyCode:s OpenOrder:b! VoidOrder:b OrderHeld:b OrderStatus:s " +
			"OrderAmt:n! DocOrderAmt:n! TotalCharges:n! EntryPerson:s ReadyToCalc:b UseOTS:b OTSName:s OTSAddress1:s " +
			"OTSAddress2:s OTSAddress3:s OTSCity:s OTSState:s OTSZIP:s OTSCountryNum:i CounterSale:b WebOrder:b Plant:s " +
			"ChangeDate:d! ChangeTime:i! ChangedBy:s! CustomerCustID:s! CustomerName:s!"},
	{"Erp.BO.SalesOrderSvc", "OrderDtls", "OrderDtl", "Company OrderNum OrderLine", true,
		"Company:s OrderNum:i OrderLine:i! LineType:s PartNum:s LineDesc:s XPartNum:s RevisionNum:s OrderQty:n " +
			"SellingQuantity:n IUM:s SalesUM:s UnitPrice:n DocUnitPrice:n DiscountPercent:n ProdCode:s RequestDate:d " +
			"NeedByDate:d OpenLine:b! VoidLine:b WarehouseCode:s ExtPriceDtl:n! DocExtPriceDtl:n!"},
	{"Erp.BO.SalesOrderSvc", "OrderRels", "OrderRel", "Company OrderNum OrderLine OrderRelNum", false,
		"Company:s OrderNum:i OrderLine:i OrderRelNum:i PartNum:s OurReqQty:n SellingReqQty:n ReqDate:d NeedByDate:d " +
			"WarehouseCode:s ShipToNum:s OpenRelease:b Make:b"},
	{"Erp.BO.CustomerSvc", "Customers", "Customer", "Company CustNum", true,
		"Company:s CustNum:i! CustID:s Name:s Address1:s Address2:s Address3:s City:s State:s Zip:s Country:s " +
			"CountryNum:i PhoneNum:s FaxNum:s EMailAddress:s CustomerType:s TermsCode:s ShipViaCode:s TerritoryID:s " +
			"CurrencyCode:s GroupCode:s CreditHold:b Inactive:b AllowOTS:b ShipToNum:s"},
	{"Erp.BO.CustomerSvc", "ShipToes", "ShipTo", "Company CustNum ShipToNum", false,
		"Company:s CustNum:i ShipToNum:s Name:s Address1:s City:s State:s ZIP:s Country:s PhoneNum:s"},
	{"Erp.BO.PartSvc", "Parts", "Part", "Company PartNum", false,
		"Company:s PartNum:s PartDescription:s SearchWord:s ClassID:s TypeCode:s IUM:s PUM:s SalesUM:s UnitPrice:n " +
			"PricePerCode:s ProdCode:s NonStock:b InActive:b TrackLots:b TrackSerialNum:b UPCCode1:s UPCCode2:s " +
			"UPCCode3:s SellingFactor:n MakeToOrder_c:b"},
	{"Erp.BO.PartSvc", "PartWhses", "PartWhse", "Company PartNum Plant WarehouseCode", false,
		"Company:s PartNum:s Plant:s WarehouseCode:s OnHandQty:n NonNettableQty:n DemandQty:n SalesDemandQty:n " +
			"JobDemandQty:n ReservedQty:n AllocatedQty:n PickingQty:n PickedQty:n MinimumQty:n MaximumQty:n SafetyQty:n"},
	{"Erp.BO.CashRecSvc", "CashRecs", "CashHead", "Company GroupID HeadNum", true,
		"Company:s GroupID:s HeadNum:i! TranType:s CustNum:i CustID:s! TranDate:d TranAmt:n DocTranAmt:n " +
			"UnAppliedAmt:n! CheckRef:s BankAcctID:s PMUID:i CurrencyCode:s Reference:s Posted:b!"},
	{"Erp.BO.APInvoiceSvc", "APInvoices", "APInvHed", "Company VendorNum InvoiceNum", true,
		"Company:s VendorNum:i InvoiceNum:s GroupID:s InvoiceDate:d DueDate:d ApplyDate:d InvoiceAmt:n DocInvoiceAmt:n " +
			"InvoiceBal:n! OpenPayable:b! Posted:b! DebitMemo:b TermsCode:s Description:s REFPONum:i CurrencyCode:s"},
	{"Erp.BO.JobEntrySvc", "JobEntries", "JobHead", "Company JobNum", false,
		"Company:s JobNum:s PartNum:s RevisionNum:s PartDescription:s ProdQty:n IUM:s JobReleased:b JobEngineered:b " +
			"JobFirm:b JobComplete:b JobClosed:b StartDate:d ReqDueDate:d DueDate:d QtyCompleted:n Plant:s " +
			"OrderNum:i OrderLine:i OrderRelNum:i WarehouseCode:s"},
	{"Erp.BO.GLAccountSvc", "GLAccounts", "GLAccount", "Company COACode GLAccount", false,
		"Company:s COACode:s GLAccount:s AccountDesc:s SegValue1:s SegValue2:s Active:b EffFrom:d EffTo:d"},
	{"Erp.BO.BankAcctSvc", "BankAccts", "BankAcct", "Company BankAcctID", false,
		"Company:s BankAcctID:s Description:s GLAccount:s CurrencyCode:s"},
	{"Erp.BO.PayMethodSvc", "PayMethods", "PayMethod", "Company PMUID", false,
		"Company:s PMUID:i Name:s"},
	{"Erp.BO.VendorSvc", "Vendors", "Vendor", "Company VendorNum", false,
		"Company:s VendorNum:i VendorID:s Name:s TermsCode:s CurrencyCode:s"},
	{"Erp.BO.WarehseSvc", "Warehses", "Warehse", "Company WarehouseCode", false,
		"Company:s WarehouseCode:s Description:s Plant:s"},
}

// navDef declares navigation properties: parent set, name, child set, link fields.
var navDef = []struct{ parent, name, child, fields string }{
	{"SalesOrders", "OrderDtls", "OrderDtls", "Company OrderNum"},
	{"SalesOrders", "OrderRels", "OrderRels", "Company OrderNum"},
	{"OrderDtls", "OrderRels", "OrderRels", "Company OrderNum OrderLine"},
	{"Customers", "ShipToes", "ShipToes", "Company CustNum"},
	{"Parts", "PartWhses", "PartWhses", "Company PartNum"},
}

// schema is the parsed entity sets, by set name and by service.
type schema struct {
	sets     map[string]*entitySet
	services map[string][]*entitySet
}

func buildSchema() *schema {
	sc := &schema{sets: map[string]*entitySet{}, services: map[string][]*entitySet{}}
	for _, d := range schemaDef {
		es := &entitySet{service: d.service, name: d.set, table: d.table, keys: strings.Fields(d.keys),
			byName: map[string]column{}, navs: map[string]nav{}, writable: d.writable,
			entity: &odata.Entity{Name: "Erp.Tablesets." + d.table + "Row", Fields: map[string]bool{}, Navs: map[string]*odata.Entity{}}}
		for _, spec := range strings.Fields(d.cols + " " + systemCols) {
			name, t, _ := strings.Cut(spec, ":")
			c := column{name: name, typ: ftype(t[0]), readOnly: strings.HasSuffix(t, "!")}
			es.columns = append(es.columns, c)
			es.byName[name] = c
			es.entity.Fields[name] = true
		}
		sc.sets[d.set] = es
		sc.services[d.service] = append(sc.services[d.service], es)
	}
	for _, n := range navDef {
		p, c := sc.sets[n.parent], sc.sets[n.child]
		p.navs[n.name] = nav{set: n.child, fields: strings.Fields(n.fields)}
		p.entity.Navs[n.name] = c.entity
	}
	return sc
}

// zero returns the default value of a column type.
func (t ftype) zero() any {
	switch t {
	case 's':
		return ""
	case 'i':
		return int64(0)
	case 'n':
		return 0.0
	case 'b':
		return false
	}
	return nil
}

// blank returns a row with every column at its default.
func (es *entitySet) blank(company string) odata.Row {
	r := odata.Row{}
	for _, c := range es.columns {
		r[c.name] = c.typ.zero()
	}
	r["Company"] = company
	return r
}
