package connections_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/builtin"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/connections"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/store"
)

// refuseNth answers the nth POST to path with 403 without sending it (a
// definite rejection: nothing was applied); other requests go through.
type refuseNth struct {
	path  string
	nth   int32
	posts atomic.Int32
}

func (r *refuseNth) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, r.path) && r.posts.Add(1) == r.nth {
		return &http.Response{StatusCode: http.StatusForbidden, Header: http.Header{"Content-Type": {"application/json"}},
			Body:    io.NopCloser(strings.NewReader(`{"error":"forbidden","message":"token lacks inventory.adjustment.manage"}`)),
			Request: req}, nil
	}
	return http.DefaultTransport.RoundTrip(req)
}

// heartland adds a Heartland connection to the fixture's tenant whose calls
// go through rt, and returns its id.
func (f *fixture) heartland(t *testing.T, rt http.RoundTripper) string {
	t.Helper()
	f.svc.Invoker = connectors.NewInvoker(builtin.Registry(), connectors.Env{Transport: rt})
	conn := &store.Connection{ID: store.NewID(), TenantID: f.tenantID, Name: "POS", Type: "heartland",
		Config: store.JSON(`{"base_url":"` + f.sb.HeartlandURL + `/api","timeout_seconds":2,"max_attempts":1,"rate_limit_per_second":0}`)}
	if err := f.svc.SealSecrets(conn, map[string]string{"api_token": "sandbox-token"}); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Store.Tenant(f.tenantID).CreateConnection(context.Background(), conn); err != nil {
		t.Fatal(err)
	}
	return conn.ID
}

// itemsNumbered counts the Heartland items with an Item #.
func (f *fixture) itemsNumbered(t *testing.T, publicID string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.sb.HeartlandURL+"/api/items?_filter="+url.QueryEscape(fmt.Sprintf(`{"public_id":%q}`, publicID)), nil)
	req.Header.Set("Authorization", "Bearer sandbox-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct{ Total int }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		t.Fatal(err)
	}
	return page.Total
}

func (f *fixture) posts(path string) int {
	n := 0
	for _, e := range f.sb.Heartland.Requests().Since(0) {
		if e.Method == http.MethodPost && e.Path == path {
			n++
		}
	}
	return n
}

// sixChanges adds one unit of six items at the Outlet, two per set.
func sixChanges(f *fixture) (map[string]any, []int64, map[int64]float64) {
	var changes []any
	var items []int64
	before := map[int64]float64{}
	for _, it := range f.sb.Heartland.Data().Heartland.Items[:6] {
		changes = append(changes, map[string]any{"location_id": 100003, "item_id": it.ID, "qty": 1})
		items = append(items, it.ID)
		before[it.ID] = f.sb.Heartland.OnHand(it.ID, 100003)
	}
	return map[string]any{"changes": changes, "batch_size": 2}, items, before
}

// A batch step retried after its second adjustment set was refused (403)
// sends only the sets not yet applied: every change lands exactly once.
// When instead the answer of a set is lost, the retry sends nothing and
// reports the unknown outcome, rather than risk adjusting stock twice.
func TestBatchStepRetrySendsOnlyPartsNotDone(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		f := newFixture(t, dialect)
		rt := &refuseNth{path: "/inventory/adjustment_sets", nth: 2}
		conn := f.heartland(t, rt)
		input, items, before := sixChanges(f)
		call := engine.ConnectorCall{ConnectionID: conn, Operation: "adjust_stock_batch", Input: input, RunID: "run-1", StepKey: "adjust", IdempotencyKey: "run-1:adjust"}
		if _, err := f.erp.Invoke(ctx, call); err == nil || engine.Retryable(err) {
			t.Fatalf("first attempt: err = %v, want the refusal", err)
		}
		out, err := f.erp.Invoke(ctx, call)
		if err != nil {
			t.Fatalf("retry: %v", err)
		}
		res := out.(map[string]any)
		if res["applied"] != float64(6) || res["calls"] != float64(2) || len(res["set_ids"].([]any)) != 3 {
			t.Errorf("retry result %v, want 6 applied in 3 sets, 2 of them sent by the retry", res)
		}
		for _, id := range items {
			if got := f.sb.Heartland.OnHand(id, 100003); got != before[id]+1 {
				t.Errorf("item %d on hand %v, want %v (+1 once)", id, got, before[id]+1)
			}
		}
		if n := f.posts("/api/inventory/adjustment_sets"); n != 3 {
			t.Errorf("Heartland created %d sets, want 3", n)
		}
		// The whole step again (a third execution) sends nothing.
		if _, err := f.erp.Invoke(ctx, call); err != nil || f.posts("/api/inventory/adjustment_sets") != 3 {
			t.Errorf("a repeated succeeded step: err %v, %d sets", err, f.posts("/api/inventory/adjustment_sets"))
		}

		// The answer of the second set of another step is lost.
		if err := f.sb.Heartland.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "drop", After: 1, Count: 1}}); err != nil {
			t.Fatal(err)
		}
		lost := engine.ConnectorCall{ConnectionID: conn, Operation: "adjust_stock_batch", Input: input, RunID: "run-2", StepKey: "adjust", IdempotencyKey: "run-2:adjust"}
		if _, err := f.erp.Invoke(ctx, lost); err == nil || !engine.Retryable(err) {
			t.Fatalf("lost answer: err = %v, want a retryable error", err)
		}
		sent := f.posts("/api/inventory/adjustment_sets")
		_, err = f.erp.Invoke(ctx, lost)
		if !errors.Is(err, connections.ErrOutcomeUnknown) || engine.Retryable(err) {
			t.Fatalf("retry after a lost answer: err = %v, want a permanent unknown outcome", err)
		}
		if n := f.posts("/api/inventory/adjustment_sets"); n != sent {
			t.Errorf("the retry sent %d sets, want none", n-sent)
		}
		for i, id := range items {
			want := before[id] + 2 // sets 1 and 2 of run-2 were applied, once
			if i >= 4 {
				want = before[id] + 1
			}
			if got := f.sb.Heartland.OnHand(id, 100003); got != want {
				t.Errorf("item %d on hand %v, want %v", id, got, want)
			}
		}
	})
}

// Items are parts too: when the answer of a create is lost, the retried
// step finds the item by its Item # instead of creating it again, and sends
// only the items not saved yet.
func TestItemsBatchRetryFindsLostCreates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, "sqlite")
	conn := f.heartland(t, http.DefaultTransport)
	var items []any
	for i := range 5 {
		items = append(items, map[string]any{"public_id": fmt.Sprintf("LOST-%d", i), "description": "Lost answer test", "cost": 1.0, "price": 2.0})
	}
	items = append(items, map[string]any{"id": 100501, "public_id": "SKU-1001", "fields": map[string]any{"price": 99.5}})
	call := engine.ConnectorCall{ConnectionID: conn, Operation: "upsert_items_batch", RunID: "run-1", StepKey: "save", IdempotencyKey: "run-1:save",
		Input: map[string]any{"items": items, "concurrency": 1}}
	if err := f.sb.Heartland.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "drop", After: 1, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.erp.Invoke(ctx, call); err == nil || !engine.Retryable(err) {
		t.Fatalf("first attempt: err = %v, want a retryable error", err)
	}
	out, err := f.erp.Invoke(ctx, call)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	res := out.(map[string]any)
	if len(res["created"].([]any)) != 5 || len(res["updated"].([]any)) != 1 || len(res["failed"].([]any)) != 0 {
		t.Fatalf("retry result %v, want 5 created and 1 updated", res)
	}
	for i := range 5 {
		if n := f.itemsNumbered(t, fmt.Sprintf("LOST-%d", i)); n != 1 {
			t.Errorf("LOST-%d: %d items, want 1", i, n)
		}
	}
	if n := f.posts("/api/items"); n != 5 {
		t.Errorf("Heartland received %d item creates, want 5", n)
	}
}
