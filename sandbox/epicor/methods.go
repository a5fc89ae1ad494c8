package epicor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bridgework/bridgework/sandbox/control"
	"github.com/bridgework/bridgework/sandbox/odata"
)

// tableset is a method "ds": table name (OrderHed, OrderDtl, ...) to rows.
type tableset map[string][]map[string]any

// methodFunc runs one business-object method with its JSON parameters and
// returns the answer body.
type methodFunc func(s *Server, c *call, params map[string]any) (any, *apiError)

// methods lists the simulated methods per service.
var methods = map[string]map[string]methodFunc{
	"Erp.BO.SalesOrderSvc": {
		"GetByID":        getByID("SalesOrders", "orderNum", "OrderDtls", "OrderRels"),
		"GetNewOrderHed": getNew("SalesOrders", nil), "GetNewOrderDtl": getNew("OrderDtls", []string{"orderNum", "OrderNum"}),
		"ChangePartNumMaster": changePartNum, "ChangeSellingQtyMaster": changeSellingQty,
		"Update": update, "MasterUpdate": update,
	},
	"Erp.BO.CustomerSvc": {
		"GetByID": getByID("Customers", "custNum", "ShipToes"), "GetNewCustomer": getNew("Customers", nil), "Update": update,
	},
	"Erp.BO.PartSvc":     {"GetByID": getByID("Parts", "partNum", "PartWhses")},
	"Erp.BO.JobEntrySvc": {"GetByID": getByID("JobEntries", "jobNum")},
}

// method answers POST (or GET with query parameters) /{service}/{Method}.
func (s *Server) method(w http.ResponseWriter, r *http.Request, c *call, name string) *apiError {
	fn, ok := methods[c.service][name]
	if !ok {
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
	out, err := fn(s, c, params)
	if err != nil {
		return err
	}
	control.WriteJSON(w, http.StatusOK, out)
	return nil
}

func badParam(name, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typeAPI, msg: fmt.Sprintf("Parameter %s: ", name) + fmt.Sprintf(format, args...)}
}

// getByID returns the header row with its children under returnObj.
func getByID(set, param string, children ...string) methodFunc {
	return func(s *Server, c *call, params map[string]any) (any, *apiError) {
		es := s.schema.sets[set]
		raw, ok := params[param]
		if !ok {
			return nil, badParam(param, "is required")
		}
		key, err := methodParam(raw, es.byName[es.keys[len(es.keys)-1]])
		if err != nil {
			return nil, badParam(param, "%v", err)
		}
		s.mu.RLock()
		defer s.mu.RUnlock()
		head, found := s.st.tables[set].get([]any{c.company, key})
		if !found {
			return nil, recordNotFound(es)
		}
		ds := map[string][]odata.Row{es.table: {copyRow(head)}}
		for _, child := range children {
			rows := []odata.Row{}
			for _, row := range s.st.tables[child].where(link(es.navs[child], head)) {
				rows = append(rows, copyRow(row))
			}
			ds[s.schema.sets[child].table] = rows
		}
		return map[string]any{"returnObj": ds}, nil
	}
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

// readDS reads the "ds" parameter.
func readDS(params map[string]any) (tableset, *apiError) {
	raw, ok := params["ds"].(map[string]any)
	if !ok {
		return nil, badParam("ds", "must be a tableset object")
	}
	ds := tableset{}
	for table, v := range raw {
		list, ok := v.([]any)
		if !ok {
			return nil, badParam("ds", "table %s must be an array of rows", table)
		}
		for i, x := range list {
			row, ok := x.(map[string]any)
			if !ok {
				return nil, badParam("ds", "%s[%d] must be an object", table, i)
			}
			ds[table] = append(ds[table], row)
		}
	}
	return ds, nil
}

func withDS(ds tableset) map[string]any {
	return map[string]any{"parameters": map[string]any{"ds": ds}}
}

// getNew appends a defaulted row with RowMod "A" to the ds; link names a
// method parameter copied into a field (orderNum → OrderNum).
func getNew(set string, link []string) methodFunc {
	return func(s *Server, c *call, params map[string]any) (any, *apiError) {
		ds, err := readDS(params)
		if err != nil {
			return nil, err
		}
		es := s.schema.sets[set]
		row := es.blank(c.company)
		if link != nil {
			v, ok := params[link[0]]
			if !ok {
				return nil, badParam(link[0], "is required")
			}
			cv, cerr := coerce(es.byName[link[1]], v)
			if cerr != nil {
				return nil, badParam(link[0], "%v", cerr)
			}
			row[link[1]] = cv
		}
		row["RowMod"] = "A"
		s.mu.RLock()
		if set == "SalesOrders" {
			row["OrderDate"], row["Plant"], row["CurrencyCode"] = s.st.today(), s.st.plant, "USD"
		}
		s.mu.RUnlock()
		ds[es.table] = append(ds[es.table], row)
		return withDS(ds), nil
	}
}

// activeLine reads the ds and returns it with its last OrderDtl row being
// added or changed.
func activeLine(params map[string]any) (tableset, map[string]any, *apiError) {
	ds, err := readDS(params)
	if err != nil {
		return nil, nil, err
	}
	lines := ds["OrderDtl"]
	for i := len(lines) - 1; i >= 0; i-- {
		if m := lines[i]["RowMod"]; m == "A" || m == "U" {
			return ds, lines[i], nil
		}
	}
	return nil, nil, badParam("ds", "has no OrderDtl row with RowMod A or U")
}

// changePartNum sets the part of the active line and defaults its
// description, units and price from the part master.
func changePartNum(s *Server, c *call, params map[string]any) (any, *apiError) {
	ds, line, err := activeLine(params)
	if err != nil {
		return nil, err
	}
	partNum, _ := params["partNum"].(string)
	s.mu.RLock()
	part, ok := s.st.tables["Parts"].get([]any{c.company, partNum})
	s.mu.RUnlock()
	if !ok {
		if !s.opts.AllowUnknownParts {
			return nil, invalidPart(s.schema.sets["OrderDtls"], partNum)
		}
		line["PartNum"] = partNum
		return withDS(ds), nil
	}
	line["PartNum"], line["LineDesc"], line["IUM"], line["SalesUM"] = partNum, part["PartDescription"], part["IUM"], part["SalesUM"]
	line["ProdCode"], line["UnitPrice"], line["DocUnitPrice"] = part["ProdCode"], part["UnitPrice"], part["UnitPrice"]
	return withDS(ds), nil
}

// changeSellingQty sets the quantity of the active line.
func changeSellingQty(_ *Server, _ *call, params map[string]any) (any, *apiError) {
	ds, line, err := activeLine(params)
	if err != nil {
		return nil, err
	}
	q, cerr := coerce(column{name: "ipSellingQuantity", typ: 'n'}, params["ipSellingQuantity"])
	if cerr != nil {
		return nil, badParam("ipSellingQuantity", "%v", cerr)
	}
	line["SellingQuantity"], line["OrderQty"] = q, q
	return withDS(ds), nil
}

// update saves every row of the ds by its RowMod (A add, U update, D
// delete), headers before lines, all or nothing. Lines added with
// OrderNum 0 join the order added in the same call.
func update(s *Server, c *call, params map[string]any) (any, *apiError) {
	ds, err := readDS(params)
	if err != nil {
		return nil, err
	}
	var n notes
	s.mu.Lock()
	st := s.st.clone()
	var newOrder any
	out := tableset{}
	for _, es := range s.schema.services[c.service] {
		for _, row := range ds[es.table] {
			body := map[string]any{}
			for k, v := range row {
				if k != "RowMod" {
					body[k] = v
				}
			}
			var saved odata.Row
			switch mod, _ := row["RowMod"].(string); mod {
			case "A":
				saved = es.blank(c.company)
				if err = apply(es, saved, body, true, c.company); err != nil {
					break
				}
				if es.table == "OrderDtl" && saved["OrderNum"] == int64(0) && newOrder != nil {
					saved["OrderNum"] = newOrder
				}
				if err = s.insertRow(st, es, saved, &n); err == nil && es.table == "OrderHed" {
					newOrder = saved["OrderNum"]
				}
			case "U", "D":
				keys := make([]any, len(es.keys))
				for i, k := range es.keys {
					v, cerr := coerce(es.byName[k], row[k])
					if cerr != nil {
						err = deserialize("%s.%s: %v", es.table, k, cerr)
						break
					}
					keys[i] = v
				}
				if err != nil {
					break
				}
				if mod == "D" {
					err = s.deleteRow(st, es, keys, &n)
				} else if err = s.updateRow(st, es, keys, body, c.company, &n); err == nil {
					saved, _ = st.tables[es.name].get(keys)
				}
			default:
				out[es.table] = append(out[es.table], row)
				continue
			}
			if err != nil {
				s.mu.Unlock()
				return nil, err
			}
			if saved != nil {
				out[es.table] = append(out[es.table], copyRow(saved))
			}
		}
	}
	s.st = st
	urls := s.notifyTargets()
	s.mu.Unlock()
	s.send(n, urls)
	return withDS(out), nil
}
