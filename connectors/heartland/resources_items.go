package heartland

import (
	"context"
	"fmt"
)

// GetItem returns an item (GET /items/{id}).
func (c *Client) GetItem(ctx context.Context, id int64) (Record, error) {
	return c.getByID(ctx, "get item", "/items", id, nil)
}

// ListItems lists items (GET /items).
func (c *Client) ListItems(ctx context.Context, o ListOptions, limit int) ([]Record, error) {
	return c.List(ctx, "list items", "/items", o, limit)
}

// FindItem returns the item whose public_id (Item #) is publicID, or nil.
func (c *Client) FindItem(ctx context.Context, publicID string) (Record, error) {
	return c.findOne(ctx, "find item", "/items", Eq("public_id", publicID))
}

// CreateItem creates an item (POST /items). Heartland requires description
// and cost.
func (c *Client) CreateItem(ctx context.Context, fields map[string]any) (Created, error) {
	return c.create(ctx, "create item", "/items", fields)
}

// UpdateItem changes an item with a partial PUT.
func (c *Client) UpdateItem(ctx context.Context, id int64, fields map[string]any) (Record, error) {
	return c.put(ctx, "update item", fmt.Sprintf("/items/%d", id), fields)
}

// findOne returns the first record matching f, or nil when none does.
func (c *Client) findOne(ctx context.Context, action, collection string, f Filter) (Record, error) {
	p, err := c.Page(ctx, action, collection, ListOptions{Filter: f, PerPage: 1})
	if err != nil || len(p.Results) == 0 {
		return nil, err
	}
	return p.Results[0], nil
}
