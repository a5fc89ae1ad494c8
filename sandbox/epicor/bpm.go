package epicor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/bridgework/bridgework/sandbox/control"
	"github.com/bridgework/bridgework/sandbox/odata"
)

// Notification events, as a BPM data directive would post them.
const (
	EventJobCompleted      = "job_completed"
	EventPartOnHandChanged = "part_onhand_changed"
	EventSalesOrderChanged = "sales_order_changed"
	EventCustomerChanged   = "customer_changed"
)

// EventHeader names the event of a notification.
const EventHeader = "X-Epicor-Event"

// Notification is the JSON body posted to each notification URL.
type Notification struct {
	Event     string         `json:"event"`
	Company   string         `json:"company"`
	Table     string         `json:"table"`
	Keys      map[string]any `json:"keys"`
	SysRevID  int64          `json:"sysRevId"`
	ChangedAt string         `json:"changedAt"`
	Row       odata.Row      `json:"row"`
}

type note struct {
	event string
	body  []byte
}

// notes collects the notifications a change raises, built under the lock.
type notes []note

func (n *notes) raise(st *state, es *entitySet, event string, row odata.Row) {
	keys := map[string]any{}
	for _, k := range es.keys {
		keys[k] = row[k]
	}
	b, err := json.Marshal(Notification{Event: event, Company: st.company, Table: es.table, Keys: keys,
		SysRevID: st.sysRev, ChangedAt: st.now().UTC().Format("2006-01-02T15:04:05Z"), Row: copyRow(row)})
	if err != nil {
		panic(fmt.Sprintf("epicor: encode %s notification: %v", event, err))
	}
	*n = append(*n, note{event: event, body: b})
}

// notifyTargets returns the notification URLs; call with the lock held.
func (s *Server) notifyTargets() []string { return append([]string(nil), s.notify...) }

func (s *Server) send(n notes, urls []string) {
	for _, x := range n {
		for _, u := range urls {
			s.Deliveries().Send(x.event, u, x.body, http.Header{EventHeader: {x.event}})
		}
	}
}

// CompleteJob marks a job complete, receives its quantity into the job's
// warehouse and notifies job_completed and part_onhand_changed.
func (s *Server) CompleteJob(jobNum string) (odata.Row, error) {
	var n notes
	s.mu.Lock()
	st := s.st
	jobs := s.schema.sets["JobEntries"]
	job, ok := st.tables["JobEntries"].get([]any{st.company, jobNum})
	if !ok {
		s.mu.Unlock()
		return nil, fmt.Errorf("epicor: complete job: job %q not found", jobNum)
	}
	if job["JobComplete"] == true {
		s.mu.Unlock()
		return nil, fmt.Errorf("epicor: complete job: job %q is already complete", jobNum)
	}
	qty := job["ProdQty"].(float64)
	job["JobComplete"], job["JobClosed"], job["QtyCompleted"], job["DueDate"] = true, true, qty, st.today()
	st.bump(job)
	n.raise(st, jobs, EventJobCompleted, job)
	pw := st.partWhse(job["PartNum"].(string), job["WarehouseCode"].(string), true)
	pw["OnHandQty"] = pw["OnHandQty"].(float64) + qty
	st.bump(pw)
	n.raise(st, s.schema.sets["PartWhses"], EventPartOnHandChanged, pw)
	out, urls := copyRow(job), s.notifyTargets()
	s.mu.Unlock()
	s.send(n, urls)
	return out, nil
}

// SetOnHand sets the on-hand quantity of a part in a warehouse (as a stock
// adjustment would) and notifies part_onhand_changed.
func (s *Server) SetOnHand(partNum, warehouse string, qty float64) error {
	var n notes
	s.mu.Lock()
	st := s.st
	if _, ok := st.tables["Parts"].get([]any{st.company, partNum}); !ok {
		s.mu.Unlock()
		return fmt.Errorf("epicor: set on hand: part %q not found", partNum)
	}
	if _, ok := st.tables["Warehses"].get([]any{st.company, warehouse}); !ok {
		s.mu.Unlock()
		return fmt.Errorf("epicor: set on hand: warehouse %q not found", warehouse)
	}
	pw := st.partWhse(partNum, warehouse, true)
	pw["OnHandQty"] = qty
	st.bump(pw)
	n.raise(st, s.schema.sets["PartWhses"], EventPartOnHandChanged, pw)
	urls := s.notifyTargets()
	s.mu.Unlock()
	s.send(n, urls)
	return nil
}

// controlRoutes adds the Epicor-specific test controls.
func (s *Server) controlRoutes() {
	s.Handle("POST /_sandbox/jobs/{job}/complete", func(w http.ResponseWriter, r *http.Request) {
		job, err := s.CompleteJob(r.PathValue("job"))
		if err != nil {
			control.WriteError(w, http.StatusNotFound, err.Error())
			return
		}
		control.WriteJSON(w, http.StatusOK, job)
	})
	s.Handle("POST /_sandbox/onhand", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			PartNum       string  `json:"PartNum"`
			WarehouseCode string  `json:"WarehouseCode"`
			OnHandQty     float64 `json:"OnHandQty"`
		}
		if !control.ReadJSON(w, r, &in) {
			return
		}
		if err := s.SetOnHand(in.PartNum, in.WarehouseCode, in.OnHandQty); err != nil {
			control.WriteError(w, http.StatusNotFound, err.Error())
			return
		}
		control.WriteJSON(w, http.StatusOK, map[string]any{"PartNum": in.PartNum, "WarehouseCode": in.WarehouseCode,
			"OnHandQty": s.OnHand(in.PartNum, in.WarehouseCode)})
	})
	s.Handle("GET /_sandbox/notify", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.RLock()
		urls := s.notifyTargets()
		s.mu.RUnlock()
		control.WriteJSON(w, http.StatusOK, map[string]any{"urls": urls})
	})
	s.Handle("PUT /_sandbox/notify", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			URLs []string `json:"urls"`
		}
		if !control.ReadJSON(w, r, &in) {
			return
		}
		for i, u := range in.URLs {
			if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
				control.WriteError(w, http.StatusBadRequest, fmt.Sprintf("urls[%d]: %q is not an absolute http or https URL", i, u))
				return
			}
		}
		s.SetNotifyURLs(in.URLs)
		control.WriteJSON(w, http.StatusOK, map[string]any{"urls": in.URLs})
	})
}

// AddPart adds a part to the part master, as a planner would in Epicor (the
// REST API treats parts as read only). Fields not given take their blank
// defaults; a part that exists already is an error.
func (s *Server) AddPart(partNum, description string, fields odata.Row) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.st
	t := st.tables["Parts"]
	if _, ok := t.get([]any{st.company, partNum}); ok {
		return fmt.Errorf("epicor: add part: part %q exists", partNum)
	}
	r := t.set.blank(st.company)
	for k, v := range fields {
		r[k] = v
	}
	r["PartNum"], r["PartDescription"] = partNum, description
	st.add("Parts", r)
	return nil
}
