package epicor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// DefaultRate is the default request rate per connection. Epicor documents
// no limit; the real ceiling is app-server capacity and licences.
const DefaultRate = 10

// DefaultLimit caps list operations unless the input sets "limit".
const DefaultLimit = 1000

type (
	in   = connectors.Values
	call = connectors.Call[*Client]
)

var run = connectors.Runner[*Client]

// Spec is the Epicor connection type: its config, how to open it and its
// operations.
func Spec() connectors.System {
	return connectors.System{
		Name:  System,
		Title: "Epicor Kinetic",
		ConfigSchema: connectors.Input(append(connectors.SettingsProps("Server root without the instance, e.g. https://erp.example.com", connectors.RateLimit{PerSecond: DefaultRate}),
			connectors.String("instance", "Instance (app server) name, e.g. Kinetic").Required(),
			connectors.String("company", "Company ID, e.g. EPIC06").Required(),
			connectors.String("plant", "Site (plant) ID sent in CallSettings, e.g. MfgSys"),
			connectors.String("auth", "basic (default), token (TokenResource.svc) or bearer").Enum("basic", "token", "bearer"),
			connectors.Number("token_lifetime_seconds", "Token lifetime assumed when the token service does not state one (default 3600)"),
		)...),
		Secrets:    []string{"api_key", "username", "password", "access_token"},
		Open:       open,
		Operations: operations(),
	}
}

// open builds a client from a connection.
func open(conn connectors.Connection, env connectors.Env) (connectors.Client, error) {
	v := connectors.NewValues("config", conn.Config)
	s := connectors.ReadSettings(v, connectors.RateLimit{PerSecond: DefaultRate})
	t := Target{BaseURL: s.BaseURL, Instance: v.RequiredString("instance"), Company: v.RequiredString("company"), Plant: v.String("plant")}
	mode := v.String("auth")
	lifetime, _ := v.Float("token_lifetime_seconds")
	if err := v.Err(); err != nil {
		return nil, err
	}
	opts := env.HTTPOptions(conn, s)
	sec := conn.Secrets
	need := func(names ...string) error {
		for _, n := range names {
			if sec[n] == "" {
				return &connectors.InputError{Field: "secrets." + n, Problem: fmt.Sprintf("is required for auth=%s", cmp.Or(mode, "basic"))}
			}
		}
		return nil
	}
	var auth httpx.Authenticator
	switch mode {
	case "", "basic":
		if err := need("username", "password"); err != nil {
			return nil, err
		}
		auth = BasicAuth{APIKey: sec["api_key"], Username: sec["username"], Password: sec["password"]}
	case "token":
		if err := need("username", "password"); err != nil {
			return nil, err
		}
		auth = NewTokenAuth(t, sec["api_key"], sec["username"], sec["password"], time.Duration(lifetime*float64(time.Second)), opts)
	case "bearer":
		if err := need("access_token"); err != nil {
			return nil, err
		}
		auth = BearerAuth{APIKey: sec["api_key"], Token: sec["access_token"]}
	default:
		return nil, &connectors.InputError{Field: "config.auth", Problem: fmt.Sprintf("must be basic, token or bearer, got %q", mode)}
	}
	return New(t, auth, opts), nil
}

// Input properties shared by several operations.
var (
	fieldsProp = connectors.Object("fields", "Other fields to set, by Epicor field name (e.g. NeedByDate, ShipViaCode, UD fields ending in _c)")
	queryProps = []connectors.Prop{
		connectors.String("filter", "OData $filter, e.g. ClassID eq 'FG' (quote strings, double inner quotes)"),
		connectors.Array("select", "$select fields", map[string]any{"type": "string"}),
		connectors.Array("orderby", "$orderby, e.g. PartNum desc", map[string]any{"type": "string"}),
		connectors.Integer("top", "$top: one page of this size instead of all pages"),
		connectors.Integer("skip", "$skip"),
		connectors.Integer("limit", "Stop after this many rows (default 1000; 0 = all)"),
	}
)

// listOf is a read operation taking queryProps and listing one entity set.
func listOf(name, description, output string, list func(*Client, context.Context, Query, int) ([]Record, error)) connectors.Operation {
	return connectors.Operation{Name: name, Description: description,
		InputSchema: connectors.Input(queryProps...), OutputSchema: connectors.Output("array", output),
		Run: run(func(v *in) call {
			q, limit := query(v)
			return func(ctx context.Context, c *Client) (any, error) { return list(c, ctx, q, limit) }
		})}
}

// query reads queryProps.
func query(v *in) (Query, int) {
	return Query{Filter: v.String("filter"), Select: v.Strings("select"), OrderBy: v.Strings("orderby"),
		Top: int(v.Int("top")), Skip: int(v.Int("skip"))}, v.Limit("limit", DefaultLimit)
}

// row merges named inputs over the "fields" object.
func row(v *in, names ...string) map[string]any {
	r := v.Fields("fields")
	for _, n := range names {
		if val, ok := v.Raw(n); ok {
			r[n] = val
		}
	}
	return r
}

func operations() []connectors.Operation {
	record := func(desc string) []byte { return connectors.Output("object", desc) }
	records := func(desc string) []byte { return connectors.Output("array", desc) }
	found := connectors.FoundOutput
	orderNum := connectors.Integer("OrderNum", "Sales order number").Required()
	custNum := connectors.Integer("CustNum", "Customer number (internal)").Required()
	return []connectors.Operation{
		{Name: "create_sales_order", Description: "Create a sales order header: POST Erp.BO.SalesOrderSvc/SalesOrders", Writes: true,
			IdempotencyKey: "PONum", Lookup: "find_sales_order",
			InputSchema: connectors.Input(custNum,
				connectors.String("PONum", "Customer PO number; carry the Heartland order number here (the de-duplication key)").Required(),
				connectors.String("OrderDate", "Order date, e.g. 2025-03-04 (default today)"),
				connectors.String("RequestDate", "Requested ship date"),
				connectors.String("NeedByDate", "Need-by date"),
				fieldsProp),
			OutputSchema: record("The saved OrderHed row, with OrderNum"),
			Run: run(func(v *in) call {
				r := row(v, "CustNum", "PONum", "OrderDate", "RequestDate", "NeedByDate")
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateSalesOrder(ctx, r) }
			})},
		{Name: "find_sales_order", Description: "Find an order by PONum: GET SalesOrders?$filter=PONum eq '...'",
			InputSchema: connectors.Input(connectors.String("PONum", "Customer PO number").Required(),
				connectors.Integer("CustNum", "Only this customer's orders")),
			OutputSchema: found,
			Run: run(func(v *in) call {
				po, cust := v.RequiredString("PONum"), v.Int("CustNum")
				return func(ctx context.Context, c *Client) (any, error) {
					return connectors.First(c.FindSalesOrdersByPO(ctx, po, cust))
				}
			})},
		{Name: "add_sales_order_lines", Description: "Add lines to an order: POST Erp.BO.SalesOrderSvc/OrderDtls per line, in order", Writes: true,
			InputSchema: connectors.Input(orderNum,
				connectors.Array("lines", "Lines: PartNum, SellingQuantity, DocUnitPrice, LineDesc and any other OrderDtl fields", connectors.ObjectSchema(
					connectors.String("PartNum", "Part number (need not exist in the part master)").Required(),
					connectors.Number("SellingQuantity", "Quantity in the selling UOM").Required(),
					connectors.Number("DocUnitPrice", "Unit price in the order currency"),
					connectors.String("LineDesc", "Line description"))).Required()),
			OutputSchema: records("The saved OrderDtl rows with OrderLine"),
			Run: run(func(v *in) call {
				n, lines := v.RequiredInt("OrderNum"), v.Objects("lines")
				return func(ctx context.Context, c *Client) (any, error) { return c.AddOrderLines(ctx, n, lines) }
			})},
		{Name: "get_sales_order", Description: "Get an order by number: GET SalesOrders('{company}',{OrderNum})?$expand=OrderDtls",
			InputSchema:  connectors.Input(orderNum, connectors.Boolean("with_lines", "Include OrderDtls (default true)")),
			OutputSchema: record("The OrderHed row, with OrderDtls when asked"),
			Run: run(func(v *in) call {
				n, lines := v.RequiredInt("OrderNum"), v.Bool("with_lines", true)
				return func(ctx context.Context, c *Client) (any, error) { return c.GetSalesOrder(ctx, n, lines) }
			})},
		{Name: "update_sales_order", Description: "Update order header fields: PATCH SalesOrders('{company}',{OrderNum})", Writes: true,
			InputSchema: connectors.Input(orderNum, fieldsProp.Required()), OutputSchema: record("{OrderNum}"),
			Run: run(func(v *in) call {
				n, f := v.RequiredInt("OrderNum"), v.Map("fields")
				return func(ctx context.Context, c *Client) (any, error) {
					return map[string]any{"OrderNum": n}, c.UpdateSalesOrder(ctx, n, f)
				}
			})},
		{Name: "find_customer", Description: "Find a customer by CustID: GET Customers?$filter=CustID eq '...'",
			InputSchema: connectors.Input(connectors.String("CustID", "Customer ID").Required()), OutputSchema: found,
			Run: run(func(v *in) call {
				id := v.RequiredString("CustID")
				return func(ctx context.Context, c *Client) (any, error) { return connectors.Lookup(c.FindCustomer(ctx, id)) }
			})},
		{Name: "find_customers", Description: "Find customers by CustID, email (EMailAddress) or exact Name: GET Customers?$filter=...",
			InputSchema: connectors.Input(connectors.String("CustID", "Customer ID"), connectors.String("email", "Email address"),
				connectors.String("name", "Exact name"), connectors.Integer("limit", "At most this many (default 50; 0 = all)")),
			OutputSchema: records("Customer rows"),
			Run: run(func(v *in) call {
				s := CustomerSearch{CustID: v.String("CustID"), Email: v.String("email"), Name: v.String("name")}
				limit := v.Limit("limit", 50)
				return func(ctx context.Context, c *Client) (any, error) { return c.FindCustomers(ctx, s, limit) }
			})},
		listOf("list_customers", "List customers with an OData query: GET Erp.BO.CustomerSvc/Customers", "Customer rows", (*Client).ListCustomers),
		{Name: "get_customer", Description: "Get a customer: GET Customers('{company}',{CustNum})",
			InputSchema: connectors.Input(custNum), OutputSchema: record("The customer row"),
			Run: run(func(v *in) call {
				n := v.RequiredInt("CustNum")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetCustomer(ctx, n) }
			})},
		{Name: "create_customer", Description: "Create a customer: POST Erp.BO.CustomerSvc/Customers", Writes: true,
			IdempotencyKey: "CustID", Lookup: "find_customer",
			InputSchema: connectors.Input(connectors.String("CustID", "Customer ID (unique; the de-duplication key)").Required(),
				connectors.String("Name", "Name").Required(),
				connectors.String("EMailAddress", "Email"), fieldsProp),
			OutputSchema: record("The saved customer row, with CustNum"),
			Run: run(func(v *in) call {
				r := row(v, "CustID", "Name", "EMailAddress")
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateCustomer(ctx, r) }
			})},
		{Name: "update_customer", Description: "Update customer fields: PATCH Customers('{company}',{CustNum})", Writes: true,
			InputSchema: connectors.Input(custNum, fieldsProp.Required()), OutputSchema: record("{CustNum}"),
			Run: run(func(v *in) call {
				n, f := v.RequiredInt("CustNum"), v.Map("fields")
				return func(ctx context.Context, c *Client) (any, error) {
					return map[string]any{"CustNum": n}, c.UpdateCustomer(ctx, n, f)
				}
			})},
		{Name: "update_customers_batch", Description: "Update many customers in few calls: up to batch_size rows per POST Erp.BO.CustomerSvc/Update; a refused call is retried row by row and the refused rows reported", Writes: true, Parts: true,
			InputSchema: connectors.Input(
				connectors.Array("updates", "Customer changes", connectors.ObjectSchema(custNum.Required(), fieldsProp.Required())).Required(),
				connectors.Integer("batch_size", fmt.Sprintf("Rows per call (default %d, at most %d)", DefaultBatchSize, MaxBatchSize))),
			OutputSchema: connectors.Output("object", "{calls, applied, failed: [{index, CustNum, error}]}"),
			Run: run(func(v *in) call {
				size := min(int(v.Int("batch_size")), MaxBatchSize)
				var updates []CustomerUpdate
				for _, m := range v.Objects("updates") {
					uv := connectors.NewValues("input.updates[]", m)
					updates = append(updates, CustomerUpdate{CustNum: uv.RequiredInt("CustNum"), Fields: uv.Map("fields")})
				}
				return func(ctx context.Context, c *Client) (any, error) { return c.UpdateCustomers(ctx, updates, size) }
			})},
		{Name: "get_part", Description: "Get a part: GET Erp.BO.PartSvc/Parts('{company}','{PartNum}')",
			InputSchema: connectors.Input(connectors.String("PartNum", "Part number").Required()), OutputSchema: record("The part row"),
			Run: run(func(v *in) call {
				p := v.RequiredString("PartNum")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetPart(ctx, p) }
			})},
		listOf("list_parts", "List parts with an OData query: GET Erp.BO.PartSvc/Parts", "Part rows", (*Client).ListParts),
		listOf("list_part_warehouses", "List part quantities per warehouse with an OData query: GET Erp.BO.PartSvc/PartWhses",
			"PartWhse rows: PartNum, Plant, WarehouseCode, OnHandQty, AllocatedQty, ReservedQty, ...", (*Client).ListPartWarehouses),
		{Name: "get_part_on_hand", Description: "On-hand quantity per warehouse: GET Erp.BO.PartSvc/PartWhses?$filter=PartNum eq '...'",
			InputSchema: connectors.Input(connectors.String("PartNum", "Part number").Required(),
				connectors.String("Plant", "Only this site"), connectors.String("WarehouseCode", "Only this warehouse")),
			OutputSchema: records("PartWhse rows: Plant, WarehouseCode, OnHandQty, AllocatedQty, DemandQty, ..."),
			Run: run(func(v *in) call {
				p, plant, wh := v.RequiredString("PartNum"), v.String("Plant"), v.String("WarehouseCode")
				return func(ctx context.Context, c *Client) (any, error) { return c.PartOnHand(ctx, p, plant, wh) }
			})},
		{Name: "create_cash_receipt", Description: "Create a cash receipt: POST Erp.BO.CashRecSvc/CashRecs", Writes: true,
			IdempotencyKey: "CheckRef", Lookup: "find_cash_receipt",
			InputSchema: connectors.Input(connectors.String("GroupID", "Cash receipt group").Required(), custNum,
				connectors.Number("TranAmt", "Amount").Required(),
				connectors.String("CheckRef", "Payment reference; carry the Heartland payment id here (the de-duplication key)").Required(),
				connectors.String("TranDate", "Receipt date, e.g. 2025-03-04"), fieldsProp),
			OutputSchema: record("The saved CashHead row, with HeadNum"),
			Run: run(func(v *in) call {
				r := row(v, "GroupID", "CustNum", "TranAmt", "CheckRef", "TranDate")
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateCashReceipt(ctx, r) }
			})},
		listOf("list_cash_receipts", "List cash receipts with an OData query: GET Erp.BO.CashRecSvc/CashRecs",
			"CashHead rows: GroupID, HeadNum, CustNum, TranDate, TranAmt, CheckRef, BankAcctID, PMUID, ...", (*Client).ListCashReceipts),
		{Name: "find_cash_receipt", Description: "Find a cash receipt by CheckRef: GET CashRecs?$filter=CheckRef eq '...'",
			InputSchema: connectors.Input(connectors.String("CheckRef", "Payment reference").Required(),
				connectors.Integer("CustNum", "Only this customer's receipts")),
			OutputSchema: found,
			Run: run(func(v *in) call {
				ref, cust := v.RequiredString("CheckRef"), v.Int("CustNum")
				return func(ctx context.Context, c *Client) (any, error) {
					return connectors.First(c.FindCashReceipts(ctx, ref, cust))
				}
			})},
		{Name: "create_ap_invoice", Description: "Create an AP invoice: POST Erp.BO.APInvoiceSvc/APInvoices", Writes: true,
			IdempotencyKey: "VendorNum,InvoiceNum", Lookup: "find_ap_invoice",
			InputSchema: connectors.Input(connectors.Integer("VendorNum", "Vendor number").Required(),
				connectors.String("InvoiceNum", "The vendor's invoice number").Required(),
				connectors.String("GroupID", "AP invoice group").Required(),
				connectors.String("InvoiceDate", "Invoice date"),
				connectors.Number("InvoiceAmt", "Invoice amount"),
				connectors.String("TermsCode", "Terms (mandatory in Epicor unless defaulted from the vendor)"), fieldsProp),
			OutputSchema: record("The saved APInvHed row"),
			Run: run(func(v *in) call {
				r := row(v, "VendorNum", "InvoiceNum", "GroupID", "InvoiceDate", "InvoiceAmt", "TermsCode")
				return func(ctx context.Context, c *Client) (any, error) { return c.CreateAPInvoice(ctx, r) }
			})},
		{Name: "find_ap_invoice", Description: "Find an AP invoice by key: GET APInvoices('{company}',{VendorNum},'{InvoiceNum}')",
			InputSchema: connectors.Input(connectors.Integer("VendorNum", "Vendor number").Required(),
				connectors.String("InvoiceNum", "The vendor's invoice number").Required()),
			OutputSchema: found,
			Run: run(func(v *in) call {
				vendor, inv := v.RequiredInt("VendorNum"), v.RequiredString("InvoiceNum")
				return func(ctx context.Context, c *Client) (any, error) {
					r, err := c.GetAPInvoice(ctx, vendor, inv)
					if errors.Is(err, httpx.ErrNotFound) {
						return connectors.Found(nil), nil
					}
					return connectors.Lookup(r, err)
				}
			})},
		{Name: "get_job", Description: "Get a job header: GET Erp.BO.JobEntrySvc/JobEntries('{company}','{JobNum}')",
			InputSchema: connectors.Input(connectors.String("JobNum", "Job number").Required()), OutputSchema: record("The JobHead row"),
			Run: run(func(v *in) call {
				j := v.RequiredString("JobNum")
				return func(ctx context.Context, c *Client) (any, error) { return c.GetJob(ctx, j) }
			})},
		{Name: "list_gl_accounts", Description: "List GL accounts: GET Erp.BO.GLAccountSvc/GLAccounts",
			InputSchema: connectors.Input(append([]connectors.Prop{
				connectors.String("COACode", "Only this chart of accounts"),
				connectors.Boolean("active_only", "Only active accounts")}, queryProps...)...),
			OutputSchema: records("GLAccount rows: COACode, GLAccount, AccountDesc, SegValue1.., Active"),
			Run: run(func(v *in) call {
				q, limit := query(v)
				var coa, active string
				if c := v.String("COACode"); c != "" {
					coa = Eq("COACode", c)
				}
				if v.Bool("active_only", false) {
					active = Eq("Active", true)
				}
				if q.Filter != "" {
					q.Filter = "(" + q.Filter + ")"
				}
				q.Filter = And(coa, active, q.Filter)
				return func(ctx context.Context, c *Client) (any, error) { return c.ListGLAccounts(ctx, q, limit) }
			})},
	}
}
