package heartland

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// DefaultBatchSize and MaxBatchSize bound the lines sent per adjustment set
// by AdjustStock.
const (
	DefaultBatchSize = 100
	MaxBatchSize     = 500
)

// StockChange is one item's quantity change at a location.
type StockChange struct {
	LocationID int64    `json:"location_id"`
	ItemID     int64    `json:"item_id"`
	Qty        float64  `json:"qty"`
	UnitCost   *float64 `json:"unit_cost,omitempty"`
}

// StockResult is what AdjustStock did: the sets it created, how many
// changes were applied and which were refused, each with its index in the
// input and the reason.
type StockResult struct {
	Calls   int            `json:"calls"`
	Applied int            `json:"applied"`
	SetIDs  []int64        `json:"set_ids"`
	Failed  []FailedChange `json:"failed"`
}

// FailedChange is a change Heartland refused.
type FailedChange struct {
	Index  int         `json:"index"`
	Change StockChange `json:"change"`
	Error  string      `json:"error"`
}

// linePattern finds the line indexes a validation error names ("lines[3].item_id").
var linePattern = regexp.MustCompile(`lines\[(\d+)\]`)

// AdjustStock applies many stock changes with few calls: the changes of each
// location go in completed adjustment sets of up to size lines, each created
// with its lines in one POST /inventory/adjustment_sets. When Heartland
// refuses a set naming some of its lines, those changes are reported as
// failed and the rest of the set is sent again without them; when it refuses
// a set without naming lines, each change of the set is sent on its own so
// only the bad ones fail. Errors other than validation (network, 5xx, auth)
// stop the call and are returned with the result so far.
//
// Each set is a part (connectors.Once) keyed by its location and lines: when
// the call is repeated for the same flow step, sets already created are not
// sent again, so no change is applied twice. A set whose answer was lost
// cannot be looked up (sets have no key of ours), so repeating the call then
// fails with connectors' unknown-outcome error rather than risk a double
// adjustment.
func (c *Client) AdjustStock(ctx context.Context, changes []StockChange, size int, reasonID int64) (StockResult, error) {
	if size <= 0 {
		size = DefaultBatchSize
	}
	res := StockResult{SetIDs: []int64{}, Failed: []FailedChange{}}
	var locations []int64
	byLocation := map[int64][]int{}
	for i, ch := range changes {
		if _, seen := byLocation[ch.LocationID]; !seen {
			locations = append(locations, ch.LocationID)
		}
		byLocation[ch.LocationID] = append(byLocation[ch.LocationID], i)
	}
	for _, loc := range locations {
		for chunk := range slices.Chunk(byLocation[loc], size) {
			if err := c.adjustChunk(ctx, changes, chunk, loc, reasonID, &res); err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// adjustChunk sends one set, dropping the lines Heartland names until it
// takes the rest.
func (c *Client) adjustChunk(ctx context.Context, changes []StockChange, idx []int, loc, reasonID int64, res *StockResult) error {
	for len(idx) > 0 {
		err := c.sendSet(ctx, changes, idx, loc, reasonID, res)
		var he *httpx.Error
		if err == nil || !errors.As(err, &he) || !errors.Is(err, httpx.ErrValidation) {
			return err
		}
		bad := badLines(he.Message, len(idx))
		if len(bad) == 0 {
			if len(idx) == 1 {
				res.Failed = append(res.Failed, FailedChange{Index: idx[0], Change: changes[idx[0]], Error: err.Error()})
				return nil
			}
			for _, i := range idx {
				if err := c.adjustChunk(ctx, changes, []int{i}, loc, reasonID, res); err != nil {
					return err
				}
			}
			return nil
		}
		var keep []int
		for pos, i := range idx {
			if bad[pos] {
				res.Failed = append(res.Failed, FailedChange{Index: i, Change: changes[i], Error: err.Error()})
			} else {
				keep = append(keep, i)
			}
		}
		idx = keep
	}
	return nil
}

func (c *Client) sendSet(ctx context.Context, changes []StockChange, idx []int, loc, reasonID int64, res *StockResult) error {
	lines := make([]AdjustmentLine, len(idx))
	for pos, i := range idx {
		lines[pos] = AdjustmentLine{ItemID: changes[i].ItemID, Qty: changes[i].Qty, UnitCost: changes[i].UnitCost}
	}
	body := map[string]any{"location_id": loc, "status": "complete", "lines": lines}
	if reasonID != 0 {
		body["adjustment_reason_id"] = reasonID
	}
	set, err := connectors.Once(ctx, setKey(loc, reasonID, idx, lines), func(ctx context.Context) (Created, error) {
		res.Calls++
		return c.create(ctx, fmt.Sprintf("create inventory adjustment set of %d lines at location %d", len(idx), loc), "/inventory/adjustment_sets", body)
	})
	if err != nil {
		return err
	}
	res.Applied += len(idx)
	res.SetIDs = append(res.SetIDs, set.ID)
	return nil
}

// setKey names an adjustment set by what it changes: its location, reason
// and lines with their positions in the input (two sets with the same lines
// are two changes).
func setKey(loc, reasonID int64, idx []int, lines []AdjustmentLine) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d", loc, reasonID)
	for pos, l := range lines {
		cost := "-"
		if l.UnitCost != nil {
			cost = strconv.FormatFloat(*l.UnitCost, 'g', -1, 64)
		}
		fmt.Fprintf(h, "|%d=%d:%s:%s", idx[pos], l.ItemID, strconv.FormatFloat(l.Qty, 'g', -1, 64), cost)
	}
	return fmt.Sprintf("set:location=%d:lines=%d:%016x", loc, len(lines), h.Sum64())
}

// badLines returns the positions of the lines a validation message names.
func badLines(msg string, n int) map[int]bool {
	out := map[int]bool{}
	for _, m := range linePattern.FindAllStringSubmatch(msg, -1) {
		if i, err := strconv.Atoi(m[1]); err == nil && i < n {
			out[i] = true
		}
	}
	return out
}
