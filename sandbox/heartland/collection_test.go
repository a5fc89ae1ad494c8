package heartland

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthFailures(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tests := []struct {
		name, header string
	}{
		{"missing", ""},
		{"wrong token", "Bearer nope"},
		{"basic instead of bearer", "Basic c2FuZGJveDpzYW5kYm94"},
		{"lowercase scheme", "bearer " + DefaultToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodGet, h.ts.URL+"/api/items", nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", resp.StatusCode)
			}
		})
	}
	r := h.doToken(t, "nope", "GET", "/api/system/whoami", nil).want(t, http.StatusUnauthorized)
	if r.body["error"] != "unauthorized" || r.body["message"] == "" {
		t.Errorf("401 body = %s, want error unauthorized with a message", r.raw)
	}
	h.do(t, "GET", "/api/system/whoami", nil).want(t, http.StatusOK)
}

func TestPagingWalksEveryItemOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	first := h.do(t, "GET", "/api/items?per_page=25", nil).want(t, 200)
	total := int(first.body["total"].(float64))
	if total < 50 || first.body["pages"].(float64) != float64((total+24)/25) {
		t.Fatalf("total %d pages %v: want >= 50 items and ceil(total/25) pages", total, first.body["pages"])
	}
	seen := map[float64]bool{}
	for page := 1; page <= int(first.body["pages"].(float64)); page++ {
		r := h.do(t, "GET", fmt.Sprintf("/api/items?per_page=25&page=%d&sort[]=id", page), nil).want(t, 200)
		for _, it := range results(r) {
			id := it.(map[string]any)["id"].(float64)
			if seen[id] {
				t.Fatalf("item %v returned twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != total {
		t.Fatalf("walked %d items, want %d", len(seen), total)
	}
	all := h.do(t, "GET", "/api/items?per_page=all", nil).want(t, 200)
	if len(results(all)) != total || all.body["pages"].(float64) != 1 {
		t.Errorf("per_page=all: %d results, %v pages", len(results(all)), all.body["pages"])
	}
	past := h.do(t, "GET", "/api/items?per_page=25&page=99", nil).want(t, 200)
	if len(results(past)) != 0 || int(past.body["total"].(float64)) != total {
		t.Errorf("page past the end: %s", past.raw)
	}
}

func TestKeysetPaging(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	var last float64
	var count int
	for range 100 {
		q := "sort[]=id&per_page=20&" + filterQuery(fmt.Sprintf(`{"id":{"$gt":%v}}`, last))
		r := h.do(t, "GET", "/api/items?"+q, nil).want(t, 200)
		page := results(r)
		if len(page) == 0 {
			break
		}
		for _, it := range page {
			id := it.(map[string]any)["id"].(float64)
			if id <= last {
				t.Fatalf("id %v not after %v", id, last)
			}
			last = id
			count++
		}
	}
	if want := len(h.srv.Data().Heartland.Items); count != want {
		t.Fatalf("keyset paging saw %d items, want %d", count, want)
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	awkward := map[string]any{"first_name": `Zoë "Z"`, "last_name": "O'Brien & Sons + Co", "email": "zoe+tag@example.com"}
	h.do(t, "POST", "/api/customers", awkward).want(t, http.StatusCreated)
	tests := []struct {
		name, path string
		want       int
	}{
		{"equality", "/api/items?" + filterQuery(`{"public_id":"SKU-1001"}`), 1},
		{"$in", "/api/items?" + filterQuery(`{"public_id":{"$in":["SKU-1001","SKU-1002","nope"]}}`), 2},
		{"$nin", "/api/locations?" + filterQuery(`{"public_id":{"$nin":["001"]}}`), 2},
		{"$like case-insensitive", "/api/items?" + filterQuery(`{"public_id":{"$like":"sku-100%"}}`), 9},
		{"$or", "/api/locations?" + filterQuery(`{"$or":[{"name":"Downtown"},{"public_id":"003"}]}`), 2},
		{"$and with range", "/api/items?" + filterQuery(`{"$and":[{"id":{"$gte":100501}},{"id":{"$lte":100503}}]}`), 3},
		{"array form is ANDed", "/api/items?" + filterQuery(`[{"id":{"$gt":100500}},{"id":{"$lt":100503}}]`), 2},
		{"repeated _filter[]", "/api/items?_filter[]=" + url.QueryEscape(`{"id":{"$gt":100500}}`) + "&_filter[]=" + url.QueryEscape(`{"id":{"$lt":100502}}`), 1},
		{"rack nested", "/api/items?_filter[id][$lte]=100502&_filter[active?]=true", 2},
		{"tilde shorthand", "/api/items?~[id][$gte]=100502&~[id][$lt]=100505", 3},
		{"plain field param", "/api/items?public_id=SKU-1003", 1},
		{"custom field", "/api/items?" + filterQuery(`{"custom@upc":"040000100501"}`), 1},
		{"quotes ampersand plus", "/api/customers?" + filterQuery(`{"last_name":"O'Brien & Sons + Co"}`), 1},
		{"unicode", "/api/customers?" + filterQuery(`{"first_name":"Zoë \"Z\""}`), 1},
		{"email is case-sensitive", "/api/customers?" + filterQuery(`{"email":"jane.roe@example.com"}`), 0},
		{"email exact", "/api/customers?" + filterQuery(`{"email":"Jane.Roe@Example.COM"}`), 1},
		{"query search", "/api/customers?query=" + url.QueryEscape("o'brien &"), 1},
		{"null", "/api/customers?" + filterQuery(`{"email":null}`), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := h.do(t, "GET", tt.path, nil).want(t, 200)
			if got := int(r.body["total"].(float64)); got != tt.want {
				t.Fatalf("total %d, want %d: %s", got, tt.want, r.raw)
			}
		})
	}
}

func TestBadFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	tests := []struct{ name, path, want string }{
		{"unknown field", "/api/items?" + filterQuery(`{"colour":"red"}`), `"colour"`},
		{"not JSON", "/api/items?_filter=" + url.QueryEscape(`{"id":`), "not valid JSON"},
		{"unknown operator", "/api/items?" + filterQuery(`{"id":{"$between":[1,2]}}`), "$between"},
		{"$in needs array", "/api/items?" + filterQuery(`{"id":{"$in":5}}`), "array"},
		{"completed? on tickets", "/api/sales/tickets?" + filterQuery(`{"completed?":true}`), "completed?"},
		{"source_location_id on tickets", "/api/sales/tickets?" + filterQuery(`{"source_location_id":100001}`), "source_location_id"},
		{"location_id on payments", "/api/payments?" + filterQuery(`{"location_id":100001}`), "location_id"},
		{"unknown sort", "/api/items?sort[]=colour,desc", "colour"},
		{"bad page", "/api/items?page=0", "page"},
		{"bad per_page", "/api/items?per_page=lots", "per_page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := h.do(t, "GET", tt.path, nil).want(t, http.StatusBadRequest)
			if r.body["error"] != "invalid_request" || !strings.Contains(r.body["message"].(string), tt.want) {
				t.Fatalf("body %s, want invalid_request mentioning %s", r.raw, tt.want)
			}
		})
	}
}

func TestSortOnlyInclude(t *testing.T) {
	t.Parallel()
	h := newHarness(t, Options{})
	r := h.do(t, "GET", "/api/items?per_page=3&sort[]=price,desc&_only[]=id&_only[]=price", nil).want(t, 200)
	prev := 1e9
	for _, it := range results(r) {
		m := it.(map[string]any)
		if len(m) != 2 {
			t.Fatalf("_only kept %v, want id and price", m)
		}
		if p := m["price"].(float64); p > prev {
			t.Fatalf("prices not descending: %v after %v", p, prev)
		} else {
			prev = p
		}
	}
	loc := h.do(t, "GET", "/api/locations?per_page=all&_include[]=stations", nil).want(t, 200)
	for _, l := range results(loc) {
		if st, _ := l.(map[string]any)["stations"].([]any); len(st) != 2 {
			t.Fatalf("location %v: stations %v, want 2", l.(map[string]any)["id"], st)
		}
	}
}
