package builtin

import (
	"encoding/json"
	"strings"
	"testing"
)

// Every Heartland operation runs through the Invoker against the Heartland
// simulator over HTTP, and its effect is checked in the simulator.
func TestHeartlandOperationsAgainstSandbox(t *testing.T) {
	t.Parallel()
	runSandboxCases(t, "heartland", []sandboxCase{
		{op: "get_sales_order",
			prep: func(t *testing.T, s *sb) string {
				return jsonf(`{"id":%d,"include":["lines"]}`, s.hlEvent(t, "sales_order", order(100101)))
			},
			check: func(t *testing.T, s *sb, out any) {
				o := rec(t, out)
				if o["customer_id"] != float64(100101) || len(list(t, o["lines"])) != 1 {
					t.Errorf("order = %v, want customer 100101 with one line", o)
				}
			}},
		{op: "list_sales_orders",
			prep: func(t *testing.T, s *sb) string {
				for _, c := range []int64{100101, 100102, 100101, 100101} {
					s.hlEvent(t, "sales_order", order(c))
				}
				return `{"filter":{"customer_id":100101},"per_page":2,"sort":["id,desc"]}`
			},
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != 3 || num(t, rec(t, l[0])["id"]) < num(t, rec(t, l[2])["id"]) {
					t.Errorf("orders = %v, want the 3 of customer 100101, newest first", l)
				}
			}},
		{op: "update_sales_order",
			prep: func(t *testing.T, s *sb) string {
				return jsonf(`{"id":%d,"status":"open","custom":{"erp_order":"5012"}}`, s.hlEvent(t, "sales_order", order(100101)))
			},
			check: func(t *testing.T, s *sb, out any) {
				o := s.hlGet(t, jsonf("/sales/orders/%v", rec(t, out)["id"]))
				if o["status"] != "open" || rec(t, o["custom"])["erp_order"] != "5012" {
					t.Errorf("order after update = %v, want status open and custom.erp_order 5012", o)
				}
			}},
		{op: "get_sales_ticket",
			prep: func(t *testing.T, s *sb) string {
				return jsonf(`{"id":%d}`, s.hlEvent(t, "sales_ticket", ticket(100102)))
			},
			check: recordHas("customer_id", float64(100102), "status", "complete")},
		{op: "list_sales_tickets",
			prep: func(t *testing.T, s *sb) string {
				s.hlEvent(t, "sales_ticket", ticket(100101))
				s.hlEvent(t, "sales_ticket", ticket(100102))
				return `{"filter":{"customer_id":100102}}`
			},
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 || rec(t, l[0])["customer_id"] != float64(100102) {
					t.Errorf("tickets = %v, want the one of customer 100102", l)
				}
			}},
		{op: "get_item", prep: fixed(`{"id":100501}`),
			check: recordHas("public_id", "SKU-1001")},
		{op: "list_items", prep: fixed(`{"query":"mug","per_page":3,"limit":0}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) == 0 {
					t.Fatal("no items match mug")
				}
				for _, it := range l {
					if d, _ := rec(t, it)["description"].(string); !containsFold(d, "mug") {
						t.Errorf("item %v does not match mug", it)
					}
				}
			}},
		{op: "find_item", prep: fixed(`{"public_id":"SKU-1002"}`),
			check: foundHas("id", float64(100502))},
		{op: "create_item", prep: fixed(`{"public_id":"NEW-1","description":"Tea cup","cost":2.5,"price":7,"fields":{"custom@upc":"0999"}}`),
			check: func(t *testing.T, s *sb, out any) {
				it := s.hlGet(t, jsonf("/items/%v", rec(t, out)["id"]))
				if it["public_id"] != "NEW-1" || it["price"] != 7.0 || rec(t, it["custom"])["upc"] != "0999" {
					t.Errorf("created item = %v", it)
				}
			}},
		{op: "update_item", prep: fixed(`{"id":100501,"fields":{"price":13.5}}`),
			check: func(t *testing.T, s *sb, out any) {
				if it := s.hlGet(t, "/items/100501"); it["price"] != 13.5 {
					t.Errorf("price after update = %v, want 13.5", it["price"])
				}
			}},
		{op: "upsert_items_batch",
			// A new item, a new one Heartland refuses (blank description), an
			// update by id, and a "new" item whose Item # exists, updated.
			prep: fixed(`{"items":[
				{"public_id":"BATCH-1","description":"Tea cup","cost":2.5,"price":7},
				{"public_id":"BATCH-2","description":" ","cost":1,"price":2},
				{"id":100502,"public_id":"SKU-1002","fields":{"price":21.5}},
				{"public_id":"SKU-1003","description":"Renamed","cost":9,"price":8}]}`),
			check: func(t *testing.T, s *sb, out any) {
				res := rec(t, out)
				created, updated, failed := list(t, res["created"]), list(t, res["updated"]), list(t, res["failed"])
				if len(created) != 1 || rec(t, created[0])["public_id"] != "BATCH-1" || len(updated) != 2 || len(failed) != 1 ||
					rec(t, failed[0])["public_id"] != "BATCH-2" || !strings.Contains(rec(t, failed[0])["error"].(string), "description") {
					t.Fatalf("result = %v", res)
				}
				if res["calls"] != float64(5) { // one lookup of the new Item #s, four writes
					t.Errorf("calls = %v, want 5", res["calls"])
				}
				if it := s.hlGet(t, jsonf("/items/%v", rec(t, created[0])["id"])); it["public_id"] != "BATCH-1" || it["cost"] != 2.5 {
					t.Errorf("created item = %v", it)
				}
				if it := s.hlGet(t, "/items/100502"); it["price"] != 21.5 {
					t.Errorf("SKU-1002 price = %v, want 21.5", it["price"])
				}
				if it := s.hlGet(t, "/items/100503"); it["description"] != "Renamed" || it["cost"] == 9.0 {
					t.Errorf("SKU-1003 = %v, want renamed with its own cost kept", it)
				}
			}},
		{op: "get_inventory_values", prep: fixed(`{"item_ids":[100501,100502],"location_ids":[100002]}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != 2 {
					t.Fatalf("rows = %v, want 2", l)
				}
				for _, r := range l {
					row := rec(t, r)
					if want := s.Heartland.OnHand(int64(num(t, row["item_id"])), 100002); row["location_id"] != float64(100002) || row["qty_on_hand"] != want {
						t.Errorf("row %v, want location 100002 and qty_on_hand %v", row, want)
					}
				}
			}},
		{op: "adjust_stock_batch",
			// 1,000 changes at location 100003, 100 lines per set: 10 sets, plus
			// one resend of the set holding the unknown item.
			prep: func(t *testing.T, s *sb) string { return stockChanges(t, s, 1000, 417) },
			check: func(t *testing.T, s *sb, out any) {
				res := rec(t, out)
				failed := list(t, res["failed"])
				if res["applied"] != float64(999) || res["calls"] != float64(11) || len(failed) != 1 ||
					rec(t, failed[0])["index"] != float64(417) || !strings.Contains(rec(t, failed[0])["error"].(string), "item_id") {
					t.Fatalf("result = calls %v applied %v failed %v", res["calls"], res["applied"], failed)
				}
				var posts int
				for _, e := range requestLog(s.Heartland) {
					if e.Method == "POST" && e.Path == "/api/inventory/adjustment_sets" {
						posts++
					}
				}
				if posts != 11 {
					t.Errorf("the simulator saw %d set creations, want 11", posts)
				}
				for i, item := range s.Heartland.Data().Heartland.Items[:10] {
					want := seedOnHand(t, s, item.ID, 100003) + 100*float64(i+1)
					if i == 417%10 {
						want -= float64(i + 1) // the refused change
					}
					if got := s.Heartland.OnHand(item.ID, 100003); got != want {
						t.Errorf("item %d on hand = %v, want %v", item.ID, got, want)
					}
				}
			}},
		{op: "create_inventory_adjustment",
			prep: fixed(`{"location_id":100003,"adjustment_reason_id":100301,"lines":[{"item_id":100501,"qty":5},{"item_id":100502,"qty":-1,"unit_cost":3.5}]}`),
			check: func(t *testing.T, s *sb, out any) {
				set := s.hlGet(t, jsonf("/inventory/adjustment_sets/%v", rec(t, out)["id"]))
				if set["status"] != "complete" {
					t.Errorf("adjustment set = %v, want complete", set)
				}
				for item, delta := range map[int64]float64{100501: 5, 100502: -1} {
					if got, want := s.Heartland.OnHand(item, 100003), seedOnHand(t, s, item, 100003)+delta; got != want {
						t.Errorf("item %d on hand = %v, want %v", item, got, want)
					}
				}
			}},
		{op: "search_customers", prep: fixed(`{"name":"garcia"}`),
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 || rec(t, l[0])["id"] != float64(100103) {
					t.Errorf("customers = %v, want Maria Garcia (100103)", l)
				}
			}},
		{op: "find_customer", prep: fixed(`{"email":"Jane.Roe@Example.COM"}`),
			check: foundHas("id", float64(100101))},
		{op: "list_customer_addresses", prep: fixed(`{"id":100102}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) == 0 || rec(t, l[0])["city"] == nil {
					t.Errorf("addresses of customer 100102 = %v, want at least one with a city", l)
				}
			}},
		{op: "get_customer", prep: fixed(`{"id":100102}`),
			check: recordHas("public_id", "C1001")},
		{op: "create_customer", prep: fixed(`{"first_name":"Siobhán","last_name":"O'Brien & Sons","email":"ob@example.com","fields":{"phone_number":"555-0100"}}`),
			check: func(t *testing.T, s *sb, out any) {
				c := s.hlGet(t, jsonf("/customers/%v", rec(t, out)["id"]))
				if c["name"] != "Siobhán O'Brien & Sons" || c["email"] != "ob@example.com" || c["phone_number"] != "555-0100" {
					t.Errorf("created customer = %v", c)
				}
			}},
		{op: "update_customer", prep: fixed(`{"id":100103,"fields":{"email":"maria@example.org"}}`),
			check: func(t *testing.T, s *sb, out any) {
				if c := s.hlGet(t, "/customers/100103"); c["email"] != "maria@example.org" {
					t.Errorf("email after update = %v", c["email"])
				}
			}},
		{op: "list_payments",
			prep: func(t *testing.T, s *sb) string {
				s.hlEvent(t, "sales_ticket", ticket(100101))
				return `{"filter":{"status":"complete"}}`
			},
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 || rec(t, l[0])["amount"] != 10.0 {
					t.Errorf("payments = %v, want the ticket's payment of 10", l)
				}
			}},
		{op: "list_payment_types", prep: fixed(`{}`),
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 5 || rec(t, l[0])["name"] != "Visa" {
					t.Errorf("payment types = %v, want the 5 seeded ones", l)
				}
			}},
		{op: "list_locations", prep: fixed(`{}`),
			check: func(t *testing.T, s *sb, out any) {
				l := list(t, out)
				if len(l) != 3 {
					t.Fatalf("locations = %v, want 3", l)
				}
				for _, loc := range l {
					if st, _ := rec(t, loc)["stations"].([]any); len(st) != 2 {
						t.Errorf("location %v, want 2 stations", loc)
					}
				}
			}},
		{op: "register_webhook", prep: fixed(`{"url":"https://hooks.example.com/hl?secret=s1","events":["sales_transaction_completed"]}`),
			check: func(t *testing.T, s *sb, out any) {
				w := s.hlGet(t, jsonf("/webhooks/%v", rec(t, out)["id"]))
				if w["url"] != "https://hooks.example.com/hl?secret=s1" {
					t.Errorf("registered webhook = %v", w)
				}
			}},
		{op: "find_webhook",
			prep: func(t *testing.T, s *sb) string {
				s.must(t, s.hl, "register_webhook", `{"url":"https://h.example.com/1","events":["item_created"]}`)
				s.must(t, s.hl, "register_webhook", `{"url":"https://h.example.com/2","events":["item_created"]}`)
				return `{"url":"https://h.example.com/2"}`
			},
			check: foundHas("url", "https://h.example.com/2")},
		{op: "list_webhooks",
			prep: func(t *testing.T, s *sb) string {
				s.must(t, s.hl, "register_webhook", `{"url":"https://h.example.com/1","events":["item_created"]}`)
				return `{}`
			},
			check: func(t *testing.T, s *sb, out any) {
				if l := list(t, out); len(l) != 1 {
					t.Errorf("webhooks = %v, want 1", l)
				}
			}},
		{op: "delete_webhook",
			prep: func(t *testing.T, s *sb) string {
				out := s.must(t, s.hl, "register_webhook", `{"url":"https://h.example.com/1","events":["item_created"]}`)
				return jsonf(`{"id":%v}`, rec(t, out)["id"])
			},
			check: func(t *testing.T, s *sb, out any) {
				if l := s.hlGet(t, "/webhooks"); l["total"] != 0.0 {
					t.Errorf("webhooks after delete = %v, want none", l)
				}
			}},
	})
}

// seedOnHand is the seeded on-hand quantity of an item at a location.
// stockChanges is the input of n stock changes at location 100003 cycling
// over ten seeded items (item i changes by i+1); change bad names an item
// that does not exist.
func stockChanges(tb testing.TB, s *sb, n, bad int) string {
	tb.Helper()
	items := s.Heartland.Data().Heartland.Items[:10]
	changes := make([]map[string]any, n)
	for i := range changes {
		changes[i] = map[string]any{"location_id": 100003, "item_id": items[i%10].ID, "qty": i%10 + 1}
	}
	changes[bad]["item_id"] = 999999999
	b, err := json.Marshal(map[string]any{"changes": changes, "batch_size": 100})
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func seedOnHand(tb testing.TB, s *sb, item, location int64) float64 {
	tb.Helper()
	for _, st := range s.Heartland.Data().Heartland.Inventory {
		if st.ItemID == item && st.LocationID == location {
			return st.QtyOnHand
		}
	}
	return 0
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
