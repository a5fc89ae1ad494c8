package epicor

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/bridgework/bridgework/sandbox/odata"
)

// program names the server assembly of a service, as in error details.
func program(service string) string {
	return strings.Replace(strings.TrimSuffix(service, "Svc"), "Erp.BO.", "Erp.Services.BO.", 1) + ".dll"
}

// bizErr is a business-rule failure (400) on a field of es.
func bizErr(es *entitySet, field, format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typeBusiness, msg: fmt.Sprintf(format, args...),
		table: es.table, field: field, prog: program(es.service), method: "UpdateExt"}
}

func (s *Server) duplicate(es *entitySet, field, format string, args ...any) *apiError {
	e := bizErr(es, field, format, args...)
	e.status, e.typ = s.opts.DuplicateStatus, typeDuplicate
	return e
}

func deserialize(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, typ: typeOData, msg: "Unable to deserialize entity: " + fmt.Sprintf(format, args...)}
}

// readBody decodes a JSON object body.
func readBody(r *http.Request) (map[string]any, *apiError) {
	b, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return nil, deserialize("%v", err)
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, deserialize("the body is not a JSON object")
	}
	return m, nil
}

// apply copies body fields onto row with type conversion. Unknown fields
// fail like OData; read-only fields are ignored; keys only on create.
func apply(es *entitySet, row odata.Row, body map[string]any, creating bool, company string) *apiError {
	for k, v := range body {
		if strings.Contains(k, "@odata.") {
			continue
		}
		c, ok := es.byName[k]
		if !ok {
			return deserialize("The property '%s' does not exist on type '%s'.", k, es.entity.Name)
		}
		if c.readOnly {
			continue
		}
		cv, err := coerce(c, v)
		if err != nil {
			return deserialize("%s: %v", k, err)
		}
		isKey := false
		for _, key := range es.keys {
			isKey = isKey || key == k
		}
		if isKey && !creating && cv != row[k] {
			return bizErr(es, k, "%s is a key field and cannot be changed.", k)
		}
		row[k] = cv
	}
	if row["Company"] != company {
		return bizErr(es, "Company", "Company %v does not match the URL company %s.", row["Company"], company)
	}
	return nil
}

// writer holds the per-set validation and side effects of writes.
type writer struct {
	create func(s *Server, st *state, es *entitySet, row odata.Row, n *notes) *apiError
	update func(s *Server, st *state, es *entitySet, old, row odata.Row, n *notes) *apiError
	remove func(s *Server, st *state, es *entitySet, row odata.Row, n *notes)
	// added runs after a created row is stored, for side effects.
	added func(s *Server, st *state, es *entitySet, row odata.Row, n *notes)
}

// writerFor returns the rules of es when they allow the operation.
func writerFor(es *entitySet, verb string, allowed func(writer) bool) (writer, *apiError) {
	wr, ok := writers[es.name]
	if !ok || !es.writable || !allowed(wr) {
		return wr, &apiError{status: http.StatusMethodNotAllowed, typ: typeAPI,
			msg: fmt.Sprintf("%s rows cannot be %s through this service", es.name, verb)}
	}
	return wr, nil
}

func (s *Server) postEntity(w http.ResponseWriter, r *http.Request, c *call, es *entitySet) *apiError {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	var out odata.Row
	err = s.write(func(st *state, n *notes) *apiError {
		row := es.blank(c.company)
		if err := apply(es, row, body, true, c.company); err != nil {
			return err
		}
		if err := s.insertRow(st, es, row, n); err != nil {
			return err
		}
		out = s.render(st, es, row, &odata.Query{})
		return nil
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", c.base+"/"+es.name+"("+entityKey(es, out)+")")
	s.writeEntity(w, http.StatusCreated, c, es, out, &odata.Query{})
	return nil
}

// entityKey is the key predicate of a row as an entity URL carries it:
// strings quoted with ' doubled and percent-encoded, numbers plain.
func entityKey(es *entitySet, row odata.Row) string {
	parts := make([]string, len(es.keys))
	for i, k := range es.keys {
		if v, ok := row[k].(string); ok {
			parts[i] = "'" + url.PathEscape(strings.ReplaceAll(v, "'", "''")) + "'"
		} else {
			parts[i] = fmt.Sprint(row[k])
		}
	}
	return strings.Join(parts, ",")
}

// write runs fn under the write lock and sends the notifications it raised
// once unlocked.
func (s *Server) write(fn func(st *state, n *notes) *apiError) *apiError {
	var n notes
	s.mu.Lock()
	err := fn(s.st, &n)
	urls := s.notifyTargets()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	s.send(n, urls)
	return nil
}

// insertRow validates and stores a new row of es with its side effects.
func (s *Server) insertRow(st *state, es *entitySet, row odata.Row, n *notes) *apiError {
	wr, denied := writerFor(es, "created", func(w writer) bool { return w.create != nil })
	if denied != nil {
		return denied
	}
	if err := wr.create(s, st, es, row, n); err != nil {
		return err
	}
	if _, dup := st.tables[es.name].get(keyValues(es, row)); dup {
		return s.duplicate(es, es.keys[len(es.keys)-1], "A record with the key (%s) already exists in %s.", keyText(es, row), es.table)
	}
	st.add(es.name, row)
	if wr.added != nil {
		wr.added(s, st, es, row, n)
	}
	return nil
}

// updateRow applies body to the stored row with the given keys.
func (s *Server) updateRow(st *state, es *entitySet, keys []any, body map[string]any, company string, n *notes) *apiError {
	wr, denied := writerFor(es, "updated", func(w writer) bool { return w.update != nil })
	if denied != nil {
		return denied
	}
	old, found := st.tables[es.name].get(keys)
	if !found {
		return recordNotFound(es)
	}
	row := copyRow(old)
	if err := apply(es, row, body, false, company); err != nil {
		return err
	}
	if err := wr.update(s, st, es, old, row, n); err != nil {
		return err
	}
	for k, v := range row {
		old[k] = v
	}
	st.bump(old)
	return nil
}

// deleteRow removes the stored row with the given keys.
func (s *Server) deleteRow(st *state, es *entitySet, keys []any, n *notes) *apiError {
	wr, denied := writerFor(es, "deleted", func(w writer) bool { return w.remove != nil })
	if denied != nil {
		return denied
	}
	row, found := st.tables[es.name].get(keys)
	if !found {
		return recordNotFound(es)
	}
	wr.remove(s, st, es, row, n)
	st.tables[es.name].remove(row)
	return nil
}

func keyValues(es *entitySet, row odata.Row) []any {
	vals := make([]any, len(es.keys))
	for i, k := range es.keys {
		vals[i] = row[k]
	}
	return vals
}

func keyText(es *entitySet, row odata.Row) string {
	parts := make([]string, len(es.keys))
	for i, k := range es.keys {
		parts[i] = fmt.Sprintf("%s=%v", k, row[k])
	}
	return strings.Join(parts, ", ")
}

func (s *Server) patchEntity(w http.ResponseWriter, r *http.Request, c *call, es *entitySet, keys []any) *apiError {
	body, err := readBody(r)
	if err != nil {
		return err
	}
	if err := s.write(func(st *state, n *notes) *apiError { return s.updateRow(st, es, keys, body, c.company, n) }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) deleteEntity(w http.ResponseWriter, _ *call, es *entitySet, keys []any) *apiError {
	if err := s.write(func(st *state, n *notes) *apiError { return s.deleteRow(st, es, keys, n) }); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
