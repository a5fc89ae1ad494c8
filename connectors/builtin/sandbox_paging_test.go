package builtin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bridgework/bridgework/connectors/heartland"
	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/sandbox"
	epsim "github.com/bridgework/bridgework/sandbox/epicor"
	hlsim "github.com/bridgework/bridgework/sandbox/heartland"
	"github.com/bridgework/bridgework/sandbox/reqlog"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// ids returns the records' ids (field) and fails on a repeat.
func ids(tb testing.TB, records []any, field string) []any {
	tb.Helper()
	seen := map[any]bool{}
	var out []any
	for _, r := range records {
		id := rec(tb, r)[field]
		if seen[id] {
			tb.Errorf("record %v came back twice", id)
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// gets returns the logged GETs of path, with their decoded queries.
func gets(tb testing.TB, log []reqlog.Entry, path string) []url.Values {
	tb.Helper()
	var out []url.Values
	for _, e := range log {
		if e.Method == http.MethodGet && e.Path == path {
			q, err := url.ParseQuery(e.Query)
			if err != nil {
				tb.Fatalf("logged query %q: %v", e.Query, err)
			}
			out = append(out, q)
		}
	}
	return out
}

// list_items walks every page of a collection bigger than a page.
func TestHeartlandPagingAgainstSandbox(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, sandbox.Options{})
	items := list(t, s.must(t, s.hl, "list_items", `{"per_page":7,"limit":0}`))
	if n := len(s.Heartland.Data().Heartland.Items); len(ids(t, items, "id")) != n {
		t.Errorf("listed %d items, want all %d", len(items), n)
	}
	pages := gets(t, requestLog(s.Heartland), "/api/items")
	if len(pages) != 9 {
		t.Fatalf("fetched %d pages of 7, want 9 for 61 items", len(pages))
	}
	for i, q := range pages {
		if q.Get("page") != fmt.Sprint(i+1) || q.Get("per_page") != "7" {
			t.Errorf("page request %d = %v", i, q)
		}
	}
	if limited := list(t, s.must(t, s.hl, "list_items", `{"per_page":7,"limit":10}`)); len(limited) != 10 {
		t.Errorf("limit 10 returned %d items", len(limited))
	}
}

// Client.Scan pages by id: a customer created during the scan is seen once,
// at the end, and none is skipped or repeated.
func TestHeartlandKeysetScanAgainstSandbox(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, sandbox.Options{})
	c := heartland.New(s.HeartlandURL+"/api", heartland.StaticToken(hlsim.DefaultToken), httpx.Options{})
	var got []int64
	var added int64
	for r, err := range c.Scan(context.Background(), "scan customers", "/customers",
		heartland.ListOptions{PerPage: 5, Filter: heartland.Filter{"active?": true}}, 100102) {
		if err != nil {
			t.Fatalf("scan: %v", err)
		}
		got = append(got, int64(num(t, r["id"])))
		if len(got) == 7 {
			out := s.must(t, s.hl, "create_customer", `{"first_name":"Mid","last_name":"Scan","email":"mid@scan.test"}`)
			added = int64(num(t, rec(t, out)["id"]))
		}
	}
	want := 22 - 2 + 1 // after 100102, plus the one added
	if len(got) != want || got[0] != 100103 || got[len(got)-1] != added {
		t.Fatalf("scanned %v, want %d ids from 100103 ending with the new %d", got, want, added)
	}
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("ids out of order or repeated: %v", got)
		}
	}
	for _, q := range gets(t, requestLog(s.Heartland), "/api/customers") {
		if q.Get("sort[]") != "id" || !strings.Contains(q.Get("_filter"), `"$gt"`) || q.Get("page") != "1" {
			t.Errorf("scan request %v is not a keyset page", q)
		}
	}
}

// list_parts pages with $top/$skip across several pages of 100.
func TestEpicorPagingAgainstSandbox(t *testing.T) {
	t.Parallel()
	data := seed.Generate(1)
	for i := range 250 {
		data.Epicor.Parts = append(data.Epicor.Parts, seed.Part{PartNum: fmt.Sprintf("BULK-%03d", i), PartDescription: "Bulk part", TypeCode: "P", IUM: "EA", SalesUM: "EA"})
	}
	file := filepath.Join(t.TempDir(), "data.json")
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s := startSandbox(t, sandbox.Options{DataFile: file})
	parts := list(t, s.must(t, s.ep, "list_parts", `{"limit":0,"select":["PartNum"]}`))
	if want := len(data.Epicor.Parts); len(ids(t, parts, "PartNum")) != want {
		t.Fatalf("listed %d parts, want %d", len(parts), want)
	}
	pages := gets(t, requestLog(s.Epicor), "/Kinetic/api/v2/odata/EPIC06/Erp.BO.PartSvc/Parts")
	if len(pages) != 4 {
		t.Fatalf("fetched %d pages, want 4 for %d parts", len(pages), len(parts))
	}
	for i, q := range pages {
		if q.Get("$top") != "100" || (i > 0 && q.Get("$skip") != fmt.Sprint(i*100)) {
			t.Errorf("page request %d = %v", i, q)
		}
	}
	bulk := list(t, s.must(t, s.ep, "list_parts", `{"filter":"startswith(PartNum,'BULK-')","limit":120}`))
	if len(bulk) != 120 || rec(t, bulk[119])["PartNum"] != "BULK-119" {
		t.Errorf("limit 120 with a filter returned %d parts", len(bulk))
	}
}

// Awkward values (quotes, ampersands, hashes, unicode) survive _filter and
// OData $filter encoding: records written with them are found again.
func TestAwkwardFilterValuesAgainstSandbox(t *testing.T) {
	t.Parallel()
	s := startSandbox(t, sandbox.Options{})
	for _, v := range []struct{ last, email string }{
		{`O'Brien & Sons`, `o'brien+sons@example.com`},
		{`"Quoted" #1/2 ?x=y`, `quote"d@example.com`},
		{`Zürich Ünïcødé 東京`, `zürich@example.com`},
	} {
		out := s.must(t, s.hl, "create_customer", jsonf(`{"first_name":"Ann","last_name":%q,"email":%q}`, v.last, v.email))
		id := rec(t, out)["id"]
		if r := found(t, s.must(t, s.hl, "find_customer", jsonf(`{"email":%q}`, v.email))); r["id"] != id {
			t.Errorf("heartland find_customer %q = %v, want %v", v.email, r["id"], id)
		}
		item := rec(t, s.must(t, s.hl, "create_item", jsonf(`{"public_id":%q,"description":%q,"cost":1}`, v.email, v.last)))
		l := list(t, s.must(t, s.hl, "list_items", jsonf(`{"filter":{"description":%q}}`, v.last)))
		if len(l) != 1 || rec(t, l[0])["id"] != item["id"] {
			t.Errorf("heartland list_items description %q = %v, want item %v", v.last, l, item["id"])
		}
		if r := found(t, s.must(t, s.hl, "find_item", jsonf(`{"public_id":%q}`, v.email))); r["id"] != item["id"] {
			t.Errorf("heartland find_item %q = %v", v.email, r)
		}
		items := list(t, s.must(t, s.hl, "search_customers", jsonf(`{"name":%q}`, v.last)))
		if len(items) != 1 || rec(t, items[0])["id"] != id {
			t.Errorf("heartland search_customers %q = %v, want %v", v.last, items, id)
		}

		name := "Ann " + v.last
		ep := rec(t, s.must(t, s.ep, "create_customer", jsonf(`{"CustID":%q,"Name":%q,"EMailAddress":%q}`, custID(v.last), name, v.email)))
		for _, in := range []string{jsonf(`{"name":%q}`, name), jsonf(`{"email":%q}`, v.email)} {
			if l := list(t, s.must(t, s.ep, "find_customers", in)); len(l) != 1 || rec(t, l[0])["CustNum"] != ep["CustNum"] {
				t.Errorf("epicor find_customers %s = %v, want CustNum %v", in, l, ep["CustNum"])
			}
		}
		if r := found(t, s.must(t, s.ep, "find_customer", jsonf(`{"CustID":%q}`, custID(v.last)))); r["CustNum"] != ep["CustNum"] {
			t.Errorf("epicor find_customer %q = %v", custID(v.last), r)
		}
	}
}

// custID makes a CustID of at most 10 characters that keeps the awkward
// characters of s.
func custID(s string) string { return string([]rune(s)[:min(10, len([]rune(s)))]) }

// With auth=token, a token the server no longer accepts is replaced once
// and the call resent: 401, new token, 200.
func TestEpicorTokenRefreshAgainstSandbox(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
	s := startSandbox(t, sandbox.Options{Epicor: epsim.Options{TokenTTL: 2 * time.Minute, Clock: clock}})
	s.ep.Config["auth"] = "token"
	s.must(t, s.ep, "get_customer", `{"CustNum":1}`)
	s.must(t, s.ep, "get_customer", `{"CustNum":2}`)
	offset.Store(int64(3 * time.Minute)) // the server's clock passes the token's expiry
	if r := rec(t, s.must(t, s.ep, "get_customer", `{"CustNum":3}`)); r["CustNum"] != 3.0 {
		t.Errorf("customer after the token refresh = %v", r)
	}
	var seq []string
	for _, e := range requestLog(s.Epicor) {
		seq = append(seq, fmt.Sprintf("%s %d", strings.TrimPrefix(e.Path, "/Kinetic"), e.Status))
	}
	want := []string{
		"/TokenResource.svc/ 200",
		"/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers('EPIC06',1) 200",
		"/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers('EPIC06',2) 200",
		"/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers('EPIC06',3) 401",
		"/TokenResource.svc/ 200",
		"/api/v2/odata/EPIC06/Erp.BO.CustomerSvc/Customers('EPIC06',3) 200",
	}
	if strings.Join(seq, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(seq, "\n"), strings.Join(want, "\n"))
	}
}
