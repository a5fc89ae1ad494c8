package heartland

import (
	"context"
	"fmt"
	"strings"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// GetCustomer returns a customer (GET /customers/{id}).
func (c *Client) GetCustomer(ctx context.Context, id int64) (Record, error) {
	return c.getByID(ctx, "get customer", "/customers", id, nil)
}

// CustomerAddresses lists a customer's addresses (GET /customers/{id}/addresses).
func (c *Client) CustomerAddresses(ctx context.Context, id int64) ([]Record, error) {
	return c.List(ctx, "list customer addresses", fmt.Sprintf("/customers/%d/addresses", id), ListOptions{}, 0)
}

// SearchCustomers finds customers by email (_filter, retried lower-cased
// because matching may be case-sensitive), public_id (_filter) or name /
// free text (query=).
func (c *Client) SearchCustomers(ctx context.Context, s CustomerSearch, limit int) ([]Record, error) {
	const action = "search customers"
	var o ListOptions
	switch {
	case s.Email != "":
		o.Filter = Eq("email", s.Email)
	case s.PublicID != "":
		o.Filter = Eq("public_id", s.PublicID)
	case s.Name != "":
		o.Query = s.Name
	case s.Query != "":
		o.Query = s.Query
	default:
		return nil, &httpx.Error{System: System, Action: action, Kind: httpx.ErrValidation, Message: "give an email, public_id, name or query"}
	}
	found, err := c.List(ctx, action, "/customers", o, limit)
	if err != nil || len(found) > 0 || s.Email == "" || strings.ToLower(s.Email) == s.Email {
		return found, err
	}
	o.Filter = Eq("email", strings.ToLower(s.Email))
	return c.List(ctx, action, "/customers", o, limit)
}

// FindCustomer returns the first customer matching the search, or nil.
func (c *Client) FindCustomer(ctx context.Context, s CustomerSearch) (Record, error) {
	found, err := c.SearchCustomers(ctx, s, 1)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// CreateCustomer creates a customer (POST /customers); first_name and
// last_name are required by Heartland.
func (c *Client) CreateCustomer(ctx context.Context, fields map[string]any) (Created, error) {
	return c.create(ctx, "create customer", "/customers", fields)
}

// UpdateCustomer changes a customer with a partial PUT.
func (c *Client) UpdateCustomer(ctx context.Context, id int64, fields map[string]any) (Record, error) {
	return c.put(ctx, "update customer", fmt.Sprintf("/customers/%d", id), fields)
}
