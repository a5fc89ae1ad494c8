package heartland

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// Webhook event names the sandbox emits.
const (
	EventSalesOrderCreated         = "sales_order_created"
	EventSalesOrderUpdated         = "sales_order_updated"
	EventSalesTransactionCompleted = "sales_transaction_completed"
	EventCustomerCreated           = "customer_created"
	EventCustomerUpdated           = "customer_updated"
	EventItemCreated               = "item_created"
	EventItemUpdated               = "item_updated"
	EventPaymentCreated            = "payment_created"
)

// EventHeader names the event of a delivery. The real API sends no such
// header; receivers must not depend on it.
const EventHeader = "X-Sandbox-Event"

var eventNames = []string{EventSalesOrderCreated, EventSalesOrderUpdated, EventSalesTransactionCompleted,
	EventCustomerCreated, EventCustomerUpdated, EventItemCreated, EventItemUpdated, EventPaymentCreated}

// pending is one webhook delivery decided under the lock.
type pending struct {
	event, url string
	body       []byte
}

// events collects the deliveries a change raises.
type events []pending

// raise queues the bare resource JSON for every subscription to name.
func (ev *events) raise(st *state, name string, r record) {
	var body []byte
	for _, hook := range st.webhooks.all(nil) {
		list, _ := hook["events"].([]any)
		if !slices.Contains(list, any(name)) {
			continue
		}
		if body == nil {
			b, err := json.Marshal(r)
			if err != nil {
				panic(fmt.Sprintf("heartland: encode %s payload: %v", name, err))
			}
			body = b
		}
		*ev = append(*ev, pending{event: name, url: hook["url"].(string), body: body})
	}
}

func (s *Server) dispatch(ev events) {
	for _, p := range ev {
		s.Deliveries().Send(p.event, p.url, p.body, http.Header{EventHeader: {p.event}})
	}
}

func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request) {
	hook, ok := s.run(w, r, func(st *state, _ *events, body record) (record, error) {
		v := validation{}
		u, _ := body["url"].(string)
		if parsed, err := url.Parse(u); u == "" || err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			v.add("url", "must be an absolute http or https URL")
		}
		list, ok := body["events"].([]any)
		if !ok || len(list) == 0 {
			v.add("events", "must be a non-empty array of event names")
		}
		for _, e := range list {
			if name, _ := e.(string); !slices.Contains(eventNames, name) {
				v.add("events", fmt.Sprintf("unknown event %v", e))
			}
		}
		if err := s.invalid(v); err != nil {
			return nil, err
		}
		return st.insert(st.webhooks, record{"url": u, "events": list}, st.now()), nil
	})
	if ok {
		s.mu.RLock()
		defer s.mu.RUnlock()
		s.created(w, r, fmt.Sprintf("webhooks/%d", hook.id()), hook, true)
	}
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	s.listOf(func(st *state) *table { return st.webhooks }, nil)(w, r)
}

func (s *Server) getWebhook(w http.ResponseWriter, r *http.Request) {
	s.getOf(func(st *state) *table { return st.webhooks }, "Webhook", nil)(w, r)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.change(func(st *state, _ *events) error {
			if !st.webhooks.remove(id) {
				return notFound("Webhook", id)
			}
			return nil
		})
	}
	if err != nil {
		fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// triggerOrder creates a sales order from a control call, as if a clerk had
// entered it, and answers with the order (its webhook is queued).
func (s *Server) triggerOrder(w http.ResponseWriter, r *http.Request) {
	s.trigger(w, r, s.newOrder)
}

// triggerTicket creates a completed sales ticket from a control call.
func (s *Server) triggerTicket(w http.ResponseWriter, r *http.Request) {
	s.trigger(w, r, func(st *state, ev *events, body record) (record, error) {
		if _, ok := body["status"]; !ok {
			body["status"] = "complete"
		}
		return s.newTicket(st, ev, body)
	})
}

func (s *Server) trigger(w http.ResponseWriter, r *http.Request, create func(*state, *events, record) (record, error)) {
	if row, ok := s.run(w, r, create); ok {
		s.writeOK(w, http.StatusCreated, row)
	}
}
