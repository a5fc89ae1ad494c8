package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/bridgework/bridgework/engine"
)

// heartlandOrder is a Heartland Retail sales order with five lines.
func heartlandOrder(tb testing.TB) any {
	tb.Helper()
	lines := ""
	for i := range 5 {
		if i > 0 {
			lines += ","
		}
		lines += fmt.Sprintf(`{"id":%d,"item_id":%d,"item_public_id":"SKU-%04d","description":"Item %d","qty":%d,"unit_price":%d.95,"discount":0,"tax":1.2,"status":"open"}`, 9000+i, 100+i, i, i, i+1, 10+i)
	}
	doc := `{"id":100812,"public_id":"10234","status":"closed","balance":0,"total":123.45,"channel":"web",
	  "customer_id":55,"customer":{"id":55,"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com","custom":{"epicor_cust_num":12}},
	  "source_location_id":100006,"station_id":3,"created_at":"2026-03-01T12:00:00Z",
	  "shipping_address":{"line_1":"1 Main St","city":"Springfield","state":"IL","postal_code":"62701","country":"US"},
	  "lines":[` + lines + `]}`
	v, err := engine.DecodeJSON([]byte(doc))
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// toEpicor reshapes a Heartland order into an Epicor SalesOrder with OrderDtl lines.
const toEpicor = `{
  Company: "EPIC06",
  CustNum: .customer.custom.epicor_cust_num,
  PONum: "HL-\(.public_id)",
  OrderDate: .created_at[0:10],
  ShipToNum: "",
  OTSName: "\(.customer.first_name) \(.customer.last_name)",
  OTSAddress1: .shipping_address.line_1,
  OTSCity: .shipping_address.city,
  OTSState: .shipping_address.state,
  OTSZIP: .shipping_address.postal_code,
  OrderDtl: [.lines[] | {PartNum: .item_public_id, LineDesc: .description, SellingQuantity: .qty, DocUnitPrice: .unit_price, DiscountPercent: .discount}]
}`

func benchInput(payload any) *engine.Input {
	return &engine.Input{
		Value: payload, Trigger: payload, Nodes: map[string]any{"trigger": payload},
		Run: map[string]any{"id": "run-1", "business_key": "10234"}, NodeID: "n", StepKey: "n", RunID: "run-1",
	}
}

func benchNode(b *testing.B, node string) engine.Node {
	b.Helper()
	plan := mustCompile(b, flowDoc([]string{trig, node}, []string{"t->n"}, ""), newRegistry(b, nil), engine.Env{})
	n, _, _ := plan.Node("n")
	return n
}

func BenchmarkMapStep(b *testing.B) {
	n := benchNode(b, `n:map:{"jq":`+quote(toEpicor)+`}`)
	in := benchInput(heartlandOrder(b))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := n.Run(ctx, in)
		if err != nil || out.Output == nil {
			b.Fatalf("Run: %v", err)
		}
	}
}

func BenchmarkConditionStep(b *testing.B) {
	n := benchNode(b, `n:condition:{"expression":"input.status == \"closed\" && input.total > 100 && input.customer.custom.epicor_cust_num != nil"}`)
	in := benchInput(heartlandOrder(b))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		out, err := n.Run(ctx, in)
		if err != nil || out.Port != engine.PortTrue {
			b.Fatalf("Run: %+v %v", out, err)
		}
	}
}

func BenchmarkFlow6Nodes(b *testing.B) {
	doc := flowDoc([]string{
		"trigger:trigger.webhook",
		`shape:map:{"jq":` + quote(toEpicor) + `}`,
		`paid:condition:{"expression":"trigger.status == \"closed\" && len(input.OrderDtl) > 0"}`,
		`totals:map:{"jq":"{lines: (.OrderDtl | length), amount: ([.OrderDtl[] | .SellingQuantity * .DocUnitPrice] | add)}"}`,
		`route:switch:{"expression":"trigger.channel","cases":["web","store"]}`,
		`web:map:{"jq":"{order: $nodes.shape.PONum, amount: .amount, channel: $trigger.channel}"}`,
	}, []string{"trigger->shape", "shape->paid", "paid.true->totals", "totals->route", "route.web->web"}, "")
	plan := mustCompile(b, doc, newRegistry(b, nil), engine.Env{})
	payload := heartlandOrder(b)
	clock := &fixedClock{t: epoch}
	var x engine.Executor
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		state := &engine.MemoryState{}
		res, err := x.Execute(ctx, plan, engine.RunInput{RunID: "run-1", Trigger: payload, State: state, Clock: clock})
		if err != nil || res.Status != engine.RunSucceeded {
			b.Fatalf("Execute: %+v %v", res, err)
		}
	}
}

func quote(s string) string {
	return fmt.Sprintf("%q", s)
}
