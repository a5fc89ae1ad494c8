package heartland

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// InventoryValues returns quantity rows (item_id, location_id, qty_on_hand,
// qty_committed, qty_available, ...) from GET /inventory/values, grouped by
// item and location unless q.GroupBy says otherwise.
func (c *Client) InventoryValues(ctx context.Context, q InventoryQuery) ([]Record, error) {
	group := q.GroupBy
	if len(group) == 0 {
		group = []string{"item_id", "location_id"}
	}
	o := ListOptions{Extra: map[string][]string{"group[]": group}}
	if q.ExcludeEmpty {
		o.Extra["exclude_empty_locations"] = []string{"true"}
	}
	if q.IncludeItem {
		o.Include = []string{"item"}
	}
	o.Filter = And(idFilter("item_id", q.ItemIDs), idFilter("location_id", q.LocationIDs))
	return c.List(ctx, "get inventory values", "/inventory/values", o, 0)
}

// idFilter matches one id with equality and several with $in.
func idFilter(field string, ids []int64) Filter {
	switch len(ids) {
	case 0:
		return nil
	case 1:
		return Eq(field, ids[0])
	}
	return In(field, ids...)
}

// CreateAdjustment records an inventory adjustment: POST
// /inventory/adjustment_sets, then each line in turn to
// /inventory/adjustment_sets/{id}/lines, then (when a.Complete) PUT
// {"status":"complete"}, which changes on-hand. When a line fails, the error
// names the set id so the set can be inspected or completed by hand.
func (c *Client) CreateAdjustment(ctx context.Context, a Adjustment) (Created, error) {
	if len(a.Lines) == 0 {
		return Created{}, &httpx.Error{System: System, Action: "create inventory adjustment", Kind: httpx.ErrValidation, Message: "no lines"}
	}
	set, err := c.create(ctx, "create inventory adjustment", "/inventory/adjustment_sets", a)
	if err != nil {
		return Created{}, err
	}
	setPath := "/inventory/adjustment_sets/" + strconv.FormatInt(set.ID, 10)
	for i, line := range a.Lines {
		if _, err := c.create(ctx, fmt.Sprintf("add line %d to inventory adjustment set %d", i+1, set.ID), setPath+"/lines", line); err != nil {
			return set, err
		}
	}
	if a.Complete {
		if _, err := c.put(ctx, fmt.Sprintf("complete inventory adjustment set %d", set.ID), setPath, map[string]any{"status": "complete"}); err != nil {
			return set, err
		}
	}
	return set, nil
}
