package heartland

import (
	"context"
	"fmt"
	"net/url"
)

// GetSalesOrder returns an order (GET /sales/orders/{id}), with related
// records such as "lines", "payments" or "customer" when included.
func (c *Client) GetSalesOrder(ctx context.Context, id int64, include []string) (Record, error) {
	return c.getByID(ctx, "get sales order", "/sales/orders", id, include)
}

// ListSalesOrders lists orders (GET /sales/orders).
func (c *Client) ListSalesOrders(ctx context.Context, o ListOptions, limit int) ([]Record, error) {
	return c.List(ctx, "list sales orders", "/sales/orders", o, limit)
}

// UpdateSalesOrder changes an order with a partial PUT, e.g.
// {"status":"open"} or {"custom@erp_order": "5012"}.
func (c *Client) UpdateSalesOrder(ctx context.Context, id int64, fields map[string]any) (Record, error) {
	return c.put(ctx, "update sales order", fmt.Sprintf("/sales/orders/%d", id), fields)
}

// GetSalesTicket returns a POS ticket (GET /sales/tickets/{id}).
func (c *Client) GetSalesTicket(ctx context.Context, id int64, include []string) (Record, error) {
	return c.getByID(ctx, "get sales ticket", "/sales/tickets", id, include)
}

// ListSalesTickets lists tickets (GET /sales/tickets).
func (c *Client) ListSalesTickets(ctx context.Context, o ListOptions, limit int) ([]Record, error) {
	return c.List(ctx, "list sales tickets", "/sales/tickets", o, limit)
}

// getByID fetches /collection/{id} with optional _include[] values.
func (c *Client) getByID(ctx context.Context, action, collection string, id int64, include []string) (Record, error) {
	q := url.Values{}
	for _, inc := range include {
		q.Add("_include[]", inc)
	}
	var out Record
	err := c.get(ctx, action, fmt.Sprintf("%s/%d", collection, id), q, &out)
	return out, err
}
