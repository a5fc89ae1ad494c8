package heartland

import (
	"fmt"
	"math"
	"net/http"
)

// Purchase order and receipt statuses (receipts go pending → accepted).
const (
	receiptPending  = "pending"
	receiptAccepted = "accepted"
)

var (
	purchaseOrderSpec = spec{"public_id": kString, "vendor_id": kInt, "receive_at_location_id": kInt}
	receiptSpec       = spec{"order_id": kInt, "status": kString}
)

func vendorsOf(st *state) *table        { return st.vendors }
func purchaseOrdersOf(st *state) *table { return st.purchaseOrders }
func receiptsOf(st *state) *table       { return st.receipts }

var (
	includePurchaseLines = includeLinesOf(func(st *state) *table { return st.purchaseLines }, "order_id")
	includeReceiptLines  = includeLinesOf(func(st *state) *table { return st.receiptLines }, "receipt_id")
)

// newPurchaseOrder stores an open purchase order with its inline lines
// (item_id, qty, unit_cost).
func (s *Server) newPurchaseOrder(st *state, body record) (record, error) {
	po, v := record{"status": "open", "public_id": nil}, validation{}
	assign(po, body, purchaseOrderSpec, v)
	required(po, v, "vendor_id", "receive_at_location_id")
	exists(po, "vendor_id", st.vendors, v)
	exists(po, "receive_at_location_id", st.locations, v)
	var lines []record
	for i, m := range objects(body, "lines", v) {
		line, lv := record{"unit_cost": 0.0}, validation{}
		assign(line, m, adjLine, lv)
		required(line, lv, "item_id", "qty")
		exists(line, "item_id", st.items, lv)
		if asFloat(line["qty"]) <= 0 {
			lv.add("qty", "must be greater than 0")
		}
		prefixed(v, lv, fmt.Sprintf("lines[%d].", i))
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		v.add("lines", "can't be blank")
	}
	if err := s.invalid(v); err != nil {
		return nil, err
	}
	total := 0.0
	for _, l := range lines {
		total += asFloat(l["qty"]) * asFloat(l["unit_cost"])
	}
	po["total"] = math.Round(total*100) / 100
	po = st.insert(st.purchaseOrders, po, st.now())
	if po["public_id"] == nil {
		po["public_id"] = fmt.Sprintf("PO-%d", po.id())
	}
	for _, l := range lines {
		l["order_id"] = po.id()
		st.insert(st.purchaseLines, l, st.now())
	}
	return po, nil
}

// newReceipt stores a pending receipt of an open purchase order; it
// receives every line of the order.
func (s *Server) newReceipt(st *state, body record) (record, error) {
	rc, v := record{"status": receiptPending, "accepted_at": nil}, validation{}
	assign(rc, body, receiptSpec, v)
	required(rc, v, "order_id")
	exists(rc, "order_id", st.purchaseOrders, v)
	if rc["status"] != receiptPending {
		v.add("status", "must be pending on create")
	}
	po, _ := st.purchaseOrders.find(rc.id2("order_id"))
	if po != nil && po["status"] != "open" {
		v.add("order_id", fmt.Sprintf("purchase order %v is %v, not open", po["id"], po["status"]))
	}
	if err := s.invalid(v); err != nil {
		return nil, err
	}
	rc["vendor_id"], rc["location_id"], rc["total"] = po["vendor_id"], po["receive_at_location_id"], po["total"]
	rc = st.insert(st.receipts, rc, st.now())
	for _, l := range st.purchaseLines.childrenOf("order_id", po["id"]) {
		st.insert(st.receiptLines, record{"receipt_id": rc.id(), "item_id": l["item_id"], "qty": l["qty"], "unit_cost": l["unit_cost"]}, st.now())
	}
	return rc, nil
}

// acceptReceipt adds the received quantities to on hand at the receiving
// location and closes the purchase order.
func (st *state) acceptReceipt(rc record) {
	for _, l := range st.receiptLines.childrenOf("receipt_id", rc["id"]) {
		st.stock(l.id2("item_id"), rc.id2("location_id")).onHand += asFloat(l["qty"])
	}
	rc["status"], rc["accepted_at"] = receiptAccepted, st.now().UTC().Format(timeLayout)
	st.touch(rc)
	if po, ok := st.purchaseOrders.find(rc.id2("order_id")); ok {
		po["status"] = "closed"
		st.touch(po)
	}
}

func (s *Server) updateReceipt(w http.ResponseWriter, r *http.Request) {
	s.update(w, r, receiptsOf, "Receipt", func(st *state, _ *events, rc, body record) error {
		v := validation{}
		next := rc.clone()
		assign(next, body, receiptSpec, v)
		finalStatus(v, rc["status"], next["status"], receiptAccepted, "receipt is already accepted")
		if next.id2("order_id") != rc.id2("order_id") {
			v.add("order_id", "cannot change")
		}
		if err := s.invalid(v); err != nil {
			return err
		}
		if next["status"] == receiptAccepted && rc["status"] != receiptAccepted {
			st.acceptReceipt(rc)
		}
		return nil
	})
}

func (s *Server) createPurchaseOrder(w http.ResponseWriter, r *http.Request) {
	s.create(w, r, func(st *state, _ *events, body record) (record, error) { return s.newPurchaseOrder(st, body) }, "purchasing/orders")
}

func (s *Server) createReceipt(w http.ResponseWriter, r *http.Request) {
	s.create(w, r, func(st *state, _ *events, body record) (record, error) { return s.newReceipt(st, body) }, "purchasing/receipts")
}
