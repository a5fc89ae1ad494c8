package heartland

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/sandbox/delivery"
	"github.com/bridgework/bridgework/sandbox/fault"
)

func faultLatency() fault.Config { return fault.Config{LatencyMS: 5} }

// hit is one webhook delivery seen by a receiver.
type hit struct {
	event string
	body  map[string]any
}

// receiver answers failFirst deliveries with 500, then 200, and reports
// each successful delivery on a channel.
func receiver(tb testing.TB, failFirst int64) (string, <-chan hit, *atomic.Int64) {
	tb.Helper()
	hits := make(chan hit, 64)
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n <= failFirst {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		json.Unmarshal(b, &m)
		hits <- hit{event: r.Header.Get(EventHeader), body: m}
	}))
	tb.Cleanup(srv.Close)
	return srv.URL + "/hook?secret=s3", hits, &calls
}

func next(tb testing.TB, hits <-chan hit) hit {
	tb.Helper()
	select {
	case h := <-hits:
		return h
	case <-time.After(5 * time.Second):
		tb.Fatal("no webhook delivery within 5s")
	}
	return hit{}
}

func TestWebhooksDeliverBareResources(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	url, hits, _ := receiver(t, 0)
	all := []any{}
	for _, e := range eventNames {
		all = append(all, e)
	}
	reg := h.do(t, "POST", "/api/webhooks", map[string]any{"url": url, "events": all}).want(t, http.StatusCreated)
	if reg.body["id"] == nil || reg.header.Get("Location") == "" {
		t.Fatalf("register: %s", reg.raw)
	}
	steps := []struct {
		method, path string
		body         map[string]any
		events       []string
	}{
		{"POST", "/api/items", map[string]any{"description": "Hook Mug", "cost": 1}, []string{EventItemCreated}},
		{"PUT", "/api/items/100501", map[string]any{"price": 3.0}, []string{EventItemUpdated}},
		{"POST", "/api/customers", map[string]any{"first_name": "Hook", "last_name": "Person"}, []string{EventCustomerCreated}},
		{"PUT", "/api/customers/100101", map[string]any{"phone_number": "1"}, []string{EventCustomerUpdated}},
		{"POST", "/api/sales/orders", map[string]any{"customer_id": 100101, "station_id": 100011, "source_location_id": 100001},
			[]string{EventSalesOrderCreated}},
		{"POST", "/api/sales/tickets", map[string]any{"station_id": 100011, "status": "complete",
			"item_lines": []any{map[string]any{"item_id": 100501, "qty": 1}},
			"payments":   []any{map[string]any{"amount": 3.0, "payment_type_id": 100204}}},
			[]string{EventSalesTransactionCompleted, EventPaymentCreated}},
	}
	for _, s := range steps {
		r := h.do(t, s.method, s.path, s.body)
		if r.status >= 300 {
			t.Fatalf("%s %s: %d %s", s.method, s.path, r.status, r.raw)
		}
		got := map[string]map[string]any{}
		for range s.events {
			d := next(t, hits)
			got[d.event] = d.body
		}
		for _, e := range s.events {
			b, ok := got[e]
			if !ok {
				t.Fatalf("%s %s: no %s delivery, got %v", s.method, s.path, e, got)
			}
			if b["id"] == nil || b["event"] != nil || b["created_at"] == nil {
				t.Errorf("%s payload is not the bare resource: %v", e, b)
			}
		}
	}
	if tk := h.do(t, "GET", "/api/sales/tickets", nil); results(tk)[0].(map[string]any)["type"] != "Ticket" {
		t.Errorf("ticket type: %s", tk.raw)
	}
	list := h.do(t, "GET", "/api/webhooks", nil).want(t, 200)
	if len(results(list)) != 1 {
		t.Fatalf("webhooks list: %s", list.raw)
	}
	h.do(t, "DELETE", "/api/webhooks/"+reg.createdID(t), nil).want(t, http.StatusNoContent)
	h.do(t, "DELETE", "/api/webhooks/"+reg.createdID(t), nil).want(t, http.StatusNotFound)
	h.do(t, "POST", "/api/items", map[string]any{"description": "Silent", "cost": 1}).want(t, http.StatusCreated)
	if err := h.srv.Deliveries().Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case d := <-hits:
		t.Fatalf("delivery after unsubscribe: %v", d)
	default:
	}
}

func TestWebhookRetriesUntilDelivered(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Delivery: delivery.Options{MaxAttempts: 5, Backoff: time.Millisecond}})
	url, hits, calls := receiver(t, 2)
	h.do(t, "POST", "/api/webhooks", map[string]any{"url": url, "events": []any{"item_created"}}).want(t, http.StatusCreated)
	h.do(t, "POST", "/api/items", map[string]any{"description": "Retry", "cost": 1}).want(t, http.StatusCreated)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := h.srv.Deliveries().Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if d := next(t, hits); d.body["description"] != "Retry" {
		t.Errorf("payload %v", d.body)
	}
	recs := h.srv.Deliveries().Records()
	if len(recs) != 1 || recs[0].Status != delivery.StatusDelivered || recs[0].Attempts != 3 || calls.Load() != 3 {
		t.Fatalf("records %+v, calls %d: want one delivered after 3 attempts", recs, calls.Load())
	}
}

func TestWebhookGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{Delivery: delivery.Options{MaxAttempts: 3, Backoff: time.Millisecond}})
	url, _, calls := receiver(t, 1000)
	h.do(t, "POST", "/api/webhooks", map[string]any{"url": url, "events": []any{"customer_created"}}).want(t, http.StatusCreated)
	h.do(t, "POST", "/api/customers", map[string]any{"first_name": "A", "last_name": "B"}).want(t, http.StatusCreated)
	resp, err := http.Post(h.ts.URL+"/_sandbox/deliveries/wait?timeout=5s", "", nil)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("wait endpoint: %v %v", resp, err)
	}
	var out struct{ Deliveries []delivery.Record }
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if len(out.Deliveries) != 1 || out.Deliveries[0].Status != delivery.StatusFailed || out.Deliveries[0].LastStatus != 500 || calls.Load() != 3 {
		t.Fatalf("deliveries %+v calls %d: want failed after 3 attempts", out.Deliveries, calls.Load())
	}
}

func TestTriggerEventsFromControl(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	url, hits, _ := receiver(t, 0)
	h.do(t, "POST", "/api/webhooks", map[string]any{"url": url, "events": []any{EventSalesOrderCreated, EventSalesTransactionCompleted}}).want(t, http.StatusCreated)
	tests := []struct{ path, event string }{
		{"/_sandbox/events/sales_order", EventSalesOrderCreated},
		{"/_sandbox/events/sales_ticket", EventSalesTransactionCompleted},
	}
	for _, tt := range tests {
		body := `{"customer_id":100102,"station_id":100011,"source_location_id":100001,` +
			`"lines":[{"item_lookup":"SKU-1004","qty":1}],"item_lines":[{"item_id":100504,"qty":1}]}`
		resp, err := http.Post(h.ts.URL+tt.path, "application/json", stringsReader(body))
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("%s: %v %v", tt.path, resp, err)
		}
		resp.Body.Close()
		if d := next(t, hits); d.event != tt.event {
			t.Fatalf("%s delivered %s, want %s", tt.path, d.event, tt.event)
		}
	}
}
