package builtin

import (
	"testing"

	"github.com/bridgework/bridgework/connectors"
)

func heartlandConn(base string) connectors.Connection {
	return connectors.Connection{ID: "hl-test", Type: "heartland",
		Config: map[string]any{"base_url": base + "/api"}, Secrets: map[string]string{"api_token": "tok"}}
}

func TestHeartlandOperationRequests(t *testing.T) {
	t.Parallel()
	one := reply{status: 200, body: `{"total":1,"pages":1,"results":[{"id":1}]}`}
	empty := reply{status: 200, body: `{"total":0,"pages":0,"results":[]}`}
	createdAt := func(loc string) reply { return reply{status: 201, header: map[string]string{"Location": loc}} }
	runOpCases(t, heartlandConn, map[string]string{"Authorization": "Bearer tok"}, []opCase{
		{op: "get_sales_order", input: `{"id":100812,"include":["lines","payments"]}`,
			replies: map[string]reply{"GET /api/sales/orders/100812": {status: 200, body: `{"id":100812,"status":"pending"}`}},
			want:    []want{{method: "GET", path: "/api/sales/orders/100812", query: map[string]string{"_include[]": "lines|payments"}}},
			out:     `{"id":100812,"status":"pending"}`},
		{op: "list_sales_orders", input: `{"filter":{"status":"open"},"per_page":2,"sort":["created_at,desc"]}`,
			replies: map[string]reply{"GET /api/sales/orders": one},
			want: []want{{method: "GET", path: "/api/sales/orders",
				query: map[string]string{"_filter": `{"status":"open"}`, "per_page": "2", "page": "1", "sort[]": "created_at,desc"}}},
			out: `[{"id":1}]`},
		{op: "update_sales_order", input: `{"id":5,"status":"open","custom":{"erp_order":"5012"}}`,
			want: []want{{method: "PUT", path: "/api/sales/orders/5", body: `{"status":"open","custom@erp_order":"5012"}`}}},
		{op: "get_sales_ticket", input: `{"id":7}`,
			want: []want{{method: "GET", path: "/api/sales/tickets/7"}}},
		{op: "list_sales_tickets", input: `{"filter":{"local_completed_at":{"$gte":"2025-03-01"}}}`,
			replies: map[string]reply{"GET /api/sales/tickets": one},
			want: []want{{method: "GET", path: "/api/sales/tickets",
				query: map[string]string{"_filter": `{"local_completed_at":{"$gte":"2025-03-01"}}`, "per_page": "100"}}}},
		{op: "get_item", input: `{"id":9}`, want: []want{{method: "GET", path: "/api/items/9"}}},
		{op: "list_items", input: `{"query":"blue mug"}`, replies: map[string]reply{"GET /api/items": one},
			want: []want{{method: "GET", path: "/api/items", query: map[string]string{"query": "blue mug"}}}},
		{op: "find_item", input: `{"public_id":"31119-1"}`, replies: map[string]reply{"GET /api/items": empty},
			want: []want{{method: "GET", path: "/api/items", query: map[string]string{"_filter": `{"public_id":"31119-1"}`, "per_page": "1"}}},
			out:  `{"found":false,"record":null}`},
		{op: "create_item", input: `{"public_id":"SKU-1","description":"Blue mug","cost":4.5,"price":12,"fields":{"custom@upc":"0123"}}`,
			replies: map[string]reply{"POST /api/items": createdAt("https://acme.retail.heartland.us/api/items/100900")},
			want:    []want{{method: "POST", path: "/api/items", body: `{"public_id":"SKU-1","description":"Blue mug","cost":4.5,"price":12,"custom@upc":"0123"}`}},
			out:     `{"id":100900,"location":"https://acme.retail.heartland.us/api/items/100900"}`},
		{op: "update_item", input: `{"id":9,"fields":{"price":13}}`, want: []want{{method: "PUT", path: "/api/items/9", body: `{"price":13}`}}},
		{op: "upsert_items_batch", input: `{"items":[{"public_id":"SKU-1","description":"Blue mug","cost":4.5,"price":12,"fields":{"custom@upc":"0123"}},{"id":9,"public_id":"SKU-2","fields":{"price":13}}],"concurrency":1}`,
			replies: map[string]reply{"GET /api/items": empty, "POST /api/items": createdAt("https://acme.retail.heartland.us/api/items/100900")},
			want: []want{
				{method: "GET", path: "/api/items", query: map[string]string{"_filter": `{"public_id":{"$in":["SKU-1"]}}`,
					"sort[]": "id", "_only[]": "id|public_id", "per_page": "100", "page": "1"}},
				{method: "POST", path: "/api/items", body: `{"public_id":"SKU-1","description":"Blue mug","cost":4.5,"price":12,"custom@upc":"0123"}`},
				{method: "PUT", path: "/api/items/9", body: `{"price":13}`},
			},
			out: `{"calls":3,"created":[{"index":0,"id":100900,"public_id":"SKU-1"}],"updated":[{"index":1,"id":9,"public_id":"SKU-2"}],"failed":[]}`},
		{op: "get_inventory_values", input: `{"item_ids":[1,2],"location_ids":[5]}`, replies: map[string]reply{"GET /api/inventory/values": one},
			want: []want{{method: "GET", path: "/api/inventory/values", query: map[string]string{
				"group[]": "item_id|location_id", "_filter": `{"$and":[{"item_id":{"$in":[1,2]}},{"location_id":5}]}`}}}},
		{op: "create_inventory_adjustment", input: `{"location_id":5,"adjustment_reason_id":3,"lines":[{"item_id":1,"qty":2},{"item_id":2,"qty":-1,"unit_cost":3.5}]}`,
			replies: map[string]reply{
				"POST /api/inventory/adjustment_sets":           createdAt("/api/inventory/adjustment_sets/700"),
				"POST /api/inventory/adjustment_sets/700/lines": createdAt("/api/inventory/adjustment_sets/700/lines/1"),
			},
			want: []want{
				{method: "POST", path: "/api/inventory/adjustment_sets", body: `{"location_id":5,"adjustment_reason_id":3}`},
				{method: "POST", path: "/api/inventory/adjustment_sets/700/lines", body: `{"item_id":1,"qty":2}`},
				{method: "POST", path: "/api/inventory/adjustment_sets/700/lines", body: `{"item_id":2,"qty":-1,"unit_cost":3.5}`},
				{method: "PUT", path: "/api/inventory/adjustment_sets/700", body: `{"status":"complete"}`},
			},
			out: `{"id":700,"location":"/api/inventory/adjustment_sets/700"}`},
		{op: "adjust_stock_batch", input: `{"changes":[{"location_id":5,"item_id":1,"qty":2},{"location_id":6,"item_id":2,"qty":-1},{"location_id":5,"item_id":3,"qty":4}],"batch_size":10}`,
			replies: map[string]reply{"POST /api/inventory/adjustment_sets": createdAt("/api/inventory/adjustment_sets/700")},
			want: []want{
				{method: "POST", path: "/api/inventory/adjustment_sets", body: `{"lines":[{"item_id":1,"qty":2},{"item_id":3,"qty":4}],"location_id":5,"status":"complete"}`},
				{method: "POST", path: "/api/inventory/adjustment_sets", body: `{"lines":[{"item_id":2,"qty":-1}],"location_id":6,"status":"complete"}`},
			},
			out: `{"calls":2,"applied":3,"set_ids":[700,700],"failed":[]}`},
		{op: "search_customers", input: `{"email":"Jo@Example.com"}`, replies: map[string]reply{"GET /api/customers": empty},
			want: []want{
				{method: "GET", path: "/api/customers", query: map[string]string{"_filter": `{"email":"Jo@Example.com"}`}},
				{method: "GET", path: "/api/customers", query: map[string]string{"_filter": `{"email":"jo@example.com"}`}},
			},
			out: `[]`},
		{op: "find_customer", input: `{"email":"jo@example.com"}`, replies: map[string]reply{"GET /api/customers": one},
			want: []want{{method: "GET", path: "/api/customers", query: map[string]string{"_filter": `{"email":"jo@example.com"}`}}},
			out:  `{"found":true,"record":{"id":1}}`},
		{op: "list_customer_addresses", input: `{"id":3}`, replies: map[string]reply{"GET /api/customers/3/addresses": empty},
			want: []want{{method: "GET", path: "/api/customers/3/addresses"}}, out: `[]`},
		{op: "get_customer", input: `{"id":3}`, want: []want{{method: "GET", path: "/api/customers/3"}}},
		{op: "create_customer", input: `{"first_name":"Jo","last_name":"O'Brien","email":"jo@example.com","fields":{"phone_number":"555"}}`,
			replies: map[string]reply{"POST /api/customers": createdAt("https://acme.retail.heartland.us/api/customers/100210")},
			want:    []want{{method: "POST", path: "/api/customers", body: `{"first_name":"Jo","last_name":"O'Brien","email":"jo@example.com","phone_number":"555"}`}},
			out:     `{"id":100210,"location":"https://acme.retail.heartland.us/api/customers/100210"}`},
		{op: "update_customer", input: `{"id":3,"fields":{"email":"new@example.com"}}`,
			want: []want{{method: "PUT", path: "/api/customers/3", body: `{"email":"new@example.com"}`}}},
		{op: "list_payments", input: `{"filter":{"status":"complete"}}`, replies: map[string]reply{"GET /api/payments": one},
			want: []want{{method: "GET", path: "/api/payments", query: map[string]string{"_filter": `{"status":"complete"}`}}}},
		{op: "list_payment_types", input: `{}`, replies: map[string]reply{"GET /api/payment_types": one},
			want: []want{{method: "GET", path: "/api/payment_types"}}, out: `[{"id":1}]`},
		{op: "list_locations", input: `{}`, replies: map[string]reply{"GET /api/locations": one},
			want: []want{{method: "GET", path: "/api/locations", query: map[string]string{"_include[]": "stations"}}}},
		{op: "register_webhook", input: `{"url":"https://hooks.example.com/hr?secret=s1","events":["sales_transaction_completed"]}`,
			replies: map[string]reply{"POST /api/webhooks": {status: 201, body: `{"id":42,"url":"https://hooks.example.com/hr?secret=s1"}`}},
			want:    []want{{method: "POST", path: "/api/webhooks", body: `{"url":"https://hooks.example.com/hr?secret=s1","events":["sales_transaction_completed"]}`}},
			out:     `{"id":42}`},
		{op: "find_webhook", input: `{"url":"https://h/2"}`,
			replies: map[string]reply{"GET /api/webhooks": {status: 200, body: `{"total":2,"pages":1,"results":[{"id":1,"url":"https://h/1"},{"id":2,"url":"https://h/2"}]}`}},
			want:    []want{{method: "GET", path: "/api/webhooks"}}, out: `{"found":true,"record":{"id":2,"url":"https://h/2"}}`},
		{op: "list_webhooks", input: `{}`, replies: map[string]reply{"GET /api/webhooks": one},
			want: []want{{method: "GET", path: "/api/webhooks"}}},
		{op: "delete_webhook", input: `{"id":42}`, replies: map[string]reply{"DELETE /api/webhooks/42": {status: 204}},
			want: []want{{method: "DELETE", path: "/api/webhooks/42"}}, out: `{"deleted":42}`},
	})
}
