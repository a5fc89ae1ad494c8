package epicor

import (
	"context"

	"github.com/bridgework/bridgework/connectors/httpx"
)

const svcCustomer = "Erp.BO.CustomerSvc"

// FindCustomers lists customers by CustID, EMailAddress or exact Name.
func (c *Client) FindCustomers(ctx context.Context, s CustomerSearch, limit int) ([]Record, error) {
	const action = "find customers"
	var f string
	switch {
	case s.CustID != "":
		f = Eq("CustID", s.CustID)
	case s.Email != "":
		f = Eq("EMailAddress", s.Email)
	case s.Name != "":
		f = Eq("Name", s.Name)
	default:
		return nil, &httpx.Error{System: System, Action: action, Kind: httpx.ErrValidation, Message: "give a CustID, email or name"}
	}
	return c.List(ctx, action, svcCustomer, "Customers", Query{Filter: f, OrderBy: []string{"CustNum"}}, limit)
}

// ListCustomers lists customers with an OData query (candidates for a fuzzy
// match, for example all customers in one ZIP code).
func (c *Client) ListCustomers(ctx context.Context, q Query, limit int) ([]Record, error) {
	return c.List(ctx, "list customers", svcCustomer, "Customers", q, limit)
}

// FindCustomer returns the customer with this CustID, or nil.
func (c *Client) FindCustomer(ctx context.Context, custID string) (Record, error) {
	found, err := c.FindCustomers(ctx, CustomerSearch{CustID: custID}, 1)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// GetCustomer reads a customer by CustNum.
func (c *Client) GetCustomer(ctx context.Context, custNum int64) (Record, error) {
	return c.getOne(ctx, "get customer", svcCustomer, keyPath("Customers", c.t.Company, custNum), Query{})
}

// CreateCustomer creates a customer (POST Customers) and returns the saved
// row with its CustNum. A CustID already in use is ErrConflict.
func (c *Client) CreateCustomer(ctx context.Context, row map[string]any) (Record, error) {
	return c.create(ctx, "create customer", svcCustomer, "Customers", row)
}

// UpdateCustomer changes customer fields (PATCH Customers(company,n)).
func (c *Client) UpdateCustomer(ctx context.Context, custNum int64, fields map[string]any) error {
	return c.patch(ctx, "update customer", svcCustomer, keyPath("Customers", c.t.Company, custNum), fields)
}
