package heartland

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/bridgework/bridgework/sandbox/control"
)

var (
	itemSpec = spec{"public_id": kString, "description": kString, "long_description": kString, "cost": kNumber,
		"price": kNumber, "original_price": kNumber, "active?": kBool, "primary_vendor_id": kInt,
		"primary_barcode": kString, "allow_fractional_qty?": kBool, "track_inventory?": kBool,
		"prompt_for_price?": kBool, "available_online?": kBool, "weight": kNumber}
	customerSpec = spec{"public_id": kString, "first_name": kString, "last_name": kString, "email": kString,
		"phone_number": kString, "active?": kBool, "promotional_emails?": kBool}
	addressSpec = spec{"first_name": kString, "last_name": kString, "line_1": kString, "line_2": kString,
		"city": kString, "state": kString, "postal_code": kString, "country": kString, "phone": kString}
	namedSpec = spec{"name": kString, "active?": kBool}
)

func (s *Server) whoami(w http.ResponseWriter, _ *http.Request) {
	control.WriteJSON(w, http.StatusOK, map[string]any{"id": 100017, "login": "api", "first_name": "Sandbox",
		"last_name": "Integration", "email": "api@sandbox.example.com", "active?": true})
}

func (s *Server) host(w http.ResponseWriter, r *http.Request) {
	control.WriteJSON(w, http.StatusOK, map[string]any{"host": r.Host})
}

func includeStations(st *state, r record, names []string) record {
	if slices.Contains(names, "stations") {
		r["stations"] = st.stations.childrenOf("location_id", r["id"])
	}
	return r
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) {
	s.listOf(func(st *state) *table { return st.locations }, includeStations)(w, r)
}

func (s *Server) getLocation(w http.ResponseWriter, r *http.Request) {
	s.getOf(func(st *state) *table { return st.locations }, "Location", includeStations)(w, r)
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request) {
	s.listOf(items.tbl, nil)(w, r)
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) {
	s.getOf(items.tbl, items.name, nil)(w, r)
}

// resource describes a plain writable resource: its table, writable
// fields, required fields, defaults and events.
type resource struct {
	tbl              tableOf
	name, collection string
	spec             spec
	required         []string
	finish           func(record) record
	created, updated string
}

var (
	items = resource{tbl: func(st *state) *table { return st.items }, name: "Item", collection: "items",
		spec: itemSpec, required: []string{"description", "cost"}, finish: itemDefaults,
		created: EventItemCreated, updated: EventItemUpdated}
	customers = resource{tbl: func(st *state) *table { return st.customers }, name: "Customer", collection: "customers",
		spec: customerSpec, required: []string{"first_name", "last_name"}, finish: customerDefaults,
		created: EventCustomerCreated, updated: EventCustomerUpdated}
	paymentTypes = resource{tbl: func(st *state) *table { return st.payTypes }, name: "Payment type", collection: "payment_types",
		spec: namedSpec, required: []string{"name"}, finish: func(r record) record { fill(r, "active?", true); return r }}
)

// createOf answers POST /<collection> for a plain resource.
func (s *Server) createOf(res resource) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.create(w, r, func(st *state, ev *events, body record) (record, error) {
			row, v := record{}, validation{}
			assign(row, body, res.spec, v)
			required(row, v, res.required...)
			if err := s.invalid(v); err != nil {
				return nil, err
			}
			row = st.insert(res.tbl(st), res.finish(row), st.now())
			if _, ok := row["public_id"]; ok && row["public_id"] == nil {
				row["public_id"] = fmt.Sprint(row.id())
			}
			if res.created != "" {
				ev.raise(st, res.created, row)
			}
			return row, nil
		}, res.collection)
	}
}

// updateOf answers PUT /<collection>/{id} for a plain resource.
func (s *Server) updateOf(res resource) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.update(w, r, res.tbl, res.name, func(st *state, ev *events, row, body record) error {
			v := validation{}
			next := row.clone()
			assign(next, body, res.spec, v)
			required(next, v, res.required...)
			if err := s.invalid(v); err != nil {
				return err
			}
			for k, x := range res.finish(next) {
				row[k] = x
			}
			st.touch(row)
			if res.updated != "" {
				ev.raise(st, res.updated, row)
			}
			return nil
		})
	}
}

func (s *Server) listCustomers(w http.ResponseWriter, r *http.Request) {
	s.listOf(customers.tbl, nil)(w, r)
}

func (s *Server) getCustomer(w http.ResponseWriter, r *http.Request) {
	s.getOf(customers.tbl, customers.name, nil)(w, r)
}

func (s *Server) listAddresses(w http.ResponseWriter, r *http.Request) {
	s.childrenOf(func(st *state) *table { return st.customers }, "Customer",
		func(st *state) *table { return st.addresses }, "customer_id")(w, r)
}

func (s *Server) createAddress(w http.ResponseWriter, r *http.Request) {
	custID, err := pathID(r, "id")
	if err != nil {
		fail(w, err)
		return
	}
	s.create(w, r, func(st *state, ev *events, body record) (record, error) {
		cust, ok := st.customers.find(custID)
		if !ok {
			return nil, notFound("Customer", custID)
		}
		row, v := record{"customer_id": custID}, validation{}
		assign(row, body, addressSpec, v)
		required(row, v, "line_1", "city")
		if c, _ := row["country"].(string); c != "" && len(c) != 2 {
			v.add("country", "must be a 2-letter country code")
		}
		if err := s.invalid(v); err != nil {
			return nil, err
		}
		row = st.insert(st.addresses, row, st.now())
		if cust["address_id"] == nil {
			cust["address_id"], cust["billing_address_id"], cust["shipping_address_id"] = row.id(), row.id(), row.id()
			st.touch(cust)
			ev.raise(st, EventCustomerUpdated, cust)
		}
		return row, nil
	}, fmt.Sprintf("customers/%d/addresses", custID))
}

func (s *Server) listPaymentTypes(w http.ResponseWriter, r *http.Request) {
	s.listOf(func(st *state) *table { return st.payTypes }, nil)(w, r)
}

func (s *Server) listReasons(w http.ResponseWriter, r *http.Request) {
	s.listOf(func(st *state) *table { return st.reasons }, nil)(w, r)
}

func (s *Server) listPayments(w http.ResponseWriter, r *http.Request) {
	s.listOf(func(st *state) *table { return st.payments }, nil)(w, r)
}

// run decodes the body and runs fn under the write lock; on failure it
// answers the error and returns false.
func (s *Server) run(w http.ResponseWriter, r *http.Request, fn func(*state, *events, record) (record, error)) (record, bool) {
	body, err := readBody(r)
	if err != nil {
		fail(w, err)
		return nil, false
	}
	var row record
	err = s.change(func(st *state, ev *events) error {
		var err error
		row, err = fn(st, ev, body)
		return err
	})
	if err != nil {
		fail(w, err)
		return nil, false
	}
	return row, true
}

// create runs fn and answers 201 with Location <collection>/<id>.
func (s *Server) create(w http.ResponseWriter, r *http.Request, fn func(*state, *events, record) (record, error), collection string) {
	if row, ok := s.run(w, r, fn); ok {
		s.mu.RLock()
		defer s.mu.RUnlock()
		s.created(w, r, fmt.Sprintf("%s/%d", collection, row.id()), row, false)
	}
}

// update finds {id} in a table and runs fn on it under the write lock; it
// answers 200 with the updated resource.
func (s *Server) update(w http.ResponseWriter, r *http.Request, tbl tableOf, name string, fn func(st *state, ev *events, row, body record) error) {
	id, err := pathID(r, "id")
	if err != nil {
		fail(w, err)
		return
	}
	body, err := readBody(r)
	if err != nil {
		fail(w, err)
		return
	}
	var row record
	err = s.change(func(st *state, ev *events) error {
		var ok bool
		if row, ok = tbl(st).find(id); !ok {
			return notFound(name, id)
		}
		return fn(st, ev, row, body)
	})
	if err != nil {
		fail(w, err)
		return
	}
	s.writeOK(w, http.StatusOK, row)
}
