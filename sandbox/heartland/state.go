package heartland

import (
	"fmt"
	"time"

	"github.com/bridgework/bridgework/sandbox/seed"
)

// timeLayout is ISO-8601 with a numeric offset, as Heartland renders times.
const timeLayout = "2006-01-02T15:04:05-07:00"

// storeZone is the store-local zone used for local_completed_at.
var storeZone = time.FixedZone("store", -5*3600)

// seedTime is the created_at of every seeded record.
var seedTime = time.Date(2025, 1, 2, 15, 0, 0, 0, time.UTC)

// state is everything a Server stores; the Server's mutex guards it.
type state struct {
	now         func() time.Time
	uuids       int64
	locations   *table
	stations    *table
	items       *table
	customers   *table
	addresses   *table
	orders      *table
	orderLines  *table
	tickets     *table
	ticketLines *table
	payments    *table
	payTypes    *table
	reasons     *table
	adjSets     *table
	adjLines    *table
	webhooks    *table
	// purchasing
	vendors, purchaseOrders, purchaseLines, receipts, receiptLines *table
	values                                                         *table // field list of inventory value rows, for filters
	stockByKey                                                     map[[2]int64]*stock
}

// stock is the quantity of one item at one location.
type stock struct {
	onHand, committed float64
}

var stamp = []string{"id", "uuid", "created_at", "updated_at", "custom"}

func fields(extra ...string) []string { return append(extra, stamp...) }

func newState(d *seed.Dataset, now func() time.Time) *state {
	st := &state{
		now:       now,
		locations: newTable("locations", fields("public_id", "name", "active?")),
		stations:  newTable("stations", fields("location_id", "name", "active")).link("location_id"),
		items: newTable("items", fields("public_id", "description", "long_description", "cost", "price",
			"original_price", "active?", "primary_vendor_id", "primary_barcode", "default_lookup_id", "grid_id",
			"allow_fractional_qty?", "track_inventory?", "prompt_for_price?", "available_online?", "weight", "type")),
		customers: newTable("customers", fields("public_id", "first_name", "last_name", "name", "email",
			"phone_number", "active?", "promotional_emails?", "loyalty_points_balance", "address_id",
			"shipping_address_id", "billing_address_id", "deleted_at")),
		addresses: newTable("addresses", fields("customer_id", "first_name", "last_name", "line_1", "line_2",
			"city", "state", "postal_code", "country", "phone")).link("customer_id"),
		orders: newTable("sales/orders", fields("public_id", "status", "customer_id", "station_id",
			"source_location_id", "billing_address_id", "shipping_address_id", "shipping_charge", "subtotal",
			"total", "total_paid", "balance")),
		orderLines: newTable("sales/orders/lines", fields("order_id", "item_id", "description", "qty",
			"unit_price", "original_unit_price", "adjusted_unit_price", "value", "ship_from_location_id")).link("order_id"),
		tickets: newTable("sales/tickets", fields("public_id", "type", "status", "completed?", "voided?",
			"customer_id", "customer_name", "station_id", "source_location_id", "sales_rep",
			"parent_transaction_id", "total", "subtotal", "original_subtotal", "total_tax", "tax_total",
			"total_discounts", "total_paid", "balance", "completed_at", "local_completed_at"),
			"completed?", "voided?", "source_location_id"),
		ticketLines: newTable("sales/tickets/lines", fields("ticket_id", "type", "item_id", "description", "qty",
			"unit_price", "original_unit_price", "adjusted_unit_price", "unit_cost", "value")).link("ticket_id"),
		payments: newTable("payments", fields("type", "status", "amount", "payment_type_id", "order_id",
			"ticket_id", "deposit", "description", "location_id", "completed_at", "local_completed_at"),
			"location_id").link("order_id", "ticket_id"),
		payTypes:       newTable("payment_types", fields("name", "active?")),
		reasons:        newTable("reason_codes/inventory_adjustment_reasons", fields("name", "active?")),
		adjSets:        newTable("inventory/adjustment_sets", fields("location_id", "adjustment_reason_id", "status")),
		adjLines:       newTable("inventory/adjustment_sets/lines", fields("adjustment_set_id", "item_id", "qty", "unit_cost")).link("adjustment_set_id"),
		webhooks:       newTable("webhooks", fields("url", "events")),
		vendors:        newTable("purchasing/vendors", fields("public_id", "name", "active?")),
		purchaseOrders: newTable("purchasing/orders", fields("public_id", "vendor_id", "receive_at_location_id", "status", "total")),
		purchaseLines:  newTable("purchasing/orders/lines", fields("order_id", "item_id", "qty", "unit_cost")).link("order_id"),
		receipts:       newTable("purchasing/receipts", fields("order_id", "vendor_id", "location_id", "status", "accepted_at", "total")),
		receiptLines:   newTable("purchasing/receipts/lines", fields("receipt_id", "item_id", "qty", "unit_cost")).link("receipt_id"),
		values:         newTable("inventory/values", valueFields),
		stockByKey:     map[[2]int64]*stock{},
	}
	st.items.textFields = []string{"public_id", "description", "long_description", "primary_barcode", "custom@upc"}
	st.customers.textFields = []string{"public_id", "first_name", "last_name", "name", "email", "phone_number"}
	st.load(d)
	return st
}

func (st *state) load(d *seed.Dataset) {
	h := d.Heartland
	for _, l := range h.Locations {
		st.insert(st.locations, record{"id": l.ID, "public_id": l.PublicID, "name": l.Name, "active?": true,
			"custom": toRecord(l).get("custom")}, seedTime)
		for _, s := range l.Stations {
			st.insert(st.stations, record{"id": s.ID, "location_id": l.ID, "name": s.Name, "active": s.Active}, seedTime)
		}
	}
	for _, it := range h.Items {
		r := toRecord(it)
		r["original_price"] = r["price"]
		st.insert(st.items, itemDefaults(r), seedTime)
	}
	for _, c := range h.Customers {
		r := toRecord(c)
		addr := record(r["address"].(map[string]any))
		delete(r, "address")
		for _, k := range []string{"email", "phone_number", "public_id"} {
			if r[k] == "" {
				r[k] = nil
			}
		}
		st.insert(st.customers, customerDefaults(r), seedTime)
		addr["customer_id"], addr["first_name"], addr["last_name"], addr["phone"] = c.ID, c.FirstName, c.LastName, c.Phone
		a := st.insert(st.addresses, addr, seedTime)
		r["address_id"], r["billing_address_id"], r["shipping_address_id"] = a.id(), a.id(), a.id()
	}
	for _, s := range h.Inventory {
		st.stock(s.ItemID, s.LocationID).onHand = s.QtyOnHand
	}
	for _, p := range h.PaymentTypes {
		st.insert(st.payTypes, record{"id": p.ID, "name": p.Name, "active?": true}, seedTime)
	}
	for _, v := range d.Epicor.Vendors { // the same suppliers, Heartland id 100000 + VendorNum
		st.insert(st.vendors, record{"id": 100000 + v.VendorNum, "public_id": v.VendorID, "name": v.Name, "active?": true}, seedTime)
	}
	for _, p := range h.Reasons {
		st.insert(st.reasons, record{"id": p.ID, "name": p.Name, "active?": true}, seedTime)
	}
}

// insert stamps uuid and times on r and stores it in t.
func (st *state) insert(t *table, r record, at time.Time) record {
	st.uuids++
	ts := at.UTC().Format(timeLayout)
	r["uuid"] = fmt.Sprintf("00000000-0000-4000-8000-%012x", st.uuids)
	r["created_at"], r["updated_at"] = ts, ts
	if _, ok := r["custom"].(map[string]any); !ok {
		r["custom"] = map[string]any{}
	}
	return t.insert(r)
}

// touch sets updated_at to now.
func (st *state) touch(r record) { r["updated_at"] = st.now().UTC().Format(timeLayout) }

func (st *state) stock(itemID, locationID int64) *stock {
	k := [2]int64{itemID, locationID}
	s := st.stockByKey[k]
	if s == nil {
		s = &stock{}
		st.stockByKey[k] = s
	}
	return s
}

func itemDefaults(r record) record {
	defaults := record{"long_description": nil, "original_price": r["price"], "active?": true, "primary_vendor_id": nil,
		"primary_barcode": nil, "default_lookup_id": nil, "grid_id": nil, "allow_fractional_qty?": false,
		"track_inventory?": true, "prompt_for_price?": false, "available_online?": false, "weight": nil,
		"type": "Item", "price": 0.0, "public_id": nil}
	for k, v := range defaults {
		if _, ok := r[k]; !ok {
			r[k] = v
		}
	}
	return r
}

func customerDefaults(r record) record {
	defaults := record{"email": nil, "phone_number": nil, "active?": true, "promotional_emails?": false,
		"loyalty_points_balance": 0.0, "address_id": nil, "shipping_address_id": nil, "billing_address_id": nil,
		"deleted_at": nil, "public_id": nil}
	for k, v := range defaults {
		if _, ok := r[k]; !ok {
			r[k] = v
		}
	}
	r["name"] = fmt.Sprintf("%v %v", r["first_name"], r["last_name"])
	return r
}
