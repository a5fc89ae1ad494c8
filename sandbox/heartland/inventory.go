package heartland

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/bridgework/bridgework/sandbox/control"
)

var (
	valueFields = []string{"item_id", "location_id", "qty", "qty_on_hand", "qty_committed", "qty_on_po",
		"qty_in_transit", "qty_available", "unit_cost"}
	qtyFields = valueFields[2:8]
	adjSpec   = spec{"location_id": kInt, "adjustment_reason_id": kInt, "status": kString}
	adjLine   = spec{"item_id": kInt, "qty": kNumber, "unit_cost": kNumber}
)

// valueRows returns one inventory value row per tracked item and location.
func (st *state) valueRows() []record {
	var out []record
	for _, item := range st.items.all(func(r record) bool { return r["track_inventory?"] == true }) {
		for _, loc := range st.locations.all(nil) {
			sk := st.stock(item.id(), loc.id())
			out = append(out, record{"item_id": item.id(), "location_id": loc.id(), "qty": sk.onHand,
				"qty_on_hand": sk.onHand, "qty_committed": sk.committed, "qty_on_po": 0.0, "qty_in_transit": 0.0,
				"qty_available": sk.onHand - sk.committed, "unit_cost": item["cost"]})
		}
	}
	return out
}

// group sums quantity columns over rows that share the group[] fields.
func group(rows []record, by []string) []record {
	var out []record
	index := map[string]record{}
	for _, r := range rows {
		var key strings.Builder
		for _, g := range by {
			fmt.Fprint(&key, r[g], "|")
		}
		agg, ok := index[key.String()]
		if !ok {
			agg = record{}
			for _, g := range by {
				agg[g] = r[g]
			}
			for _, q := range qtyFields {
				agg[q] = 0.0
			}
			if slices.Contains(by, "item_id") {
				agg["unit_cost"] = r["unit_cost"]
			}
			index[key.String()] = agg
			out = append(out, agg)
		}
		for _, q := range qtyFields {
			agg[q] = agg[q].(float64) + r[q].(float64)
		}
	}
	return out
}

func (s *Server) inventoryValues(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	by := v["group[]"]
	if len(by) == 0 {
		by = []string{"item_id", "location_id"}
	}
	for _, g := range by {
		if g != "item_id" && g != "location_id" {
			fail(w, badRequest(fmt.Sprintf("group[]: cannot group by %q (use item_id and/or location_id)", g)))
			return
		}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	q, err := parseQuery(v, s.st.values, s.opts.MaxPerPage)
	if err != nil {
		fail(w, err)
		return
	}
	keep := allOf(q.filters)
	skipEmpty := v.Get("exclude_empty_locations") == "true"
	var rows []record
	for _, row := range s.st.valueRows() {
		if keep(row) && (!skipEmpty || row["qty_on_hand"] != 0.0 || row["qty_committed"] != 0.0) {
			rows = append(rows, row)
		}
	}
	q.filters = nil
	control.WriteJSON(w, http.StatusOK, s.page(q, s.st.values, group(rows, by), func(row record, names []string) record {
		if slices.Contains(names, "item") {
			row["item"], _ = s.st.items.find(row.id2("item_id"))
		}
		return row
	}))
}

func adjSetsOf(st *state) *table { return st.adjSets }

func (s *Server) listAdjustmentSets(w http.ResponseWriter, r *http.Request) {
	s.listOf(adjSetsOf, includeAdjLines)(w, r)
}

func (s *Server) getAdjustmentSet(w http.ResponseWriter, r *http.Request) {
	s.getOf(adjSetsOf, "Adjustment set", includeAdjLines)(w, r)
}

var includeAdjLines = includeLinesOf(func(st *state) *table { return st.adjLines }, "adjustment_set_id")

func (s *Server) listAdjustmentLines(w http.ResponseWriter, r *http.Request) {
	s.childrenOf(adjSetsOf, "Adjustment set", func(st *state) *table { return st.adjLines }, "adjustment_set_id")(w, r)
}

// newAdjustmentSet stores a set with its inline lines; status complete
// applies it at once.
func (s *Server) newAdjustmentSet(st *state, body record) (record, error) {
	set, v := record{"status": "pending", "adjustment_reason_id": nil}, validation{}
	assign(set, body, adjSpec, v)
	required(set, v, "location_id")
	exists(set, "location_id", st.locations, v)
	exists(set, "adjustment_reason_id", st.reasons, v)
	if set["status"] != "pending" && set["status"] != "complete" {
		v.add("status", "must be pending or complete")
	}
	var lines []record
	for i, m := range objects(body, "lines", v) {
		lines = append(lines, st.adjustmentLine(m, fmt.Sprintf("lines[%d].", i), v))
	}
	if err := s.invalid(v); err != nil {
		return nil, err
	}
	status := set["status"]
	set["status"] = "pending"
	set = st.insert(st.adjSets, set, st.now())
	for _, l := range lines {
		l["adjustment_set_id"] = set.id()
		st.insert(st.adjLines, l, st.now())
	}
	if status == "complete" {
		st.applyAdjustment(set)
	}
	return set, nil
}

func (st *state) adjustmentLine(body record, prefix string, v validation) record {
	line, lv := record{"unit_cost": nil}, validation{}
	assign(line, body, adjLine, lv)
	required(line, lv, "item_id", "qty")
	exists(line, "item_id", st.items, lv)
	wholeQty(st, line, lv)
	prefixed(v, lv, prefix)
	return line
}

// wholeQty refuses a fractional quantity of an item that is counted in
// whole units (allow_fractional_qty? false), with the message the
// reference shows for it.
func wholeQty(st *state, line record, v validation) {
	id, ok := intOf(line["item_id"])
	if !ok {
		return
	}
	item, found := st.items.find(id)
	if qty := asFloat(line["qty"]); found && item["allow_fractional_qty?"] != true && qty != math.Trunc(qty) {
		v.add("qty", "must be a whole number")
	}
}

func (st *state) applyAdjustment(set record) {
	for _, l := range st.adjLines.childrenOf("adjustment_set_id", set["id"]) {
		st.stock(l.id2("item_id"), set.id2("location_id")).onHand += asFloat(l["qty"])
	}
	set["status"] = "complete"
	st.touch(set)
}

func (s *Server) createAdjustmentSet(w http.ResponseWriter, r *http.Request) {
	s.create(w, r, func(st *state, _ *events, body record) (record, error) {
		return s.newAdjustmentSet(st, body)
	}, "inventory/adjustment_sets")
}

// createAdjustment is the older single-line form; it is applied at once and
// its Location points at the adjustment set it became.
func (s *Server) createAdjustment(w http.ResponseWriter, r *http.Request) {
	s.create(w, r, func(st *state, _ *events, body record) (record, error) {
		line := record{}
		for _, k := range []string{"item_id", "qty", "unit_cost"} {
			if x, ok := body[k]; ok {
				line[k] = x
			}
		}
		body["lines"], body["status"] = []any{map[string]any(line)}, "complete"
		return s.newAdjustmentSet(st, body)
	}, "inventory/adjustment_sets")
}

func (s *Server) addAdjustmentLine(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		fail(w, err)
		return
	}
	s.create(w, r, func(st *state, _ *events, body record) (record, error) {
		set, ok := st.adjSets.find(id)
		if !ok {
			return nil, notFound("Adjustment set", id)
		}
		v := validation{}
		if set["status"] != "pending" {
			v.add("status", "adjustment set is complete and cannot take lines")
		}
		line := st.adjustmentLine(body, "", v)
		if err := s.invalid(v); err != nil {
			return nil, err
		}
		line["adjustment_set_id"] = id
		return st.insert(st.adjLines, line, st.now()), nil
	}, fmt.Sprintf("inventory/adjustment_sets/%d/lines", id))
}

func (s *Server) updateAdjustmentSet(w http.ResponseWriter, r *http.Request) {
	s.update(w, r, adjSetsOf, "Adjustment set", func(st *state, _ *events, set, body record) error {
		v := validation{}
		next := set.clone()
		assign(next, body, adjSpec, v)
		finalStatus(v, set["status"], next["status"], "complete", "adjustment set is already complete")
		exists(next, "adjustment_reason_id", st.reasons, v)
		if err := s.invalid(v); err != nil {
			return err
		}
		to := next["status"]
		next["status"] = set["status"]
		for k, x := range next {
			set[k] = x
		}
		if to == "complete" && set["status"] != "complete" {
			st.applyAdjustment(set)
		}
		return nil
	})
}

// finalStatus checks a status change that may only go, once, to final;
// already is the message when the record is there.
func finalStatus(v validation, cur, next any, final, already string) {
	switch {
	case next == cur:
	case cur == final:
		v.add("status", already)
	case next != final:
		v.add("status", fmt.Sprintf("%q is not included in the list", next))
	}
}
