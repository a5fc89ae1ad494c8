package heartland

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
)

// noWait makes retries instant in tests.
func noWait(context.Context, time.Duration) error { return nil }

func newClient(tb testing.TB, h http.Handler) *Client {
	tb.Helper()
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return New(ts.URL+"/api", StaticToken("tok"), httpx.Options{Sleep: noWait})
}

// pagedServer serves n records with ids 1..n from /api/items, honouring
// page/per_page, sort[]=id and an {"id":{"$gt":N}} filter (bare or inside
// $and), and records each request's query.
type pagedServer struct {
	n       int
	mu      sync.Mutex
	queries []map[string][]string
}

func (s *pagedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.queries = append(s.queries, q)
	s.mu.Unlock()
	after := 0
	if f := q.Get("_filter"); f != "" {
		var m map[string]any
		if err := json.Unmarshal([]byte(f), &m); err != nil {
			w.WriteHeader(400)
			return
		}
		after = gtID(m)
	}
	var ids []int
	for id := after + 1; id <= s.n; id++ {
		ids = append(ids, id)
	}
	per, _ := strconv.Atoi(q.Get("per_page"))
	page, _ := strconv.Atoi(q.Get("page"))
	pages := (len(ids) + per - 1) / per
	start := min((page-1)*per, len(ids))
	end := min(start+per, len(ids))
	results := []map[string]any{}
	for _, id := range ids[start:end] {
		results = append(results, map[string]any{"id": id})
	}
	json.NewEncoder(w).Encode(map[string]any{"total": len(ids), "pages": pages, "results": results})
}

// gtID finds {"id":{"$gt":N}} at the top level or in $and.
func gtID(m map[string]any) int {
	if id, ok := m["id"].(map[string]any); ok {
		return int(id["$gt"].(float64))
	}
	if and, ok := m["$and"].([]any); ok {
		for _, f := range and {
			if n := gtID(f.(map[string]any)); n > 0 {
				return n
			}
		}
	}
	return 0
}

func (s *pagedServer) Queries() []map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

func TestListWalksAllPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		n, per    int
		page      int
		limit     int
		wantCount int
		wantCalls int
	}{
		{name: "three pages", n: 7, per: 3, wantCount: 7, wantCalls: 3},
		{name: "exact pages", n: 6, per: 3, wantCount: 6, wantCalls: 2},
		{name: "empty", n: 0, per: 3, wantCount: 0, wantCalls: 1},
		{name: "limit stops early", n: 7, per: 3, limit: 4, wantCount: 4, wantCalls: 2},
		{name: "single page", n: 7, per: 3, page: 3, wantCount: 1, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := &pagedServer{n: tt.n}
			c := newClient(t, srv)
			got, err := c.ListItems(context.Background(), ListOptions{PerPage: tt.per, Page: tt.page}, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantCount || len(srv.Queries()) != tt.wantCalls {
				t.Fatalf("got %d records in %d calls, want %d in %d", len(got), len(srv.Queries()), tt.wantCount, tt.wantCalls)
			}
			for i, q := range srv.Queries() {
				if want := strconv.Itoa(max(tt.page, 1) + i); q["page"][0] != want {
					t.Errorf("call %d asked page %s, want %s", i, q["page"][0], want)
				}
			}
		})
	}
}

func TestScanKeyset(t *testing.T) {
	t.Parallel()
	srv := &pagedServer{n: 7}
	c := newClient(t, srv)
	var ids []int64
	for r, err := range c.Scan(context.Background(), "sync items", "/items", ListOptions{PerPage: 3, Filter: Eq("active?", true)}, 1) {
		if err != nil {
			t.Fatal(err)
		}
		id, _ := recordID(r)
		ids = append(ids, id)
	}
	if fmt.Sprint(ids) != "[2 3 4 5 6 7]" {
		t.Fatalf("scanned ids %v, want 2..7", ids)
	}
	qs := srv.Queries()
	wantFilters := []string{
		`{"$and":[{"active?":true},{"id":{"$gt":1}}]}`,
		`{"$and":[{"active?":true},{"id":{"$gt":4}}]}`, // pages=1 here: no third request
	}
	if len(qs) != len(wantFilters) {
		t.Fatalf("made %d requests, want %d", len(qs), len(wantFilters))
	}
	for i, q := range qs {
		if q["_filter"][0] != wantFilters[i] || q["sort[]"][0] != "id" || q["page"][0] != "1" {
			t.Errorf("request %d: _filter=%s sort[]=%v page=%v", i, q["_filter"][0], q["sort[]"], q["page"])
		}
	}

	// Breaking out stops paging.
	srv2 := &pagedServer{n: 100}
	c2 := newClient(t, srv2)
	for _, err := range c2.Scan(context.Background(), "sync items", "/items", ListOptions{PerPage: 10}, 0) {
		if err != nil {
			t.Fatal(err)
		}
		break
	}
	if n := len(srv2.Queries()); n != 1 {
		t.Errorf("breaking after the first record made %d requests, want 1", n)
	}
}

func TestScanStopsOnError(t *testing.T) {
	t.Parallel()
	c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"error":"invalid_request","message":"cannot filter on id"}`)
	}))
	n := 0
	for _, err := range c.Scan(context.Background(), "sync", "/items", ListOptions{}, 0) {
		n++
		if !errors.Is(err, httpx.ErrValidation) {
			t.Errorf("error = %v, want ErrValidation", err)
		}
	}
	if n != 1 {
		t.Errorf("sequence yielded %d times, want 1", n)
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		status  int
		body    string
		kind    error
		message string
	}{
		{"validation", 400, `{"error":"validation_error","message":"Validation failed","details":{"qty":["must be a whole number"],"cost":["is required"]}}`,
			httpx.ErrValidation, "heartland: get item: 400 validation_error: Validation failed (cost: is required; qty: must be a whole number)"},
		{"validation 422", 422, `{"error":"validation_error","message":"Validation failed"}`, httpx.ErrValidation, ""},
		{"bad filter", 400, `{"error":"invalid_request","message":"unknown filter field completed?"}`, httpx.ErrValidation, ""},
		{"duplicate", 422, `{"error":"validation_error","message":"Validation failed","details":{"public_id":["has already been taken"]}}`, httpx.ErrConflict, ""},
		{"conflict status", 409, `{"error":"conflict","message":"exists"}`, httpx.ErrConflict, ""},
		{"not found", 404, `{"error":"not_found","message":"Item not found"}`, httpx.ErrNotFound, "heartland: get item: 404 not_found: Item not found"},
		{"unauthorized", 401, ``, httpx.ErrAuth, "heartland: get item: 401 Unauthorized"},
		{"forbidden", 403, `{"error":"forbidden","message":"missing item.manage"}`, httpx.ErrAuth, ""},
		{"rate limited", 429, `{"error":"rate_limited","message":"slow down"}`, httpx.ErrRateLimited, ""},
		{"server", 500, `<html>oops</html>`, httpx.ErrServer, "heartland: get item: 500 <html>oops</html>"},
		{"oauth grant", 400, `{"error":"invalid_grant","error_description":"refresh token revoked"}`, httpx.ErrAuth, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "600")
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			_, err := c.GetItem(context.Background(), 1)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("error = %v, want kind %v", err, tt.kind)
			}
			if tt.message != "" && err.Error() != tt.message {
				t.Errorf("message = %q, want %q", err.Error(), tt.message)
			}
		})
	}
}

func TestCreateReadsLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		location string
		body     string
		wantID   int64
		wantErr  bool
	}{
		{"absolute Location", "https://acme.retail.heartland.us/api/customers/100210", "", 100210, false},
		{"relative Location", "/api/customers/100211", "", 100211, false},
		{"id in body", "", `{"id":100212}`, 100212, false},
		{"no id anywhere", "", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				if tt.location != "" {
					w.Header().Set("Location", tt.location)
				}
				w.WriteHeader(201)
				io.WriteString(w, tt.body)
			}))
			got, err := c.CreateCustomer(context.Background(), map[string]any{"first_name": "A", "last_name": "B"})
			if (err != nil) != tt.wantErr || got.ID != tt.wantID {
				t.Fatalf("CreateCustomer = %+v, %v; want id %d, error %v", got, err, tt.wantID, tt.wantErr)
			}
			if calls.Load() != 1 {
				t.Errorf("POST sent %d times, want 1", calls.Load())
			}
		})
	}
}

func TestCreateIsNotRetriedOn503(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(503)
	}))
	_, err := c.CreateItem(context.Background(), map[string]any{"description": "x", "cost": 1})
	if !errors.Is(err, httpx.ErrUnavailable) || calls.Load() != 1 {
		t.Fatalf("error %v after %d calls; want ErrUnavailable after 1 (a POST may have been applied)", err, calls.Load())
	}
}

func TestAdjustmentLineFailureNamesSet(t *testing.T) {
	t.Parallel()
	c := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/inventory/adjustment_sets":
			w.Header().Set("Location", "/api/inventory/adjustment_sets/700")
			w.WriteHeader(201)
		default:
			w.WriteHeader(400)
			io.WriteString(w, `{"error":"validation_error","message":"Validation failed","details":{"qty":["must be a whole number"]}}`)
		}
	}))
	set, err := c.CreateAdjustment(context.Background(), Adjustment{LocationID: 5, Lines: []AdjustmentLine{{ItemID: 1, Qty: 1.5}}, Complete: true})
	if set.ID != 700 || !errors.Is(err, httpx.ErrValidation) || !strings.Contains(err.Error(), "set 700") {
		t.Fatalf("CreateAdjustment = %+v, %v; want set 700 and a validation error naming it", set, err)
	}
}
