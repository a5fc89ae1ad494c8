package epicor

import "context"

const (
	svcCashRec   = "Erp.BO.CashRecSvc"
	svcAPInvoice = "Erp.BO.APInvoiceSvc"
	svcGLAccount = "Erp.BO.GLAccountSvc"
)

// CreateCashReceipt creates a cash receipt header (POST CashRecs) in a cash
// group (GroupID) and returns the saved row with its HeadNum.
func (c *Client) CreateCashReceipt(ctx context.Context, row map[string]any) (Record, error) {
	return c.create(ctx, "create cash receipt", svcCashRec, "CashRecs", row)
}

// FindCashReceipts lists receipts whose CheckRef is ref, optionally for one
// customer.
func (c *Client) FindCashReceipts(ctx context.Context, ref string, custNum int64) ([]Record, error) {
	f := Eq("CheckRef", ref)
	if custNum != 0 {
		f = And(f, Eq("CustNum", custNum))
	}
	return c.List(ctx, "find cash receipt", svcCashRec, "CashRecs", Query{Filter: f}, 0)
}

// ListCashReceipts lists cash receipt headers with an OData query.
func (c *Client) ListCashReceipts(ctx context.Context, q Query, limit int) ([]Record, error) {
	return c.List(ctx, "list cash receipts", svcCashRec, "CashRecs", q, limit)
}

// CreateAPInvoice creates an AP invoice header (POST APInvoices).
// (VendorNum, InvoiceNum) is its key, so a repeat is ErrConflict.
func (c *Client) CreateAPInvoice(ctx context.Context, row map[string]any) (Record, error) {
	return c.create(ctx, "create AP invoice", svcAPInvoice, "APInvoices", row)
}

// GetAPInvoice reads an AP invoice by vendor and the vendor's invoice number.
func (c *Client) GetAPInvoice(ctx context.Context, vendorNum int64, invoiceNum string) (Record, error) {
	return c.getOne(ctx, "get AP invoice", svcAPInvoice, keyPath("APInvoices", c.t.Company, vendorNum, invoiceNum), Query{})
}

// ListGLAccounts lists GL accounts matching q (all pages unless q.Top is set).
func (c *Client) ListGLAccounts(ctx context.Context, q Query, limit int) ([]Record, error) {
	return c.List(ctx, "list GL accounts", svcGLAccount, "GLAccounts", q, limit)
}
