package bench

import (
	"encoding/json"
	"fmt"
	"time"
)

// reshape turns a Heartland-style order into an Epicor-style sales order.
const reshape = `{
  PONum: ("HL-" + .public_id),
  CustNum: (.customer.custom.epicor_cust_num // 1),
  OrderDate: .created_at,
  ShipToName: ((.customer.first_name // "") + " " + (.customer.last_name // "")),
  OrderDtl: [.lines[] | {PartNum: .item.public_id, LineDesc: .item.description, SellingQuantity: .qty, DocUnitPrice: .unit_price}],
  OrderTotal: ([.lines[] | .qty * .unit_price] | add),
  SentAt: .sent_at
}`

// simpleFlow is webhook → map → POST to the sink.
func simpleFlow(sinkURL string) map[string]any {
	return map[string]any{
		"nodes": []map[string]any{
			{"id": "order", "type": "trigger.webhook", "config": map[string]any{"auth": map[string]any{"mode": "none"}}},
			{"id": "reshape", "type": "map", "config": map[string]any{"jq": reshape}},
			{"id": "write", "type": "http", "config": map[string]any{"method": "POST", "url": sinkURL, "body": "."}},
		},
		"edges":    []map[string]any{{"from": "order", "to": "reshape"}, {"from": "reshape", "to": "write"}},
		"settings": map[string]any{"business_key": ".public_id"},
	}
}

// heartlandOrder is the webhook body of order i, stamped with the send time
// in seconds (a digit run of 13 or more would be masked as a card number).
func heartlandOrder(i int) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": 100000 + i, "public_id": fmt.Sprint(100000 + i), "status": "pending",
		"created_at": "2025-03-04T10:00:00+00:00", "sent_at": float64(time.Now().UnixMicro()) / 1e6,
		"customer": map[string]any{"id": 100122, "first_name": "Jane", "last_name": "Roe",
			"custom": map[string]any{"epicor_cust_num": 42}},
		"lines": []map[string]any{
			{"qty": 2, "unit_price": 19.99, "item": map[string]any{"public_id": "SKU-1001", "description": "Widget"}},
			{"qty": 1, "unit_price": 5.5, "item": map[string]any{"public_id": "SKU-1002", "description": "Gadget"}},
			{"qty": 3, "unit_price": 19.99, "item": map[string]any{"public_id": "SKU-1001", "description": "Widget"}},
		},
	})
	return b
}
