package epicor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// DefaultBatchSize and MaxBatchSize bound the rows sent per Update call by
// UpdateCustomers.
const (
	DefaultBatchSize = 50
	MaxBatchSize     = 500
)

// CustomerUpdate is one customer's changed fields.
type CustomerUpdate struct {
	CustNum int64          `json:"CustNum"`
	Fields  map[string]any `json:"fields"`
}

// BatchResult is what a batched write did: its calls, how many rows were
// saved, and the rows refused, each with its index in the input.
type BatchResult struct {
	Calls   int         `json:"calls"`
	Applied int         `json:"applied"`
	Failed  []FailedRow `json:"failed"`
}

// FailedRow is a row Epicor refused.
type FailedRow struct {
	Index   int    `json:"index"`
	CustNum int64  `json:"CustNum"`
	Error   string `json:"error"`
}

// UpdateCustomers saves many customer changes with few calls: up to size
// rows (RowMod "U") per POST Erp.BO.CustomerSvc/Update. Epicor saves a
// tableset all or nothing, so when it refuses one, each of its rows is sent
// again on its own and only the refused ones are reported. Errors that are
// not about the rows (network, 5xx, auth, rate limits) stop the call and are
// returned with the result so far.
func (c *Client) UpdateCustomers(ctx context.Context, updates []CustomerUpdate, size int) (BatchResult, error) {
	if size <= 0 {
		size = DefaultBatchSize
	}
	res := BatchResult{Failed: []FailedRow{}}
	idx := make([]int, len(updates))
	for i := range idx {
		idx[i] = i
	}
	for chunk := range slices.Chunk(idx, size) {
		err := c.updateRows(ctx, updates, chunk, &res)
		if !rowError(err) {
			if err != nil {
				return res, err
			}
			continue
		}
		for _, i := range chunk {
			if len(chunk) == 1 {
				res.Failed = append(res.Failed, FailedRow{Index: i, CustNum: updates[i].CustNum, Error: err.Error()})
				break
			}
			err := c.updateRows(ctx, updates, []int{i}, &res)
			switch {
			case rowError(err):
				res.Failed = append(res.Failed, FailedRow{Index: i, CustNum: updates[i].CustNum, Error: err.Error()})
			case err != nil:
				return res, err
			}
		}
	}
	return res, nil
}

// rowError tells whether Epicor refused the content of a tableset.
func rowError(err error) bool {
	return errors.Is(err, httpx.ErrValidation) || errors.Is(err, httpx.ErrNotFound) || errors.Is(err, httpx.ErrConflict)
}

func (c *Client) updateRows(ctx context.Context, updates []CustomerUpdate, idx []int, res *BatchResult) error {
	rows := make([]map[string]any, len(idx))
	for pos, i := range idx {
		row := withCompany(updates[i].Fields, c.t.Company)
		row["CustNum"], row["RowMod"] = updates[i].CustNum, "U"
		rows[pos] = row
	}
	// A part of the batch: a repeated call of the same step skips calls
	// already made; an Update whose answer was lost is sent again (it sets
	// fields, so twice is harmless).
	_, err := connectors.Once(ctx, rowsKey(idx, rows), func(ctx context.Context) (struct{}, error) {
		res.Calls++
		return struct{}{}, c.do(ctx, fmt.Sprintf("update %d customers", len(idx)), "POST", c.svcURL(svcCustomer, "Update", ""),
			map[string]any{"ds": map[string]any{"Customer": rows}}, nil)
	}, connectors.Repeatable[struct{}]())
	if err == nil {
		res.Applied += len(idx)
	}
	return err
}

// rowsKey names one Update call by its rows and their positions in the input.
func rowsKey(idx []int, rows []map[string]any) string {
	h := fnv.New64a()
	b, _ := json.Marshal(rows) // map keys are sorted
	fmt.Fprintf(h, "%v|", idx)
	h.Write(b)
	return fmt.Sprintf("rows:%d:first=%d:%016x", len(idx), idx[0], h.Sum64())
}
