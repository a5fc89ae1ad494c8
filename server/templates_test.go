package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bridgework/bridgework/internal/demo"
	"github.com/bridgework/bridgework/internal/testdb"
	"github.com/bridgework/bridgework/sandbox"
	"github.com/bridgework/bridgework/sandbox/odata"
	"github.com/bridgework/bridgework/sandbox/seed"
	"github.com/bridgework/bridgework/store"
	"github.com/bridgework/bridgework/templates"
)

// templateEnv is a server with workers, a tenant and connections to running
// sandboxes.
type templateEnv struct {
	*harness
	t     *testing.T
	ten   tenantFixture
	sb    *sandbox.Running
	conns map[string]any // connection type → id
}

// connsFor maps a template's connection names to the ids of connections of
// the right type.
func (e *templateEnv) connsFor(slug string) map[string]any {
	out := map[string]any{}
	for _, c := range templates.Get(slug).Connections {
		out[c.Name] = e.conns[c.Type]
	}
	return out
}

func newTemplateEnv(t *testing.T, dialect string) *templateEnv {
	t.Helper()
	return newTemplateEnvData(t, dialect, nil)
}

// newTemplateEnvData is newTemplateEnv with sandboxes loaded with data
// (nil: the seed data).
func newTemplateEnvData(t *testing.T, dialect string, data *seed.Dataset) *templateEnv {
	t.Helper()
	h := newHarnessWith(t, dialect, 4)
	opts := sandbox.Options{HeartlandListen: "127.0.0.1:0", EpicorListen: "127.0.0.1:0", Seed: 1}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		opts.DataFile = filepath.Join(t.TempDir(), "data.json")
		if err := os.WriteFile(opts.DataFile, raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	sb, err := sandbox.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); sb.Close() })
	e := &templateEnv{harness: h, t: t, ten: h.tenant("retail"), sb: sb, conns: map[string]any{}}
	for _, c := range demo.SandboxConnections(sb) {
		res := h.do(http.MethodPost, "/api/v1/connections", e.ten.Token, map[string]any{"name": c.Name, "type": c.Type, "config": c.Config, "secrets": c.Secrets})
		if res.Status != http.StatusCreated {
			t.Fatalf("create connection %s: %d %s", c.Name, res.Status, res.Raw)
		}
		e.conns[c.Type] = res.Body["id"]
	}
	return e
}

// installedFlow is one flow of an install answer.
type installedFlow struct {
	ID, Name string
	Version  int
	Hooks    []struct{ ID, URL string }
}

func (e *templateEnv) install(slug string, params map[string]any) []installedFlow {
	e.t.Helper()
	res := e.do(http.MethodPost, "/api/v1/templates/"+slug+"/install", e.ten.Token, map[string]any{"connections": e.connsFor(slug), "params": params})
	if res.Status != http.StatusOK {
		e.t.Fatalf("install %s: %d %s", slug, res.Status, res.Raw)
	}
	var out struct{ Flows []installedFlow }
	if err := json.Unmarshal([]byte(res.Raw), &out); err != nil {
		e.t.Fatal(err)
	}
	return out.Flows
}

// deliver posts a payload to a hook URL (as returned by install, token in
// the query) and returns the started run's id.
func (e *templateEnv) deliver(hookURL string, payload any) string {
	e.t.Helper()
	u, err := url.Parse(hookURL)
	if err != nil {
		e.t.Fatal(err)
	}
	res := e.do(http.MethodPost, u.RequestURI(), "", payload)
	if res.Status != http.StatusAccepted {
		e.t.Fatalf("deliver to %s: %d %s", u.Path, res.Status, res.Raw)
	}
	return res.Body["run_id"].(string)
}

// run delivers a payload and waits for the run; it returns the run and its
// steps by key.
func (e *templateEnv) run(hookURL string, payload any) (map[string]any, map[string][]map[string]any) {
	e.t.Helper()
	res := e.waitRun(e.ten.Token, e.deliver(hookURL, payload))
	return res.Body["run"].(map[string]any), stepsByKey(res)
}

// sandboxCall sends a request to a sandbox and decodes the JSON answer.
func (e *templateEnv) sandboxCall(method, u string, body any) map[string]any {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer sandbox-token")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusCreated && len(raw) == 0 { // a create answers with its Location only
		loc := res.Header.Get("Location")
		id, err := strconv.Atoi(loc[strings.LastIndex(loc, "/")+1:])
		if err != nil {
			e.t.Fatalf("%s %s: Location %q has no id", method, u, loc)
		}
		return map[string]any{"id": float64(id)}
	}
	var out map[string]any
	if res.StatusCode >= 300 || json.Unmarshal(raw, &out) != nil {
		e.t.Fatalf("%s %s: %d %s", method, u, res.StatusCode, raw)
	}
	return out
}

// heartlandOrder creates an order in the Heartland sandbox (no webhook is
// registered, so nothing is delivered) and returns it.
func (e *templateEnv) heartlandOrder(customerID int, lines ...map[string]any) map[string]any {
	e.t.Helper()
	ls := make([]any, len(lines))
	for i, l := range lines {
		ls[i] = l
	}
	return e.sandboxCall(http.MethodPost, e.sb.HeartlandURL+"/_sandbox/events/sales_order", map[string]any{
		"customer_id": customerID, "station_id": 100011, "source_location_id": 100001, "lines": ls})
}

func line(item string, qty float64) map[string]any {
	return map[string]any{"item_lookup": item, "qty": qty}
}

func ordersWithPO(sb *sandbox.Running, po string) []odata.Row {
	return sb.Epicor.Rows("SalesOrders", map[string]any{"PONum": po})
}

func wantRun(t *testing.T, run map[string]any, status string) {
	t.Helper()
	if run["status"] != status {
		t.Fatalf("run %v is %v (error %v), want %s", run["id"], run["status"], run["error"], status)
	}
}

// The order template through the real path (webhook → River → engine →
// connectors → sandboxes): lines are aggregated, a near-duplicate customer
// is reused, re-deliveries create one sales order, the Epicor order number
// goes back to Heartland, and a missing part fails the run naming the part
// until the part exists.
func TestOrderTemplate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		e := newTemplateEnv(t, dialect)
		flows := e.install("heartland-order-to-epicor-sales-order", map[string]any{"match_threshold": 0.9})
		if len(flows) != 1 || len(flows[0].Hooks) != 1 || !strings.Contains(flows[0].Hooks[0].URL, "?token=") {
			t.Fatalf("install answer %+v: want one flow with one token hook URL", flows)
		}
		hook := flows[0].Hooks[0].URL
		customersBefore := len(e.sb.Epicor.Rows("Customers", nil))

		// The template's sample: "jane Roe" (100122) has no email; she is the
		// Epicor customer ROEJ by name and address, and her SKU-1001 lines merge.
		const slug = "heartland-order-to-epicor-sales-order"
		order := e.sandboxCall(http.MethodPost, e.sb.HeartlandURL+"/_sandbox/events/sales_order", templateFile(t, slug, "samples", "sandbox-order.json"))
		run, steps := e.run(hook, order)
		wantRun(t, run, "succeeded")
		expected := templateFile(t, slug, "expected", "near-duplicate-order.json")
		wantSubset(t, "summary", steps["summary"][0]["output"], expected["summary"])
		if run["business_key"] != order["public_id"] {
			t.Errorf("business key %v, want the Heartland order number %v", run["business_key"], order["public_id"])
		}
		po := "HL-" + order["public_id"].(string)
		so := ordersWithPO(e.sb, po)
		if len(so) != 1 {
			t.Fatalf("%d sales orders with PONum %s, want 1", len(so), po)
		}
		if so[0]["CustomerCustID"] != "ROEJ" || so[0]["OrderStatus"] != "OPEN" {
			t.Errorf("sales order customer %v status %v, want the near-duplicate ROEJ and OPEN", so[0]["CustomerCustID"], so[0]["OrderStatus"])
		}
		if n := len(e.sb.Epicor.Rows("Customers", nil)); n != customersBefore {
			t.Errorf("%d Epicor customers after the order, want %d (no duplicate)", n, customersBefore)
		}
		match := steps["match"][0]["output"].(map[string]any)
		if match["how"] != "fuzzy" || match["score"].(float64) < 0.9 {
			t.Errorf("customer match %v, want a fuzzy match above 0.9", match)
		}
		dtl := e.sb.Epicor.Rows("OrderDtls", map[string]any{"OrderNum": so[0]["OrderNum"]})
		qty := map[string]float64{}
		for _, d := range dtl {
			qty[d["PartNum"].(string)] += d["SellingQuantity"].(float64)
		}
		wantLines := expected["lines"].([]any)
		for _, l := range wantLines {
			m := l.(map[string]any)
			if qty[m["PartNum"].(string)] != m["SellingQuantity"] {
				t.Errorf("order lines %v, want %v", qty, wantLines)
			}
		}
		if len(dtl) != len(wantLines) {
			t.Errorf("%d order lines, want %d", len(dtl), len(wantLines))
		}
		hl := e.sandboxCall(http.MethodGet, fmt.Sprintf("%s/api/sales/orders/%v", e.sb.HeartlandURL, order["id"]), nil)
		custom, _ := hl["custom"].(map[string]any)
		if custom["epicor_order_num"] != fmt.Sprint(so[0]["OrderNum"]) || hl["status"] != "open" {
			t.Errorf("Heartland order custom %v status %v, want epicor_order_num %v and open", custom, hl["status"], so[0]["OrderNum"])
		}

		// The same order delivered again (twice, as re-sent events) and as an
		// exact duplicate: still one sales order.
		for i := range 2 {
			again := copyMap(order)
			again["updated_at"] = fmt.Sprintf("2030-01-0%dT00:00:00+00:00", i+1)
			run, steps := e.run(hook, again)
			wantRun(t, run, "succeeded")
			if out := steps["summary"][0]["output"].(map[string]any); out["created"] != false {
				t.Errorf("re-delivery %d: summary %v, want created false", i+1, out)
			}
		}
		if dup := e.do(http.MethodPost, mustURI(t, hook), "", order); dup.Body["duplicate"] != true {
			t.Errorf("an identical delivery: %s, want a duplicate", dup.Raw)
		}
		if n := len(ordersWithPO(e.sb, po)); n != 1 {
			t.Fatalf("%d sales orders after three deliveries, want 1", n)
		}

		// Email match: Jane.Roe@Example.COM is jane.roe@example.com in Epicor.
		byEmail := e.heartlandOrder(100101, line("SKU-1003", 1))
		run, steps = e.run(hook, byEmail)
		wantRun(t, run, "succeeded")
		if m := steps["match"][0]["output"].(map[string]any); m["how"] != "email" || m["CustID"] != "ROEJ" {
			t.Errorf("match %v, want ROEJ by email", m)
		}

		// HL-9001 is a Heartland-only item: no Epicor part.
		missing := e.heartlandOrder(100103, line("SKU-1001", 1), line("HL-9001", 2))
		run, _ = e.run(hook, missing)
		wantRun(t, run, "failed")
		if msg, _ := run["error"].(string); !strings.Contains(msg, "HL-9001") || strings.Contains(msg, "SKU-1001") {
			t.Fatalf("failed run error %q, want it to name HL-9001 only", msg)
		}
		missingPO := "HL-" + missing["public_id"].(string)
		if n := len(ordersWithPO(e.sb, missingPO)); n != 0 {
			t.Fatalf("%d sales orders for an order with a missing part, want 0", n)
		}
		if err := e.sb.Epicor.AddPart("HL-9001", "Gift wrap", nil); err != nil {
			t.Fatal(err)
		}
		// Support staff replay the dead letter (from the trigger: the part
		// check must run again).
		dead := e.do(http.MethodGet, "/api/v1/dead-letters?reason=HL-9001", e.ten.Token, nil)
		if dead.Body["total"].(float64) != 1 {
			t.Fatalf("the failed order is not a dead letter: %s", dead.Raw)
		}
		replay := e.do(http.MethodPost, "/api/v1/runs/"+run["id"].(string)+"/replay", e.ten.Token, map[string]any{"from": "trigger"})
		if replay.Status != http.StatusAccepted {
			t.Fatalf("replay: %d %s", replay.Status, replay.Raw)
		}
		replayed := e.waitRun(e.ten.Token, replay.Body["run_id"].(string))
		wantRun(t, replayed.Body["run"].(map[string]any), "succeeded")
		if n := len(ordersWithPO(e.sb, missingPO)); n != 1 {
			t.Fatalf("%d sales orders after the part was created, want 1", n)
		}

		// An Epicor order header left without lines (as by an earlier failure)
		// is found by its PONum and gets the lines.
		partial := e.heartlandOrder(100104, line("SKU-1005", 4))
		partialPO := "HL-" + partial["public_id"].(string)
		e.epicorCall(http.MethodPost, "/Erp.BO.SalesOrderSvc/SalesOrders", map[string]any{"CustNum": 4, "PONum": partialPO})
		run, _ = e.run(hook, partial)
		wantRun(t, run, "succeeded")
		so = ordersWithPO(e.sb, partialPO)
		if len(so) != 1 {
			t.Fatalf("%d sales orders with PONum %s, want the one header", len(so), partialPO)
		}
		if dtl := e.sb.Epicor.Rows("OrderDtls", map[string]any{"OrderNum": so[0]["OrderNum"]}); len(dtl) != 1 || dtl[0]["SellingQuantity"] != 4.0 {
			t.Fatalf("lines of the header-only order: %v, want SKU-1005 ×4", dtl)
		}
	})
}

// epicorCall sends a request to the Epicor sandbox's OData API and fails on
// an error answer.
func (e *templateEnv) epicorCall(method, path string, body any) {
	e.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, e.sb.EpicorODataURL+path, bytes.NewReader(b))
	req.SetBasicAuth("manager", "manager")
	req.Header.Set("X-API-Key", "sandbox-api-key")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode >= 300 {
		raw, _ := io.ReadAll(res.Body)
		e.t.Fatalf("epicor %s %s: %d %s", method, path, res.StatusCode, raw)
	}
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustURI(t testing.TB, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

// reachable rewrites a hook URL to reach the app served at base (the
// harness's public URL is not served).
func (e *templateEnv) reachable(base, hookURL string) string {
	return strings.Replace(hookURL, "http://bridgework.test", base, 1)
}

// waitFlowRuns polls the runs of a flow until n have settled and returns them
// newest first.
func (e *templateEnv) waitFlowRuns(flowID string, n int) []map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res := e.do(http.MethodGet, "/api/v1/runs?flow_id="+flowID, e.ten.Token, nil)
		runs, _ := res.Body["runs"].([]any)
		settled := []map[string]any{}
		for _, r := range runs {
			run := r.(map[string]any)
			switch run["status"] {
			case "succeeded", "failed", "cancelled":
				settled = append(settled, run)
			}
		}
		if len(settled) >= n {
			return settled
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("flow %s: %d of %d runs settled within 30s: %s", flowID, len(settled), n, res.Raw)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// steps returns a run's steps by key.
func (e *templateEnv) steps(runID string) map[string][]map[string]any {
	e.t.Helper()
	return stepsByKey(e.do(http.MethodGet, "/api/v1/runs/"+runID, e.ten.Token, nil))
}

// makeDue makes a published scheduled flow due now, so the next scheduler
// tick starts it.
func (e *templateEnv) makeDue(flowID string, version int) {
	e.t.Helper()
	ts := e.store.Tenant(e.ten.ID)
	if err := ts.PublishFlow(context.Background(), flowID, version, store.Triggers{Schedule: &store.Schedule{NodeID: "every", NextRunAt: time.Now().Add(-time.Second).UTC()}}); err != nil {
		e.t.Fatal(err)
	}
}

// The inventory template: an Epicor on-hand notification, delivered by the
// sandbox to the hook, sets Heartland on hand to Epicor's available quantity
// by a delta; the same quantity again adjusts nothing; the scheduled flow
// brings every drifted item in line.
func TestInventoryTemplate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		e := newTemplateEnv(t, dialect)
		base := e.serve()
		flows := e.install("epicor-inventory-to-heartland", nil)
		event, scheduled := flows[0], flows[1]
		e.sb.Epicor.SetNotifyURLs([]string{e.reachable(base, event.Hooks[0].URL)})

		const item, dtwn, mall = 100501, 100001, 100002 // SKU-1001
		mallBefore := e.sb.Heartland.OnHand(item, mall)
		if err := e.sb.Epicor.SetOnHand("SKU-1001", "DTWN", 42); err != nil {
			t.Fatal(err)
		}
		runs := e.waitFlowRuns(event.ID, 1)
		wantRun(t, runs[0], "succeeded")
		if got := e.sb.Heartland.OnHand(item, dtwn); got != 42 {
			t.Fatalf("Heartland on hand of SKU-1001 at Downtown = %v, want 42", got)
		}
		if got := e.sb.Heartland.OnHand(item, mall); got != e.sb.Epicor.OnHand("SKU-1001", "MALL") {
			t.Errorf("Riverside Mall on hand %v, want Epicor's %v (was %v)", got, e.sb.Epicor.OnHand("SKU-1001", "MALL"), mallBefore)
		}
		// The same quantity again: a run that adjusts nothing.
		if err := e.sb.Epicor.SetOnHand("SKU-1001", "DTWN", 42); err != nil {
			t.Fatal(err)
		}
		runs = e.waitFlowRuns(event.ID, 2)
		wantRun(t, runs[0], "succeeded")
		if out := e.steps(runs[0]["id"].(string))["summary"][0]["output"].(map[string]any); len(out["adjusted"].([]any)) != 0 {
			t.Fatalf("second run adjusted %v, want nothing", out["adjusted"])
		}
		if got := e.sb.Heartland.OnHand(item, dtwn); got != 42 {
			t.Fatalf("on hand after the second run %v, want still 42", got)
		}

		// SKU-1004 drifts in the seed: the scheduled flow corrects it.
		const sku1004 = 100504
		if e.sb.Heartland.OnHand(sku1004, dtwn) == e.sb.Epicor.OnHand("SKU-1004", "DTWN") &&
			e.sb.Heartland.OnHand(sku1004, mall) == e.sb.Epicor.OnHand("SKU-1004", "MALL") &&
			e.sb.Heartland.OnHand(sku1004, 100003) == e.sb.Epicor.OnHand("SKU-1004", "OUTL") {
			t.Fatal("the seed no longer has drift on SKU-1004; pick another item")
		}
		e.makeDue(scheduled.ID, scheduled.Version)
		runs = e.waitFlowRuns(scheduled.ID, 1)
		wantRun(t, runs[0], "succeeded")
		for loc, whse := range map[int64]string{dtwn: "DTWN", mall: "MALL", 100003: "OUTL"} {
			if h, ep := e.sb.Heartland.OnHand(sku1004, loc), e.sb.Epicor.OnHand("SKU-1004", whse); h != ep {
				t.Errorf("SKU-1004 at %s: Heartland %v, Epicor %v after the scheduled sync", whse, h, ep)
			}
		}
	})
}

// heartlandPayment creates a completed POS ticket paid with one payment of a
// type and returns that payment.
func (e *templateEnv) heartlandPayment(paymentTypeID int, amount float64) map[string]any {
	e.t.Helper()
	ticket := e.sandboxCall(http.MethodPost, e.sb.HeartlandURL+"/_sandbox/events/sales_ticket", map[string]any{
		"customer_id": 100101, "station_id": 100011, "source_location_id": 100001,
		"item_lines": []any{map[string]any{"item_id": 100501, "qty": 1}},
		"payments":   []any{map[string]any{"payment_type_id": paymentTypeID, "amount": amount}}})
	filter := url.QueryEscape(fmt.Sprintf(`{"ticket_id":%v}`, ticket["id"]))
	list := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/payments?_filter="+filter, nil)
	results := list["results"].([]any)
	if len(results) != 1 {
		e.t.Fatalf("ticket %v has %d payments, want 1", ticket["id"], len(results))
	}
	return results[0].(map[string]any)
}

// The payments template: payments become cash receipts in the mapped
// account once, an unmapped method fails naming it, and the reconciliation
// lists a planted difference.
func TestPaymentsTemplate(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dialect string) {
		e := newTemplateEnv(t, dialect)
		flows := e.install("heartland-payments-to-epicor-cash-receipts", map[string]any{"days_back": 0})
		hook, recon := flows[0].Hooks[0].URL, flows[1]

		visa := e.heartlandPayment(100201, 10)
		for i := range 2 { // the second delivery finds the receipt
			again := copyMap(visa)
			again["updated_at"] = fmt.Sprintf("2030-01-0%dT00:00:00+00:00", i+1)
			run, _ := e.run(hook, again)
			wantRun(t, run, "succeeded")
		}
		ref := fmt.Sprintf("HL-PAY-%v", visa["id"])
		receipts := e.sb.Epicor.Rows("CashRecs", map[string]any{"CheckRef": ref})
		if len(receipts) != 1 {
			t.Fatalf("%d cash receipts with CheckRef %s, want 1", len(receipts), ref)
		}
		if r := receipts[0]; r["BankAcctID"] != "CARD" || r["PMUID"] != int64(1) || r["TranAmt"] != 10.0 || r["GroupID"] != "POS" {
			t.Errorf("receipt %v, want 10.00 in CARD with PMUID 1 in group POS", r)
		}

		// A payment type the map does not know.
		diners := e.sandboxCall(http.MethodPost, e.sb.HeartlandURL+"/api/payment_types", map[string]any{"name": "Diners Club"})
		before := len(e.sb.Epicor.Rows("CashRecs", nil))
		run, _ := e.run(hook, e.heartlandPayment(int(diners["id"].(float64)), 20))
		wantRun(t, run, "failed")
		if msg, _ := run["error"].(string); !strings.Contains(msg, `"Diners Club"`) {
			t.Fatalf("error %q, want it to name the payment method", msg)
		}
		if n := len(e.sb.Epicor.Rows("CashRecs", nil)); n != before {
			t.Fatalf("%d cash receipts after an unmapped payment, want %d", n, before)
		}

		// Planted difference: a cash payment never delivered to the flow.
		cash := e.heartlandPayment(100204, 5)
		e.makeDue(recon.ID, recon.Version)
		runs := e.waitFlowRuns(recon.ID, 1)
		wantRun(t, runs[0], "succeeded")
		out := e.steps(runs[0]["id"].(string))["compare"][0]["output"].(map[string]any)
		if out["balanced"] != false {
			t.Fatalf("reconciliation %v, want unbalanced", out)
		}
		want := templateFile(t, "heartland-payments-to-epicor-cash-receipts", "expected", "reconciliation-planted.json")["differences"].([]any)
		got := out["differences"].([]any)
		if len(got) != len(want) {
			t.Errorf("differences %v, want %v (Visa balanced)", got, want)
		}
		for i := range min(len(got), len(want)) {
			wantSubset(t, fmt.Sprintf("differences[%d]", i), got[i], want[i])
		}
		missing := out["missing_in_epicor"].([]any)
		found := false
		for _, m := range missing {
			found = found || m.(map[string]any)["ref"] == fmt.Sprintf("HL-PAY-%v", cash["id"])
		}
		if !found {
			t.Errorf("missing_in_epicor %v does not list the cash payment %v", missing, cash["id"])
		}
	})
}

// The gallery API: list, details with the parameter schema, install
// validation (nothing saved on bad input), upgrade on reinstall and webhook
// registration with Heartland.
func TestTemplateAPI(t *testing.T) {
	t.Parallel()
	e := newTemplateEnv(t, "sqlite")
	const slug = "heartland-order-to-epicor-sales-order"
	tok := e.ten.Token
	conns := e.connsFor(slug)

	list := e.do(http.MethodGet, "/api/v1/templates", tok, nil)
	if list.Status != http.StatusOK || !strings.Contains(list.Raw, `"slug":"`+slug+`"`) {
		t.Fatalf("list: %d %s", list.Status, list.Raw)
	}
	one := e.do(http.MethodGet, "/api/v1/templates/"+slug, tok, nil)
	schema, _ := one.Body["params_schema"].(map[string]any)
	props, _ := schema["properties"].(map[string]any)
	if threshold, _ := props["match_threshold"].(map[string]any); threshold["type"] != "number" || threshold["maximum"] != 1.0 {
		t.Fatalf("details: params_schema.match_threshold = %v", props["match_threshold"])
	}
	if res := e.do(http.MethodGet, "/api/v1/templates/nope", tok, nil); res.Status != http.StatusNotFound {
		t.Fatalf("unknown template: %d", res.Status)
	}

	bad := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"param type", map[string]any{"connections": conns, "params": map[string]any{"match_threshold": "high"}}, "params.match_threshold"},
		{"unknown param", map[string]any{"connections": conns, "params": map[string]any{"colour": "red"}}, "params.colour"},
		{"missing connection", map[string]any{"connections": map[string]any{"heartland": conns["heartland"]}}, "connections.epicor"},
		{"wrong connection type", map[string]any{"connections": map[string]any{"heartland": conns["epicor"], "epicor": conns["epicor"]}}, "connections.heartland"},
		{"unknown connection", map[string]any{"connections": map[string]any{"heartland": conns["heartland"], "epicor": "nope"}}, "connections.epicor"},
	}
	for _, c := range bad {
		res := e.do(http.MethodPost, "/api/v1/templates/"+slug+"/install", tok, c.body)
		if res.Status != http.StatusBadRequest || !strings.Contains(res.Raw, `"field":"`+c.field+`"`) {
			t.Errorf("%s: %d %s, want 400 naming %s", c.name, res.Status, res.Raw, c.field)
		}
	}
	key := e.do(http.MethodPost, "/api/v1/api-keys", tok, map[string]string{"name": "read only", "role": "viewer"})
	viewerTok := e.do(http.MethodPost, "/api/v1/auth/token", "", map[string]any{"api_key": key.Body["key"]})
	viewer, _ := viewerTok.Body["access_token"].(string)
	if res := e.do(http.MethodPost, "/api/v1/templates/"+slug+"/install", viewer, map[string]any{"connections": conns}); res.Status != http.StatusForbidden {
		t.Errorf("a viewer installing: %d %s, want 403", res.Status, res.Raw)
	}
	if flows := e.do(http.MethodGet, "/api/v1/flows", tok, nil); len(flows.Body["flows"].([]any)) != 0 {
		t.Fatalf("rejected installs saved flows: %s", flows.Raw)
	}

	first := e.install(slug, nil)
	res := e.do(http.MethodPost, "/api/v1/templates/"+slug+"/install", tok, map[string]any{
		"connections": conns, "params": map[string]any{"match_threshold": 0.8}, "register_webhooks": true})
	if res.Status != http.StatusOK {
		t.Fatalf("reinstall: %d %s", res.Status, res.Raw)
	}
	var second struct{ Flows []installedFlow }
	json.Unmarshal([]byte(res.Raw), &second)
	if len(second.Flows) != 1 || second.Flows[0].ID != first[0].ID || second.Flows[0].Version != first[0].Version+1 ||
		second.Flows[0].Hooks[0].URL != first[0].Hooks[0].URL {
		t.Fatalf("reinstall gave %+v after %+v: want the same flow and hook at the next version", second.Flows, first)
	}
	if flows := e.do(http.MethodGet, "/api/v1/flows", tok, nil); len(flows.Body["flows"].([]any)) != 1 {
		t.Fatalf("reinstall duplicated the flow: %s", flows.Raw)
	}
	def := e.do(http.MethodGet, "/api/v1/flows/"+first[0].ID, tok, nil)
	if !strings.Contains(def.Raw, "0.8") {
		t.Errorf("the new version does not carry match_threshold 0.8")
	}
	// register_webhooks subscribed the hook URL once, even when repeated.
	e.do(http.MethodPost, "/api/v1/templates/"+slug+"/install", tok, map[string]any{"connections": conns, "register_webhooks": true})
	hooks := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/webhooks", nil)["results"].([]any)
	if len(hooks) != 1 || hooks[0].(map[string]any)["url"] != first[0].Hooks[0].URL {
		t.Fatalf("Heartland webhooks %v, want one for %s", hooks, first[0].Hooks[0].URL)
	}
	if events := hooks[0].(map[string]any)["events"].([]any); len(events) != 1 || events[0] != "sales_order_created" {
		t.Errorf("webhook events %v, want sales_order_created", events)
	}
}

// stepStatus is the status of a run step's last attempt ("" when absent).
func stepStatus(steps map[string][]map[string]any, key string) string {
	s := steps[key]
	if len(s) == 0 {
		return ""
	}
	status, _ := s[len(s)-1]["status"].(string)
	return status
}

// heartlandItem finds a Heartland sandbox item by Item #.
func (e *templateEnv) heartlandItem(publicID string) map[string]any {
	e.t.Helper()
	filter := url.QueryEscape(fmt.Sprintf(`{"public_id":%q}`, publicID))
	res := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/items?_filter="+filter, nil)["results"].([]any)
	if len(res) != 1 {
		e.t.Fatalf("%d Heartland items with Item # %s, want 1", len(res), publicID)
	}
	return res[0].(map[string]any)
}

// The catalog template creates the part Heartland lacks, once.
func TestPartsToItemsTemplate(t *testing.T) {
	t.Parallel()
	e := newTemplateEnv(t, "sqlite")
	flow := e.install("epicor-parts-to-heartland-items", nil)[0]
	e.makeDue(flow.ID, flow.Version)
	runs := e.waitFlowRuns(flow.ID, 1)
	wantRun(t, runs[0], "succeeded")
	item := e.heartlandItem("SKU-1059")
	if part := e.sb.Epicor.Rows("Parts", map[string]any{"PartNum": "SKU-1059"})[0]; item["description"] != part["PartDescription"] || item["price"] != part["UnitPrice"] {
		t.Errorf("item %v does not carry the part's description and price %v", item, part)
	}
	e.makeDue(flow.ID, flow.Version)
	runs = e.waitFlowRuns(flow.ID, 2)
	wantRun(t, runs[0], "succeeded")
	out := e.steps(runs[0]["id"].(string))["summary"][0]["output"].(map[string]any)
	if len(out["created"].([]any)) != 0 || len(out["updated"].([]any)) != 0 {
		t.Fatalf("second catalog run %v, want nothing created or updated", out)
	}
	e.heartlandItem("SKU-1059") // still exactly one
}

// The job template: completing the make-to-order job of a Heartland order
// marks the order and brings the part's Heartland stock in line.
func TestJobCompletedTemplate(t *testing.T) {
	t.Parallel()
	e := newTemplateEnv(t, "sqlite")
	base := e.serve()
	orderHook := e.install("heartland-order-to-epicor-sales-order", nil)[0].Hooks[0].URL
	job := e.install("epicor-job-completed-to-heartland", nil)[0]

	order := e.heartlandOrder(100101, line("SKU-1053", 2))
	run, _ := e.run(orderHook, order)
	wantRun(t, run, "succeeded")
	so := ordersWithPO(e.sb, "HL-"+order["public_id"].(string))[0]
	jobs := e.sb.Epicor.Rows("JobEntries", map[string]any{"OrderNum": so["OrderNum"]})
	if len(jobs) != 1 {
		t.Fatalf("%d jobs for make-to-order order %v, want 1", len(jobs), so["OrderNum"])
	}
	e.sb.Epicor.SetNotifyURLs([]string{e.reachable(base, job.Hooks[0].URL)})
	if _, err := e.sb.Epicor.CompleteJob(jobs[0]["JobNum"].(string)); err != nil {
		t.Fatal(err)
	}
	runs := e.waitFlowRuns(job.ID, 2) // job_completed and part_onhand_changed
	for _, r := range runs {
		wantRun(t, r, "succeeded")
	}
	hl := e.sandboxCall(http.MethodGet, fmt.Sprintf("%s/api/sales/orders/%v", e.sb.HeartlandURL, order["id"]), nil)
	if custom := hl["custom"].(map[string]any); custom["fulfillment_status"] != "ready" || custom["epicor_job"] != jobs[0]["JobNum"] {
		t.Errorf("Heartland order custom %v, want fulfillment_status ready and the job number", custom)
	}
	itemID := int64(e.heartlandItem("SKU-1053")["id"].(float64))
	for loc, whse := range map[int64]string{100001: "DTWN", 100002: "MALL", 100003: "OUTL"} {
		if h, ep := e.sb.Heartland.OnHand(itemID, loc), e.sb.Epicor.OnHand("SKU-1053", whse); h != ep {
			t.Errorf("SKU-1053 at %s: Heartland %v, Epicor %v", whse, h, ep)
		}
	}
}

// Customer sync: a Heartland-only customer is created in Epicor, an Epicor
// rename reaches Heartland, and neither write bounces back.
func TestCustomerSyncTemplate(t *testing.T) {
	t.Parallel()
	e := newTemplateEnv(t, "sqlite")
	base := e.serve()
	flows := e.install("customer-sync", nil)
	toEpicor, toHeartland := flows[0], flows[1]
	e.sb.Epicor.SetNotifyURLs([]string{e.reachable(base, toHeartland.Hooks[0].URL)})

	// Karen White (100121) exists only in Heartland.
	karen := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/customers/100121", nil)
	run, _ := e.run(toEpicor.Hooks[0].URL, karen)
	wantRun(t, run, "succeeded")
	created := e.sb.Epicor.Rows("Customers", map[string]any{"CustID": "HL100121"})
	if len(created) != 1 || created[0]["Name"] != "Karen White" || created[0]["EMailAddress"] != "karen.white@example.com" {
		t.Fatalf("Epicor customers HL100121: %v", created)
	}
	// Epicor notified customer_changed: the Heartland side finds nothing to change.
	runs := e.waitFlowRuns(toHeartland.ID, 1)
	wantRun(t, runs[0], "succeeded")
	if st := stepStatus(e.steps(runs[0]["id"].(string)), "update"); st != "skipped" && st != "" {
		t.Errorf("the echo of the Epicor create updated Heartland (update step %s)", st)
	}
	if after := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/customers/100121", nil); after["updated_at"] != karen["updated_at"] {
		t.Errorf("Heartland customer changed by an echo: %v → %v", karen["updated_at"], after["updated_at"])
	}

	// Rename Maria Garcia (Epicor 3) in Epicor: Heartland 100103 follows.
	e.epicorCall(http.MethodPatch, "/Erp.BO.CustomerSvc/Customers('EPIC06',3)", map[string]any{"Name": "Maria Garcia-Lopez"})
	runs = e.waitFlowRuns(toHeartland.ID, 2)
	wantRun(t, runs[0], "succeeded")
	maria := e.sandboxCall(http.MethodGet, e.sb.HeartlandURL+"/api/customers/100103", nil)
	if maria["last_name"] != "Garcia-Lopez" {
		t.Fatalf("Heartland customer 100103 %v %v, want last name Garcia-Lopez", maria["first_name"], maria["last_name"])
	}
	// Heartland's customer_updated echo reaches the Epicor side: nothing to write.
	rev := e.sb.Epicor.Rows("Customers", map[string]any{"CustNum": int64(3)})[0]["SysRevID"]
	run, steps := e.run(toEpicor.Hooks[0].URL, maria)
	wantRun(t, run, "succeeded")
	if st := stepStatus(steps, "update"); st != "skipped" && st != "" {
		t.Errorf("the echo of the Heartland update wrote to Epicor (update step %s, diff %v)", st, steps["diff"][0]["output"])
	}
	if now := e.sb.Epicor.Rows("Customers", map[string]any{"CustNum": int64(3)})[0]["SysRevID"]; now != rev {
		t.Errorf("Epicor customer 3 changed by an echo: SysRevID %v → %v", rev, now)
	}
}

// templateFile reads a template's sample or expected JSON object.
func templateFile(t testing.TB, slug, dir, name string) map[string]any {
	t.Helper()
	tpl := templates.Get(slug)
	read := tpl.Samples
	if dir == "expected" {
		read = tpl.Expected
	}
	files, err := read()
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(files[name], &out); err != nil {
		t.Fatalf("%s/%s/%s: %v", slug, dir, name, err)
	}
	return out
}

// wantSubset fails unless every field of want is in got with the same value
// (objects compared recursively, other values exactly).
func wantSubset(t testing.TB, what string, got, want any) {
	t.Helper()
	if !isSubset(got, want) {
		t.Errorf("%s = %v, want it to contain %v", what, got, want)
	}
}

func isSubset(got, want any) bool {
	w, ok := want.(map[string]any)
	if !ok {
		return fmt.Sprint(got) == fmt.Sprint(want)
	}
	g, ok := got.(map[string]any)
	if !ok {
		return false
	}
	for k, v := range w {
		if !isSubset(g[k], v) {
			return false
		}
	}
	return true
}

// The purchasing template: an accepted Heartland receipt becomes one Epicor
// AP invoice of the mapped vendor, and the next run finds it instead of
// creating another.
func TestReceiptsToAPInvoicesTemplate(t *testing.T) {
	t.Parallel()
	e := newTemplateEnv(t, "sqlite")
	flow := e.install("heartland-receipts-to-epicor-ap-invoices", nil)[0]
	po := e.sandboxCall(http.MethodPost, e.sb.HeartlandURL+"/api/purchasing/orders", map[string]any{
		"vendor_id": 100002, "receive_at_location_id": 100001,
		"lines": []any{map[string]any{"item_id": 100501, "qty": 10, "unit_cost": 2.5}}})
	rc := e.sandboxCall(http.MethodPost, e.sb.HeartlandURL+"/api/purchasing/receipts", map[string]any{"order_id": po["id"]})
	e.sandboxCall(http.MethodPut, fmt.Sprintf("%s/api/purchasing/receipts/%v", e.sb.HeartlandURL, rc["id"]), map[string]any{"status": "accepted"})

	invoiceNum := fmt.Sprintf("HLR-%v", rc["id"])
	for i := range 2 {
		e.makeDue(flow.ID, flow.Version)
		runs := e.waitFlowRuns(flow.ID, i+1)
		wantRun(t, runs[0], "succeeded")
		invoices := e.sb.Epicor.Rows("APInvoices", map[string]any{"InvoiceNum": invoiceNum})
		if len(invoices) != 1 {
			t.Fatalf("run %d: %d AP invoices %s, want 1", i+1, len(invoices), invoiceNum)
		}
		if inv := invoices[0]; inv["VendorNum"] != int64(2) || inv["InvoiceAmt"] != 25.0 || inv["GroupID"] != "HLAP" {
			t.Fatalf("AP invoice %v, want vendor 2 (ACMESUP) for 25.00 in group HLAP", inv)
		}
	}
}
