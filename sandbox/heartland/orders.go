package heartland

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

// Sales order statuses.
const (
	StatusPending  = "pending"
	StatusOpen     = "open"
	StatusClosed   = "closed"
	StatusCanceled = "canceled"
)

var (
	orderSpec = spec{"public_id": kString, "customer_id": kInt, "station_id": kInt, "source_location_id": kInt,
		"billing_address_id": kInt, "shipping_address_id": kInt, "shipping_charge": kNumber, "status": kString}
	orderLineSpec = spec{"item_id": kInt, "qty": kNumber, "adjusted_unit_price": kNumber, "unit_price": kNumber,
		"ship_from_location_id": kInt, "description": kString}
	paymentSpec = spec{"type": kString, "amount": kNumber, "payment_type_id": kInt, "deposit": kBool, "description": kString}
	// transitions lists the statuses each order status may move to.
	transitions = map[string][]string{
		StatusPending: {StatusOpen, StatusCanceled},
		StatusOpen:    {StatusClosed, StatusCanceled},
	}
)

func ordersOf(st *state) *table { return st.orders }

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	s.listOf(ordersOf, includeOrder)(w, r)
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	s.getOf(ordersOf, "Sales order", includeOrder)(w, r)
}

// includeSale adds lines, payments and customer to an order or ticket;
// key is the parent field of its lines and payments.
func includeSale(lines tableOf, key string) includer {
	return func(st *state, r record, names []string) record {
		for _, n := range names {
			switch n {
			case "lines":
				r["lines"] = lines(st).childrenOf(key, r["id"])
			case "payments":
				r["payments"] = st.payments.childrenOf(key, r["id"])
			case "customer":
				r["customer"], _ = st.customers.find(idOf(r["customer_id"]))
			}
		}
		return r
	}
}

var includeOrder = includeSale(func(st *state) *table { return st.orderLines }, "order_id")

func idOf(v any) int64 { n, _ := intOf(v); return n }

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) {
	s.create(w, r, s.newOrder, "sales/orders")
}

// newOrder validates and stores an order with its inline lines.
func (s *Server) newOrder(st *state, ev *events, body record) (record, error) {
	row := record{"status": StatusPending, "shipping_charge": 0.0, "billing_address_id": nil, "shipping_address_id": nil}
	v := validation{}
	assign(row, body, orderSpec, v)
	required(row, v, "customer_id", "station_id", "source_location_id")
	exists(row, "customer_id", st.customers, v)
	exists(row, "station_id", st.stations, v)
	exists(row, "source_location_id", st.locations, v)
	if row["status"] != StatusPending && row["status"] != StatusOpen {
		v.add("status", "must be pending or open on create")
	}
	var lines []record
	if raw, ok := body["lines"]; ok {
		list, isList := raw.([]any)
		if !isList {
			v.add("lines", "must be an array")
		}
		for i, x := range list {
			m, _ := x.(map[string]any)
			lines = append(lines, st.orderLine(record(m), fmt.Sprintf("lines[%d].", i), v))
		}
	}
	if err := s.invalid(v); err != nil {
		return nil, err
	}
	if cust, ok := st.customers.find(row.id2("customer_id")); ok {
		fill(row, "billing_address_id", cust["billing_address_id"])
		fill(row, "shipping_address_id", cust["shipping_address_id"])
	}
	status := row["status"]
	row["status"] = StatusPending
	row = st.insert(st.orders, row, st.now())
	if row["public_id"] == nil {
		row["public_id"] = fmt.Sprint(row.id())
	}
	for _, l := range lines {
		l["order_id"] = row.id()
		st.insert(st.orderLines, l, st.now())
	}
	if status == StatusOpen {
		st.moveOrder(row, StatusOpen)
	}
	st.orderTotals(row)
	ev.raise(st, EventSalesOrderCreated, row)
	return row, nil
}

// orderLine builds (without storing) an order line; item_lookup may be an
// item id or public_id.
func (st *state) orderLine(body record, prefix string, v validation) record {
	if body == nil {
		v.add(prefix[:len(prefix)-1], "must be an object")
		return nil
	}
	line, lv := record{"ship_from_location_id": nil}, validation{}
	assign(line, body, orderLineSpec, lv)
	if lookup, ok := body["item_lookup"]; ok {
		if item := st.lookupItem(lookup); item != nil {
			line["item_id"] = item.id()
		} else {
			lv.add("item_lookup", fmt.Sprintf("no item matches %v", lookup))
		}
	}
	required(line, lv, "item_id", "qty")
	exists(line, "item_id", st.items, lv)
	exists(line, "ship_from_location_id", st.locations, lv)
	if q, ok := line["qty"].(float64); ok && q <= 0 {
		lv.add("qty", "must be greater than 0")
	}
	prefixed(v, lv, prefix)
	if len(lv) > 0 {
		return nil
	}
	item, _ := st.items.find(line.id2("item_id"))
	if _, ok := line["adjusted_unit_price"]; !ok {
		line["adjusted_unit_price"] = line["unit_price"]
		if line["adjusted_unit_price"] == nil {
			line["adjusted_unit_price"] = item["price"]
		}
	}
	line["unit_price"], line["original_unit_price"] = line["adjusted_unit_price"], item["price"]
	if line["description"] == nil {
		line["description"] = item["description"]
	}
	line["value"] = round2(line["qty"].(float64) * asFloat(line["adjusted_unit_price"]))
	return line
}

func (r record) id2(field string) int64 { return idOf(r[field]) }

func asFloat(v any) float64 { f, _ := number(v); return f }

// lookupItem finds an item by id or public_id.
func (st *state) lookupItem(v any) record {
	if s, ok := v.(string); ok {
		for _, it := range st.items.all(nil) {
			if it["public_id"] == s {
				return it
			}
		}
	}
	if n, ok := intOf(v); ok {
		if it, found := st.items.find(n); found {
			return it
		}
	}
	return nil
}

func (st *state) orderTotals(order record) {
	var sub, paid float64
	for _, l := range st.orderLines.childrenOf("order_id", order["id"]) {
		sub += asFloat(l["value"])
	}
	for _, p := range st.payments.childrenOf("order_id", order["id"]) {
		paid += asFloat(p["amount"])
	}
	total := round2(sub + asFloat(order["shipping_charge"]))
	order["subtotal"], order["total"], order["total_paid"], order["balance"] = round2(sub), total, round2(paid), round2(total-paid)
}

// moveOrder changes the status and applies its stock effect: open commits
// the lines, closed ships them (on hand and committed drop), canceled
// releases the commitment.
func (st *state) moveOrder(order record, to string) {
	from := order["status"]
	for _, l := range st.orderLines.childrenOf("order_id", order["id"]) {
		loc := l.id2("ship_from_location_id")
		if loc == 0 {
			loc = order.id2("source_location_id")
		}
		sk, qty := st.stock(l.id2("item_id"), loc), asFloat(l["qty"])
		switch {
		case to == StatusOpen:
			sk.committed += qty
		case to == StatusClosed:
			sk.committed -= qty
			sk.onHand -= qty
		case to == StatusCanceled && from == StatusOpen:
			sk.committed -= qty
		}
	}
	order["status"] = to
}

func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request) {
	s.update(w, r, ordersOf, "Sales order", func(st *state, ev *events, row, body record) error {
		v := validation{}
		next := row.clone()
		assign(next, body, orderSpec, v)
		exists(next, "customer_id", st.customers, v)
		exists(next, "station_id", st.stations, v)
		exists(next, "source_location_id", st.locations, v)
		to, _ := next["status"].(string)
		if to != row["status"] {
			if !slices.Contains([]string{StatusPending, StatusOpen, StatusClosed, StatusCanceled}, to) {
				v.add("status", fmt.Sprintf("%q is not included in the list", to))
			} else if !slices.Contains(transitions[row["status"].(string)], to) {
				v.add("status", fmt.Sprintf("cannot change from %v to %s", row["status"], to))
			}
		}
		if err := s.invalid(v); err != nil {
			return err
		}
		next["status"] = row["status"]
		for k, x := range next {
			row[k] = x
		}
		if to != row["status"] {
			st.moveOrder(row, to)
		}
		st.orderTotals(row)
		st.touch(row)
		ev.raise(st, EventSalesOrderUpdated, row)
		return nil
	})
}

func (s *Server) listOrderLines(w http.ResponseWriter, r *http.Request) {
	s.childrenOf(ordersOf, "Sales order", func(st *state) *table { return st.orderLines }, "order_id")(w, r)
}

func (s *Server) listOrderPayments(w http.ResponseWriter, r *http.Request) {
	s.childrenOf(ordersOf, "Sales order", func(st *state) *table { return st.payments }, "order_id")(w, r)
}

// orderChild runs fn on the order {id} when it may still change.
func (s *Server) orderChild(w http.ResponseWriter, r *http.Request, sub string, fn func(*state, *events, record, record) (record, error)) {
	id, err := pathID(r, "id")
	if err != nil {
		fail(w, err)
		return
	}
	s.create(w, r, func(st *state, ev *events, body record) (record, error) {
		order, ok := st.orders.find(id)
		if !ok {
			return nil, notFound("Sales order", id)
		}
		if order["status"] == StatusClosed || order["status"] == StatusCanceled {
			return nil, s.invalid(validation{"status": {fmt.Sprintf("order is %v and cannot change", order["status"])}})
		}
		return fn(st, ev, order, body)
	}, fmt.Sprintf("sales/orders/%d/%s", id, sub))
}

func (s *Server) addOrderLine(w http.ResponseWriter, r *http.Request) {
	s.orderChild(w, r, "lines", func(st *state, ev *events, order, body record) (record, error) {
		v := validation{}
		line := st.orderLine(body, "", v)
		if err := s.invalid(v); err != nil {
			return nil, err
		}
		line["order_id"] = order.id()
		line = st.insert(st.orderLines, line, st.now())
		if order["status"] == StatusOpen {
			st.stock(line.id2("item_id"), st.lineLocation(order, line)).committed += asFloat(line["qty"])
		}
		st.orderTotals(order)
		st.touch(order)
		ev.raise(st, EventSalesOrderUpdated, order)
		return line, nil
	})
}

func (st *state) lineLocation(order, line record) int64 {
	if loc := line.id2("ship_from_location_id"); loc != 0 {
		return loc
	}
	return order.id2("source_location_id")
}

func (s *Server) updateOrderLine(w http.ResponseWriter, r *http.Request) {
	lineID, err := pathID(r, "line")
	if err != nil {
		fail(w, err)
		return
	}
	s.update(w, r, ordersOf, "Sales order", func(st *state, ev *events, order, body record) error {
		line, ok := st.orderLines.find(lineID)
		if !ok || !equal(line["order_id"], order["id"]) {
			return notFound("Sales order line", lineID)
		}
		v := validation{}
		next := line.clone()
		assign(next, body, orderLineSpec, v)
		exists(next, "ship_from_location_id", st.locations, v)
		if next["item_id"] != line["item_id"] {
			v.add("item_id", "cannot be changed")
		}
		if q, ok := next["qty"].(float64); !ok || q <= 0 {
			v.add("qty", "must be greater than 0")
		}
		if err := s.invalid(v); err != nil {
			return err
		}
		open := order["status"] == StatusOpen
		if open {
			st.stock(line.id2("item_id"), st.lineLocation(order, line)).committed -= asFloat(line["qty"])
		}
		for k, x := range next {
			line[k] = x
		}
		line["value"] = round2(asFloat(line["qty"]) * asFloat(line["adjusted_unit_price"]))
		if open {
			st.stock(line.id2("item_id"), st.lineLocation(order, line)).committed += asFloat(line["qty"])
		}
		st.touch(line)
		st.orderTotals(order)
		st.touch(order)
		ev.raise(st, EventSalesOrderUpdated, order)
		return nil
	})
}

func (s *Server) addOrderPayment(w http.ResponseWriter, r *http.Request) {
	s.orderChild(w, r, "payments", func(st *state, ev *events, order, body record) (record, error) {
		p, err := s.payment(st, body, "", validation{})
		if err != nil {
			return nil, err
		}
		p["order_id"], p["location_id"] = order.id(), order["source_location_id"]
		p = st.insert(st.payments, p, st.now())
		st.orderTotals(order)
		st.touch(order)
		ev.raise(st, EventPaymentCreated, p)
		ev.raise(st, EventSalesOrderUpdated, order)
		return p, nil
	})
}

// payment builds (without storing) a completed payment from body.
func (s *Server) payment(st *state, body record, prefix string, v validation) (record, error) {
	p, pv := record{"type": "ExternalPayment", "status": "complete", "deposit": false, "description": nil,
		"payment_type_id": nil, "order_id": nil, "ticket_id": nil}, validation{}
	assign(p, body, paymentSpec, pv)
	required(p, pv, "amount")
	exists(p, "payment_type_id", st.payTypes, pv)
	prefixed(v, pv, prefix)
	if err := s.invalid(v); err != nil {
		return nil, err
	}
	at := st.now()
	p["completed_at"], p["local_completed_at"] = at.UTC().Format(timeLayout), localTime(at)
	return p, nil
}

// localTime renders t in the store zone.
func localTime(t time.Time) string { return t.In(storeZone).Format(timeLayout) }
