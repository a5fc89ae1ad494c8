package epicor

import "context"

const svcPart = "Erp.BO.PartSvc"

// GetPart reads a part by PartNum (404 → ErrNotFound).
func (c *Client) GetPart(ctx context.Context, partNum string) (Record, error) {
	return c.getOne(ctx, "get part", svcPart, keyPath("Parts", c.t.Company, partNum), Query{})
}

// ListParts lists parts matching q (all pages unless q.Top is set).
func (c *Client) ListParts(ctx context.Context, q Query, limit int) ([]Record, error) {
	return c.List(ctx, "list parts", svcPart, "Parts", q, limit)
}

// ListPartWarehouses lists PartWhse rows (quantities per part and
// warehouse) with an OData query.
func (c *Client) ListPartWarehouses(ctx context.Context, q Query, limit int) ([]Record, error) {
	return c.List(ctx, "list part warehouses", svcPart, "PartWhses", q, limit)
}

// PartOnHand lists a part's PartWhse rows (OnHandQty, AllocatedQty,
// DemandQty, ... per Plant and WarehouseCode), optionally for one plant
// and/or warehouse.
func (c *Client) PartOnHand(ctx context.Context, partNum, plant, warehouse string) ([]Record, error) {
	f := Eq("PartNum", partNum)
	if plant != "" {
		f = And(f, Eq("Plant", plant))
	}
	if warehouse != "" {
		f = And(f, Eq("WarehouseCode", warehouse))
	}
	return c.List(ctx, "get part on hand", svcPart, "PartWhses", Query{Filter: f, OrderBy: []string{"Plant", "WarehouseCode"}}, 0)
}
