package heartland

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
)

// Bounds of SaveItems: items written at once, and public_ids looked up per
// GET /items.
const (
	DefaultItemConcurrency = 4
	MaxItemConcurrency     = 10
	itemLookupPage         = 100
)

// ItemWrite is one item to save: with an ID it updates that item (PUT
// /items/{id} with Fields); without one it creates the item whose Item # is
// PublicID (POST /items with Fields, public_id, and Cost), or updates the
// item that already has that Item #.
type ItemWrite struct {
	ID       int64
	PublicID string
	Fields   map[string]any
	// Cost is sent only when the item is created (Heartland requires a
	// cost); an existing item keeps its own.
	Cost *float64
}

// ItemsResult is what SaveItems did: the calls it made, the items created
// and updated and the ones Heartland refused, each with its index in the
// input.
type ItemsResult struct {
	Calls   int          `json:"calls"`
	Created []SavedItem  `json:"created"`
	Updated []SavedItem  `json:"updated"`
	Failed  []FailedItem `json:"failed"`
}

// SavedItem is an item written.
type SavedItem struct {
	Index    int    `json:"index"`
	ID       int64  `json:"id"`
	PublicID string `json:"public_id"`
}

// FailedItem is an item Heartland refused.
type FailedItem struct {
	Index    int    `json:"index"`
	ID       int64  `json:"id,omitempty"`
	PublicID string `json:"public_id"`
	Error    string `json:"error"`
}

// SaveItems creates and updates many items. Heartland has no multi-item
// write, so each item is one call, at most concurrency at a time (the
// connection's rate limit still spaces them). Items without an ID are first
// looked up by Item # (one GET per 100), so an item that exists is updated,
// never created twice.
//
// Items Heartland refuses (validation, a duplicate, an unknown id) are
// reported in Failed and the others are saved. Other errors (network, 5xx,
// auth, throttling beyond the retries) stop new writes; the items already
// saved are reported in the result returned with the error. Each item is a
// part (connectors.Once): when the call is repeated for the same flow step,
// items already saved are not sent again, a create whose answer was lost is
// found by its Item #, and an update is simply sent again.
func (c *Client) SaveItems(ctx context.Context, items []ItemWrite, concurrency int) (ItemsResult, error) {
	if concurrency <= 0 {
		concurrency = DefaultItemConcurrency
	}
	concurrency = min(concurrency, MaxItemConcurrency)
	res := ItemsResult{Created: []SavedItem{}, Updated: []SavedItem{}, Failed: []FailedItem{}}
	existing, err := c.itemIDs(ctx, items, &res)
	if err != nil {
		return res, err
	}
	outcomes := make([]itemOutcome, len(items))
	var (
		mu      sync.Mutex
		stopped error
		wg      sync.WaitGroup
		slots   = make(chan struct{}, concurrency)
	)
	for i := range items {
		slots <- struct{}{}
		mu.Lock()
		stop := stopped
		mu.Unlock()
		if stop != nil || ctx.Err() != nil {
			<-slots
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			o := c.saveItem(ctx, i, items[i], existing[items[i].PublicID], &mu, &res.Calls)
			mu.Lock()
			defer mu.Unlock()
			outcomes[i] = o
			if o.err != nil && !refused(o.err) && stopped == nil {
				stopped = o.err
			}
		}()
	}
	wg.Wait()
	for i, o := range outcomes {
		switch {
		case o.err != nil && refused(o.err):
			res.Failed = append(res.Failed, FailedItem{Index: i, ID: o.id, PublicID: items[i].PublicID, Error: o.err.Error()})
		case o.err != nil || !o.done:
		case o.created:
			res.Created = append(res.Created, SavedItem{Index: i, ID: o.id, PublicID: items[i].PublicID})
		default:
			res.Updated = append(res.Updated, SavedItem{Index: i, ID: o.id, PublicID: items[i].PublicID})
		}
	}
	if stopped == nil {
		stopped = ctx.Err()
	}
	return res, stopped
}

// itemOutcome is what became of one item.
type itemOutcome struct {
	done, created bool
	id            int64
	err           error
}

// savedID is the recorded result of one item's write.
type savedID struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created,omitempty"`
}

// saveItem writes one item as a part of the batch. An item without an ID is
// one part whatever becomes of it (created, or updated because its Item #
// exists), so a repeated call skips it once it is saved; after a lost
// answer it is looked up by Item #, and an item found then counts as
// created by this write.
func (c *Client) saveItem(ctx context.Context, i int, it ItemWrite, existingID int64, mu *sync.Mutex, calls *int) itemOutcome {
	counted := func() {
		mu.Lock()
		*calls++
		mu.Unlock()
	}
	update := func(ctx context.Context, id int64) (savedID, error) {
		counted()
		_, err := c.UpdateItem(ctx, id, it.Fields)
		return savedID{ID: id}, err
	}
	if it.ID != 0 {
		saved, err := connectors.Once(ctx, itemKey(i, "update", it), func(ctx context.Context) (savedID, error) {
			return update(ctx, it.ID)
		}, connectors.Repeatable[savedID]())
		return itemOutcome{done: err == nil, id: it.ID, err: err, created: saved.Created}
	}
	body := make(map[string]any, len(it.Fields)+2)
	for k, v := range it.Fields {
		body[k] = v
	}
	body["public_id"] = it.PublicID
	if it.Cost != nil {
		body["cost"] = *it.Cost
	}
	saved, err := connectors.Once(ctx, itemKey(i, "new", it), func(ctx context.Context) (savedID, error) {
		if existingID != 0 {
			return update(ctx, existingID)
		}
		counted()
		created, err := c.CreateItem(ctx, body)
		return savedID{ID: created.ID, Created: true}, err
	}, connectors.LookedUpBy(func(ctx context.Context) (savedID, bool, error) {
		rec, err := c.FindItem(ctx, it.PublicID)
		if err != nil || rec == nil || rec["public_id"] != it.PublicID {
			return savedID{}, false, err
		}
		id, ok := recordID(rec)
		return savedID{ID: id, Created: true}, ok, nil
	}))
	return itemOutcome{done: err == nil, created: saved.Created, id: cmp.Or(saved.ID, existingID), err: err}
}

// itemKey names one item's write by its position, kind and content.
func itemKey(i int, kind string, it ItemWrite) string {
	h := fnv.New64a()
	b, _ := json.Marshal(it.Fields) // map keys are sorted
	h.Write(b)
	if it.Cost != nil {
		fmt.Fprintf(h, "|cost=%v", *it.Cost)
	}
	return fmt.Sprintf("item:%d:%s:%s:%d:%016x", i, kind, it.PublicID, it.ID, h.Sum64())
}

// itemIDs looks up the items to create by Item #, up to 100 per call, and
// returns the ids of those that exist (the lowest id when several share it).
func (c *Client) itemIDs(ctx context.Context, items []ItemWrite, res *ItemsResult) (map[string]int64, error) {
	var want []string
	seen := map[string]bool{}
	for _, it := range items {
		if it.ID == 0 && !seen[it.PublicID] {
			seen[it.PublicID] = true
			want = append(want, it.PublicID)
		}
	}
	out := map[string]int64{}
	for chunk := range slices.Chunk(want, itemLookupPage) {
		o := ListOptions{Filter: In("public_id", chunk...), Sort: []string{"id"}, Only: []string{"id", "public_id"}, PerPage: itemLookupPage}
		for o.Page = 1; ; o.Page++ {
			res.Calls++
			p, err := c.Page(ctx, "look up items by Item #", "/items", o)
			if err != nil {
				return nil, err
			}
			for _, rec := range p.Results {
				pid, _ := rec["public_id"].(string)
				if id, ok := recordID(rec); ok && seen[pid] {
					if prev, ok := out[pid]; !ok || id < prev {
						out[pid] = id
					}
				}
			}
			if o.Page >= p.Pages || len(p.Results) == 0 {
				break
			}
		}
	}
	return out, nil
}

// refused tells whether Heartland refused one item's content (the other
// items can still be saved).
func refused(err error) bool {
	return errors.Is(err, httpx.ErrValidation) || errors.Is(err, httpx.ErrConflict) || errors.Is(err, httpx.ErrNotFound)
}
