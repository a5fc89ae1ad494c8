package epicor

import (
	"context"
	"fmt"
)

const svcSalesOrder = "Erp.BO.SalesOrderSvc"

// CreateSalesOrder creates an order header (POST SalesOrders) and returns
// the saved row with its OrderNum. CustNum must exist; PONum is what
// FindSalesOrdersByPO looks for when a retry must not create a second order.
func (c *Client) CreateSalesOrder(ctx context.Context, header map[string]any) (Record, error) {
	return c.create(ctx, "create sales order", svcSalesOrder, "SalesOrders", header)
}

// AddOrderLines adds lines to an order, one POST OrderDtls each, in order,
// and returns the saved lines (OrderLine assigned by Epicor). It stops at
// the first failure, returning the lines saved so far and an error that
// says how many were saved.
func (c *Client) AddOrderLines(ctx context.Context, orderNum int64, lines []map[string]any) ([]Record, error) {
	var saved []Record
	for _, l := range lines {
		row := withCompany(l, c.t.Company)
		row["OrderNum"] = orderNum
		r, err := c.create(ctx, "add sales order line", svcSalesOrder, "OrderDtls", row)
		if err != nil {
			return saved, fmt.Errorf("%w (%d of %d lines saved before this one)", err, len(saved), len(lines))
		}
		saved = append(saved, r)
	}
	return saved, nil
}

// GetSalesOrder reads an order by number, with its lines (OrderDtls) when
// withLines is set.
func (c *Client) GetSalesOrder(ctx context.Context, orderNum int64, withLines bool) (Record, error) {
	var q Query
	if withLines {
		q.Expand = []string{"OrderDtls"}
	}
	return c.getOne(ctx, "get sales order", svcSalesOrder, keyPath("SalesOrders", c.t.Company, orderNum), q)
}

// FindSalesOrdersByPO lists orders whose PONum is po, optionally for one
// customer.
func (c *Client) FindSalesOrdersByPO(ctx context.Context, po string, custNum int64) ([]Record, error) {
	f := Eq("PONum", po)
	if custNum != 0 {
		f = And(f, Eq("CustNum", custNum))
	}
	return c.List(ctx, "find sales order by PO", svcSalesOrder, "SalesOrders", Query{Filter: f, OrderBy: []string{"OrderNum"}}, 0)
}

// UpdateSalesOrder changes header fields (PATCH SalesOrders(company,n)).
func (c *Client) UpdateSalesOrder(ctx context.Context, orderNum int64, fields map[string]any) error {
	return c.patch(ctx, "update sales order", svcSalesOrder, keyPath("SalesOrders", c.t.Company, orderNum), fields)
}
