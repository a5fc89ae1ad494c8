package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox/fault"
	"github.com/bridgework/bridgework/sandbox/odata"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// bulkInventory is the seed data plus n items that both systems know and
// whose quantities differ in every warehouse; the part bad has a fractional
// Epicor quantity in warehouse badWhse.
func bulkInventory(n int, bad, badWhse string) *seed.Dataset {
	d := seed.Generate(1)
	for i := range n {
		part := fmt.Sprintf("BULK-%04d", i+1)
		id := int64(300001 + i)
		d.Heartland.Items = append(d.Heartland.Items, seed.Item{ID: id, PublicID: part, Description: "Bulk item " + part,
			Cost: 2, Price: 5, Active: true, TrackInventory: true, Custom: map[string]any{}})
		d.Epicor.Parts = append(d.Epicor.Parts, seed.Part{PartNum: part, PartDescription: "Bulk item " + part, TypeCode: "P",
			IUM: "EA", SalesUM: "EA", UnitPrice: 5, ProdCode: "RETAIL"})
		for w, loc := range d.Heartland.Locations {
			whse := d.Epicor.Warehouses[w].WarehouseCode
			hl := float64((i*7 + w*3) % 20)
			ep := hl + float64(1+(i+w)%4)
			if part == bad && whse == badWhse {
				ep += 0.5
			}
			d.Heartland.Inventory = append(d.Heartland.Inventory, seed.Stock{ItemID: id, LocationID: loc.ID, QtyOnHand: hl})
			d.Epicor.PartWhses = append(d.Epicor.PartWhses, seed.PartWhse{PartNum: part, WarehouseCode: whse, OnHandQty: ep})
		}
	}
	return d
}

// stockDiff is an item whose Heartland on hand differs from Epicor's
// available quantity in the mapped warehouse.
type stockDiff struct {
	part, whse string
	item, loc  int64
	from, to   float64
}

// stockDiffs computes, independently of the template, what the inventory
// sync has to change: Heartland on hand against Epicor on hand − allocated −
// reserved (at least 0), for every item numbered like a part.
func (e *templateEnv) stockDiffs(warehouses map[string]int64) []stockDiff {
	items := map[string]int64{}
	for _, it := range e.sb.Heartland.Data().Heartland.Items {
		items[it.PublicID] = it.ID
	}
	var out []stockDiff
	for _, pw := range e.sb.Epicor.Rows("PartWhses", nil) {
		part, whse := pw["PartNum"].(string), pw["WarehouseCode"].(string)
		item, known := items[part]
		loc, mapped := warehouses[whse]
		if !known || !mapped {
			continue
		}
		avail := max(0, qty(pw["OnHandQty"])-qty(pw["AllocatedQty"])-qty(pw["ReservedQty"]))
		if cur := e.sb.Heartland.OnHand(item, loc); cur != avail {
			out = append(out, stockDiff{part: part, whse: whse, item: item, loc: loc, from: cur, to: avail})
		}
	}
	return out
}

func qty(v any) float64 {
	f, _ := v.(float64)
	return f
}

// heartlandAnswers counts the Heartland sandbox's answers to method path
// since the request log entry mark, by status.
func (e *templateEnv) heartlandAnswers(mark int64, method, path string) map[int]int {
	out := map[int]int{}
	for _, r := range e.sb.Heartland.Requests().Since(mark) {
		if r.Method == method && r.Path == path {
			out[r.Status]++
		}
	}
	return out
}

// adjustmentSets returns the Heartland sandbox's adjustment sets at a
// location, with their lines.
func (e *templateEnv) adjustmentSets(loc int64) []map[string]any {
	e.t.Helper()
	filter := url.QueryEscape(fmt.Sprintf(`{"location_id":%d}`, loc))
	res := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/inventory/adjustment_sets?per_page=5000&_include[]=lines&_filter="+filter, nil)
	var out []map[string]any
	for _, s := range res["results"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

// lastStep is the last attempt of a run step.
func (e *templateEnv) lastStep(runID, key string) map[string]any {
	e.t.Helper()
	attempts := e.steps(runID)[key]
	if len(attempts) == 0 {
		e.t.Fatalf("run %s has no step %s", runID, key)
	}
	return attempts[len(attempts)-1]
}

func ceilDiv(n, d int) int { return (n + d - 1) / d }

// The inventory template on over a thousand differences across three
// locations: Heartland receives ceil(N / batch_size) adjustment sets per
// location (counted in its request log and in the sets it stores), the one
// change it refuses is listed in the run (which fails, naming it) while every
// other change is applied once, and after the quantity is fixed the next run
// writes just that change.
func TestInventoryTemplateBatchesChanges(t *testing.T) {
	const slug = "epicor-inventory-to-heartland"
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		want := templateFile(t, slug, "expected", "bulk-refused.json")
		size := int(want["batch_size"].(float64))
		bad := want["refused"].(map[string]any)
		badPart, badWhse := bad["PartNum"].(string), bad["WarehouseCode"].(string)
		e := newTemplateEnvData(t, dialect, bulkInventory(int(want["bulk_parts"].(float64)), badPart, badWhse))
		scheduled := e.install(slug, map[string]any{"batch_size": size})[1]

		warehouses := map[string]int64{"DTWN": 100001, "MALL": 100002, "OUTL": 100003}
		diffs := e.stockDiffs(warehouses)
		perLoc := map[int64]int{}
		for _, d := range diffs {
			perLoc[d.loc]++
		}
		wantSets := 0
		for _, n := range perLoc {
			wantSets += ceilDiv(n, size)
		}
		if len(diffs) < 1000 || len(perLoc) != 3 {
			t.Fatalf("%d differences at %d locations; the test wants over 1,000 at 3", len(diffs), len(perLoc))
		}
		setsBefore := map[int64]int{}
		for _, loc := range warehouses {
			setsBefore[loc] = len(e.adjustmentSets(loc))
		}
		mark := e.sb.Heartland.Requests().LastID()
		e.makeDue(scheduled.ID, scheduled.Version)
		run := e.waitFlowRuns(scheduled.ID, 1)[0]
		runID := run["id"].(string)
		wantRun(t, run, want["run_status"].(string))
		t.Logf("run error: %v", run["error"])
		if msg, _ := run["error"].(string); !strings.Contains(msg, badPart+" at "+badWhse) || !strings.Contains(msg, bad["error"].(string)) {
			t.Errorf("run error %q does not name the refused change %s at %s", msg, badPart, badWhse)
		}

		// The run's summary: every change adjusted but the refused one.
		sum := e.lastStep(runID, "summary")["output"].(map[string]any)
		refused, adjusted := sum["refused"].([]any), sum["adjusted"].([]any)
		if len(refused) != 1 || len(adjusted) != len(diffs)-1 || sum["calls"] != float64(wantSets+1) {
			t.Fatalf("summary: %d refused, %d adjusted, %v calls; want 1, %d, %d", len(refused), len(adjusted), sum["calls"], len(diffs)-1, wantSets+1)
		}
		r := refused[0].(map[string]any)
		if r["PartNum"] != badPart || r["WarehouseCode"] != badWhse || !strings.Contains(r["error"].(string), bad["error"].(string)) {
			t.Errorf("refused %v, want %s at %s: %s", r, badPart, badWhse, bad["error"])
		}

		// What Heartland saw: ceil(N/batch) sets per location, plus the one
		// refused call for the set holding the bad line.
		posts := e.heartlandAnswers(mark, http.MethodPost, "/api/inventory/adjustment_sets")
		t.Logf("%d changes (%v per location), batch_size %d: adjustment-set POSTs %v", len(diffs), perLoc, size, posts)
		if posts[http.StatusCreated] != wantSets || posts[http.StatusBadRequest] != 1 || len(posts) != 2 {
			t.Errorf("Heartland answered adjustment-set POSTs %v; want %d created and 1 refused", posts, wantSets)
		}
		for whse, loc := range warehouses {
			sets := e.adjustmentSets(loc)[setsBefore[loc]:]
			lines := 0
			for _, s := range sets {
				n := len(s["lines"].([]any))
				if n > size || s["status"] != "complete" {
					t.Errorf("%s: set %v has %d lines (status %v), want at most %d, complete", whse, s["id"], n, s["status"], size)
				}
				lines += n
			}
			wantLines := perLoc[loc]
			if whse == badWhse {
				wantLines--
			}
			if len(sets) != ceilDiv(perLoc[loc], size) || lines != wantLines {
				t.Errorf("%s: %d sets with %d lines for %d changes; want %d sets with %d lines",
					whse, len(sets), lines, perLoc[loc], ceilDiv(perLoc[loc], size), wantLines)
			}
		}
		// Read back: every change applied once; the refused one left alone.
		for _, d := range diffs {
			wantQty := d.to
			if d.part == badPart && d.whse == badWhse {
				wantQty = d.from
			}
			if got := e.sb.Heartland.OnHand(d.item, d.loc); got != wantQty {
				t.Errorf("%s at %s: Heartland on hand %v, want %v", d.part, d.whse, got, wantQty)
			}
		}

		// Fixed in Epicor, the next run writes the one remaining change.
		fixed := e.sb.Epicor.OnHand(badPart, badWhse) + 0.5
		if err := e.sb.Epicor.SetOnHand(badPart, badWhse, fixed); err != nil {
			t.Fatal(err)
		}
		after := want["after_fix"].(map[string]any)
		e.makeDue(scheduled.ID, scheduled.Version)
		run = e.waitFlowRuns(scheduled.ID, 2)[0]
		wantRun(t, run, after["run_status"].(string))
		sum = e.lastStep(run["id"].(string), "summary")["output"].(map[string]any)
		if len(sum["adjusted"].([]any)) != int(after["adjusted"].(float64)) || len(sum["refused"].([]any)) != 0 || sum["calls"] != after["calls"] {
			t.Errorf("run after the fix: %v", sum)
		}
		if left := e.stockDiffs(warehouses); len(left) != 0 {
			t.Errorf("%d differences left after the fix, e.g. %+v", len(left), left[0])
		}
	})
}

// The catalog template: new parts become items one call each, the part
// Heartland refuses is listed and fails the run while the others are saved;
// the next run writes only a changed item, and a run with nothing new
// changes nothing (and, with fail_on_refused false, succeeds listing the
// refusal).
func TestCatalogTemplateReportsRefusedItems(t *testing.T) {
	t.Parallel()
	const slug = "epicor-parts-to-heartland-items"
	want := templateFile(t, slug, "expected", "refused-part.json")
	e := newTemplateEnv(t, "sqlite")
	for _, p := range want["new_parts"].([]any) {
		p := p.(map[string]any)
		if err := e.sb.Epicor.AddPart(p["PartNum"].(string), p["PartDescription"].(string),
			odata.Row{"UnitPrice": p["UnitPrice"], "SalesUM": p["SalesUM"], "TypeCode": "P"}); err != nil {
			t.Fatal(err)
		}
	}
	flow := e.install(slug, nil)[0]
	refused := want["refused"].(map[string]any)

	mark := e.sb.Heartland.Requests().LastID()
	e.makeDue(flow.ID, flow.Version)
	run := e.waitFlowRuns(flow.ID, 1)[0]
	wantRun(t, run, want["run_status"].(string))
	if msg, _ := run["error"].(string); !strings.Contains(msg, refused["public_id"].(string)) || !strings.Contains(msg, refused["error"].(string)) {
		t.Errorf("run error %q does not name the refused item", msg)
	}
	sum := e.lastStep(run["id"].(string), "summary")["output"].(map[string]any)
	created, updated, refusals := strs(sum["created"]), strs(sum["updated"]), sum["refused"].([]any)
	slices.Sort(created)
	if got := fmt.Sprint(created); got != fmt.Sprint(want["created"]) {
		t.Errorf("created %s, want %v", got, want["created"])
	}
	if len(refusals) != 1 || refusals[0].(map[string]any)["public_id"] != refused["public_id"] ||
		!strings.Contains(refusals[0].(map[string]any)["error"].(string), refused["error"].(string)) {
		t.Errorf("refused %v, want %v", refusals, refused)
	}
	// One call per item (Heartland has no multi-item write) and one look-up
	// of the new Item #s.
	posts := e.heartlandAnswers(mark, http.MethodPost, "/api/items")
	puts := 0
	for _, r := range e.sb.Heartland.Requests().Since(mark) {
		if r.Method == http.MethodPut && strings.HasPrefix(r.Path, "/api/items/") {
			puts++
		}
	}
	t.Logf("catalog: %d created, %d updated, 1 refused; item POSTs %v, PUTs %d, calls %v", len(created), len(updated), posts, puts, sum["calls"])
	if posts[http.StatusCreated] != len(created) || posts[http.StatusBadRequest] != 1 || puts != len(updated) ||
		sum["calls"] != float64(len(created)+len(updated)+1+1) {
		t.Errorf("item POSTs %v, PUTs %d, calls %v; want %d created, 1 refused, %d updated, %d calls",
			posts, puts, sum["calls"], len(created), len(updated), len(created)+len(updated)+2)
	}
	for _, p := range want["new_parts"].([]any) {
		p := p.(map[string]any)
		if p["PartNum"] == refused["public_id"] {
			continue
		}
		if it := e.heartlandItem(p["PartNum"].(string)); it["description"] != p["PartDescription"] || it["price"] != p["UnitPrice"] {
			t.Errorf("item %v does not carry part %v", it, p)
		}
	}

	// A price changed in Heartland: the next run puts it back, and nothing else.
	e.sandboxCall(http.MethodPut, e.sb.HeartlandURL+"/api/items/100503", map[string]any{"price": 1.25})
	mark = e.sb.Heartland.Requests().LastID()
	e.makeDue(flow.ID, flow.Version)
	run = e.waitFlowRuns(flow.ID, 2)[0]
	sum = e.lastStep(run["id"].(string), "summary")["output"].(map[string]any)
	if fmt.Sprint(strs(sum["created"]), strs(sum["updated"])) != "[] [SKU-1003]" || len(sum["refused"].([]any)) != 1 {
		t.Errorf("second run: %v, want only SKU-1003 updated and the refusal again", sum)
	}
	if p := e.heartlandAnswers(mark, http.MethodPost, "/api/items"); p[http.StatusCreated] != 0 {
		t.Errorf("the second run created items: %v", p)
	}

	// Nothing new: with fail_on_refused false the run succeeds, writes
	// nothing but the refused attempt, and lists it.
	flow = e.install(slug, map[string]any{"fail_on_refused": false})[0]
	items := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/items?per_page=1", nil)["total"]
	mark = e.sb.Heartland.Requests().LastID()
	e.makeDue(flow.ID, flow.Version)
	run = e.waitFlowRuns(flow.ID, 3)[0]
	wantRun(t, run, "succeeded")
	sum = e.lastStep(run["id"].(string), "summary")["output"].(map[string]any)
	if len(strs(sum["created"]))+len(strs(sum["updated"])) != 0 || len(sum["refused"].([]any)) != 1 {
		t.Errorf("third run: %v, want nothing written and the refusal listed", sum)
	}
	if p := e.heartlandAnswers(mark, http.MethodPost, "/api/items"); p[http.StatusCreated] != 0 || p[http.StatusBadRequest] != 1 {
		t.Errorf("third run item POSTs %v, want only the refused one", p)
	}
	if now := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/items?per_page=1", nil)["total"]; now != items {
		t.Errorf("Heartland has %v items after a run with nothing new, had %v", now, items)
	}
}

// A catalog run whose Heartland answer is lost mid-batch is retried: the
// retried step skips the items already saved, finds the item whose answer
// was lost by its Item #, and creates the rest, each exactly once.
func TestCatalogTemplateResumesAfterLostAnswer(t *testing.T) {
	t.Parallel()
	e := newTemplateEnv(t, "sqlite")
	var parts []string
	for i := range 8 {
		part := fmt.Sprintf("LOST-%d", i+1)
		parts = append(parts, part)
		if err := e.sb.Epicor.AddPart(part, "Resume test "+part, odata.Row{"UnitPrice": 10.0, "SalesUM": "EA", "TypeCode": "P"}); err != nil {
			t.Fatal(err)
		}
	}
	flow := e.install("epicor-parts-to-heartland-items", map[string]any{"concurrency": 1})[0]
	if err := e.sb.Heartland.Faults().Set(fault.Config{WriteTimeout: &fault.WriteTimeout{Mode: "drop", After: 2, Count: 1}}); err != nil {
		t.Fatal(err)
	}
	mark := e.sb.Heartland.Requests().LastID()
	e.makeDue(flow.ID, flow.Version)
	run := e.waitFlowRuns(flow.ID, 1)[0]
	wantRun(t, run, "succeeded")
	if attempts := e.steps(run["id"].(string))["save"]; len(attempts) != 2 || attempts[0]["status"] != "failed" {
		t.Fatalf("save step attempts %v, want a failed one then the retry", attempts)
	}
	sum := e.lastStep(run["id"].(string), "summary")["output"].(map[string]any)
	created := strs(sum["created"])
	for _, p := range parts {
		e.heartlandItem(p) // exactly one each
		if !slices.Contains(created, p) {
			t.Errorf("%s missing from created %v", p, created)
		}
	}
	// Every create was sent once: the lost one was looked up, not sent again.
	creates := 0
	for _, r := range e.sb.Heartland.Requests().Since(mark) {
		if r.Method == http.MethodPost && r.Path == "/api/items" {
			creates++
		}
	}
	t.Logf("lost answer: %d item POSTs for %d created items; save attempts %d", creates, len(created), len(e.steps(run["id"].(string))["save"]))
	if creates != len(created) {
		t.Errorf("%d item POSTs for %d created items", creates, len(created))
	}
}

func strs(v any) []string {
	out := []string{}
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}
