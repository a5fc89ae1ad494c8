package epicor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bridgework/bridgework/sandbox/control"
	"github.com/bridgework/bridgework/sandbox/odata"
)

// getByID describes the GetByID method of a service: the header set, the
// parameter naming its last key, and the child sets returned with it.
var getByID = map[string]struct {
	set, param string
	children   []string
}{
	"Erp.BO.SalesOrderSvc": {"SalesOrders", "orderNum", []string{"OrderDtls", "OrderRels"}},
	"Erp.BO.CustomerSvc":   {"Customers", "custNum", []string{"ShipToes"}},
	"Erp.BO.PartSvc":       {"Parts", "partNum", []string{"PartWhses"}},
	"Erp.BO.JobEntrySvc":   {"JobEntries", "jobNum", nil},
}

// method answers POST (or GET) /{service}/{Method}. Only GetByID is
// simulated; it returns the tableset under returnObj.
func (s *Server) method(w http.ResponseWriter, r *http.Request, c *call, name string) *apiError {
	def, ok := getByID[c.service]
	if name != "GetByID" || !ok {
		return notFoundAPI("Method %s was not found in %s", name, c.service)
	}
	params := map[string]any{}
	if r.Method == http.MethodPost {
		body, err := readBody(r)
		if err != nil {
			return err
		}
		params = body
	} else {
		for k := range r.URL.Query() {
			params[k] = r.URL.Query().Get(k)
		}
	}
	raw, ok := params[def.param]
	if !ok {
		return &apiError{status: http.StatusBadRequest, typ: typeAPI, msg: fmt.Sprintf("Parameter %s is required.", def.param)}
	}
	es := s.schema.sets[def.set]
	last := es.byName[es.keys[len(es.keys)-1]]
	key, err := methodParam(raw, last)
	if err != nil {
		return &apiError{status: http.StatusBadRequest, typ: typeAPI, msg: fmt.Sprintf("Parameter %s: %v", def.param, err)}
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	head, found := s.st.tables[def.set].get([]any{c.company, key})
	if !found {
		return recordNotFound(es)
	}
	ds := map[string][]odata.Row{es.table: {copyRow(head)}}
	for _, child := range def.children {
		cs := s.schema.sets[child]
		rows := []odata.Row{}
		for _, row := range s.st.tables[child].where(link(es.navs[child], head)) {
			rows = append(rows, copyRow(row))
		}
		ds[cs.table] = rows
	}
	control.WriteJSON(w, http.StatusOK, map[string]any{"returnObj": ds})
	return nil
}

func methodParam(raw any, col column) (any, error) {
	if col.typ == 's' {
		if s, ok := raw.(string); ok {
			return s, nil
		}
		return nil, fmt.Errorf("expected a string")
	}
	switch v := raw.(type) {
	case json.Number:
		return v.Int64()
	case string:
		return strconv.ParseInt(v, 10, 64)
	}
	return nil, fmt.Errorf("expected an integer")
}
