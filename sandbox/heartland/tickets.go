package heartland

import (
	"fmt"
	"net/http"
	"time"
)

var (
	ticketSpec = spec{"public_id": kString, "customer_id": kInt, "station_id": kInt, "source_location_id": kInt,
		"status": kString, "sales_rep": kString, "parent_transaction_id": kInt, "completed_at": kString}
	itemLineSpec = spec{"item_id": kInt, "qty": kNumber, "unit_price": kNumber, "original_unit_price": kNumber,
		"adjusted_unit_price": kNumber, "unit_cost": kNumber, "description": kString}
	taxLineSpec = spec{"description": kString, "value": kNumber}
)

func ticketsOf(st *state) *table { return st.tickets }

var includeTicket = includeSale(func(st *state) *table { return st.ticketLines }, "ticket_id")

func (s *Server) listTickets(w http.ResponseWriter, r *http.Request) {
	s.listOf(ticketsOf, includeTicket)(w, r)
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) {
	s.getOf(ticketsOf, "Sales ticket", includeTicket)(w, r)
}

func (s *Server) listTicketLines(w http.ResponseWriter, r *http.Request) {
	s.childrenOf(ticketsOf, "Sales ticket", func(st *state) *table { return st.ticketLines }, "ticket_id")(w, r)
}

func (s *Server) createTicket(w http.ResponseWriter, r *http.Request) {
	s.create(w, r, s.newTicket, "sales/tickets")
}

// objects reads body[key] as an array of objects, reporting errors under key.
func objects(body record, key string, v validation) []record {
	raw, ok := body[key]
	if !ok {
		return nil
	}
	list, ok := raw.([]any)
	if !ok {
		v.add(key, "must be an array")
		return nil
	}
	out := make([]record, len(list))
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			v.add(fmt.Sprintf("%s[%d]", key, i), "must be an object")
		}
		out[i] = m
	}
	return out
}

// prefixed moves the errors of sub into v under prefix.
func prefixed(v, sub validation, prefix string) {
	for k, msgs := range sub {
		for _, m := range msgs {
			v.add(prefix+k, m)
		}
	}
}

// newTicket validates and stores a ticket with its item lines, tax lines
// and payments; a complete ticket takes stock and raises its event.
func (s *Server) newTicket(st *state, ev *events, body record) (record, error) {
	row := record{"status": "incomplete", "customer_id": nil, "sales_rep": nil, "parent_transaction_id": nil,
		"completed_at": nil, "local_completed_at": nil, "completed?": false, "voided?": false}
	v := validation{}
	assign(row, body, ticketSpec, v)
	required(row, v, "station_id")
	exists(row, "station_id", st.stations, v)
	exists(row, "customer_id", st.customers, v)
	exists(row, "source_location_id", st.locations, v)
	if row["status"] != "incomplete" && row["status"] != "complete" {
		v.add("status", "must be incomplete or complete")
	}
	itemKey := "item_lines"
	if _, ok := body[itemKey]; !ok {
		itemKey = "lines"
	}
	var lines []record
	for i, m := range objects(body, itemKey, v) {
		lv := validation{}
		line := record{"type": "ItemLine"}
		assign(line, m, itemLineSpec, lv)
		required(line, lv, "item_id", "qty")
		exists(line, "item_id", st.items, lv)
		if q, ok := line["qty"].(float64); ok && q == 0 {
			lv.add("qty", "must not be zero")
		}
		prefixed(v, lv, fmt.Sprintf("%s[%d].", itemKey, i))
		lines = append(lines, line)
	}
	for i, m := range objects(body, "tax_lines", v) {
		lv := validation{}
		line := record{"type": "TaxLine"}
		assign(line, m, taxLineSpec, lv)
		required(line, lv, "value")
		prefixed(v, lv, fmt.Sprintf("tax_lines[%d].", i))
		lines = append(lines, line)
	}
	var pays []record
	for i, m := range objects(body, "payments", v) {
		p, _ := s.payment(st, m, fmt.Sprintf("payments[%d].", i), v)
		pays = append(pays, p)
	}
	if err := s.invalid(v); err != nil {
		return nil, err
	}
	station, _ := st.stations.find(row.id2("station_id"))
	if row["source_location_id"] == nil {
		row["source_location_id"] = station["location_id"]
	}
	if c, ok := st.customers.find(row.id2("customer_id")); ok {
		row["customer_name"] = c["name"]
	} else {
		row["customer_name"] = nil
	}
	status := row["status"]
	row["status"] = "incomplete"
	row = st.insert(st.tickets, row, st.now())
	if row["public_id"] == nil {
		row["public_id"] = fmt.Sprint(row.id())
	}
	for _, l := range lines {
		l["ticket_id"] = row.id()
		if l["type"] == "ItemLine" {
			item, _ := st.items.find(l.id2("item_id"))
			fill(l, "original_unit_price", item["price"])
			fill(l, "unit_price", l["original_unit_price"])
			fill(l, "adjusted_unit_price", l["unit_price"])
			fill(l, "unit_cost", item["cost"])
			fill(l, "description", item["description"])
			l["value"] = round2(asFloat(l["qty"]) * asFloat(l["adjusted_unit_price"]))
		}
		st.insert(st.ticketLines, l, st.now())
	}
	for _, p := range pays {
		p["ticket_id"], p["location_id"] = row.id(), row["source_location_id"]
		st.insert(st.payments, p, st.now())
	}
	st.ticketTotals(row)
	if status == "complete" {
		affect, _ := body["affect_inventory"].(bool)
		if _, given := body["affect_inventory"]; !given {
			affect = true
		}
		st.completeTicket(ev, row, affect)
	}
	return row, nil
}

func fill(r record, key string, v any) {
	if r[key] == nil {
		r[key] = v
	}
}

func (st *state) ticketTotals(t record) {
	var sub, orig, tax, paid float64
	for _, l := range st.ticketLines.childrenOf("ticket_id", t["id"]) {
		if l["type"] == "TaxLine" {
			tax += asFloat(l["value"])
			continue
		}
		sub += asFloat(l["value"])
		orig += asFloat(l["qty"]) * asFloat(l["original_unit_price"])
	}
	for _, p := range st.payments.childrenOf("ticket_id", t["id"]) {
		paid += asFloat(p["amount"])
	}
	total := round2(sub + tax)
	t["subtotal"], t["original_subtotal"], t["total_discounts"] = round2(sub), round2(orig), round2(orig-sub)
	t["total_tax"], t["tax_total"], t["total"] = round2(tax), round2(tax), total
	t["total_paid"], t["balance"] = round2(paid), round2(total-paid)
	t["type"] = "Ticket"
	if sub < 0 {
		t["type"] = "Return"
	}
}

// completeTicket marks a ticket complete, takes its stock (when affect is
// set) and raises sales_transaction_completed and payment_created events.
func (st *state) completeTicket(ev *events, t record, affect bool) {
	at := st.now()
	if ts, ok := t["completed_at"].(string); ok {
		if parsed, err := time.Parse(time.RFC3339, ts); err == nil {
			at = parsed
		}
	}
	t["status"], t["completed?"] = "complete", true
	t["completed_at"], t["local_completed_at"] = at.UTC().Format(timeLayout), localTime(at)
	if affect {
		for _, l := range st.ticketLines.childrenOf("ticket_id", t["id"]) {
			if l["type"] != "ItemLine" {
				continue
			}
			st.stock(l.id2("item_id"), t.id2("source_location_id")).onHand -= asFloat(l["qty"])
		}
	}
	ev.raise(st, EventSalesTransactionCompleted, t)
	for _, p := range st.payments.childrenOf("ticket_id", t["id"]) {
		ev.raise(st, EventPaymentCreated, p)
	}
}

func (s *Server) updateTicket(w http.ResponseWriter, r *http.Request) {
	s.update(w, r, ticketsOf, "Sales ticket", func(st *state, ev *events, row, body record) error {
		v := validation{}
		next := row.clone()
		assign(next, body, spec{"status": kString, "sales_rep": kString, "customer_id": kInt}, v)
		exists(next, "customer_id", st.customers, v)
		to := next["status"]
		switch {
		case to == row["status"]:
		case row["status"] == "complete":
			v.add("status", "ticket is complete and cannot change status")
		case to != "complete":
			v.add("status", fmt.Sprintf("%q is not included in the list", to))
		}
		if err := s.invalid(v); err != nil {
			return err
		}
		next["status"] = row["status"]
		for k, x := range next {
			row[k] = x
		}
		st.touch(row)
		if to == "complete" && row["status"] != "complete" {
			st.completeTicket(ev, row, true)
		}
		return nil
	})
}
