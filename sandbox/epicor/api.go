package epicor

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bridgework/bridgework/sandbox/control"
	"github.com/bridgework/bridgework/sandbox/odata"
)

// call is one parsed API request.
type call struct {
	v2      bool
	company string
	service string
	base    string // URL of the service, for @odata.context
	rest    []string
}

func notFoundAPI(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, typ: typeAPI, msg: fmt.Sprintf(format, args...)}
}

// segments splits the escaped path and unescapes each segment, so that an
// encoded "/" inside a key stays inside its segment.
func segments(r *http.Request) []string {
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	for i, p := range parts {
		if u, err := url.PathUnescape(p); err == nil {
			parts[i] = u
		}
	}
	return parts
}

// serveAPI routes /{instance}/TokenResource.svc, /{instance}/api/v2/odata/
// {company}/{service}/... and /{instance}/api/v1/{service}/....
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	segs := segments(r)
	if len(segs) < 2 || !strings.EqualFold(segs[0], s.opts.Instance) {
		s.writeError(w, notFoundAPI("No application is configured at %s", r.URL.Path))
		return
	}
	if segs[1] == "TokenResource.svc" && r.Method == http.MethodPost {
		s.token(w, r)
		return
	}
	c := &call{}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	switch {
	case len(segs) >= 6 && segs[1] == "api" && segs[2] == "v2" && segs[3] == "odata":
		c.v2, c.company, c.service, c.rest = true, segs[4], segs[5], segs[6:]
		c.base = fmt.Sprintf("%s://%s/%s/api/v2/odata/%s/%s", scheme, r.Host, segs[0], c.company, c.service)
	case len(segs) >= 4 && segs[1] == "api" && segs[2] == "v1":
		c.company, c.service, c.rest = s.Company(), segs[3], segs[4:]
		var cs struct{ Company string }
		if json.Unmarshal([]byte(r.Header.Get("CallSettings")), &cs) == nil && cs.Company != "" {
			c.company = cs.Company
		}
		c.base = fmt.Sprintf("%s://%s/%s/api/v1/%s", scheme, r.Host, segs[0], c.service)
	default:
		s.writeError(w, notFoundAPI("The requested resource %s was not found", r.URL.Path))
		return
	}
	if err := s.authenticate(r, c.v2); err != nil {
		s.writeError(w, err)
		return
	}
	if c.company != s.Company() {
		s.writeError(w, &apiError{status: http.StatusBadRequest, typ: typeBusiness, msg: fmt.Sprintf("Company %s is not valid for this user.", c.company)})
		return
	}
	sets, ok := s.schema.services[c.service]
	if !ok {
		s.writeError(w, notFoundAPI("Service %s was not found", c.service))
		return
	}
	if err := s.dispatch(w, r, c, sets); err != nil {
		s.writeError(w, err)
	}
}

func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, c *call, sets []*entitySet) *apiError {
	if len(c.rest) == 0 || c.rest[0] == "" {
		return s.serviceDocument(w, c, sets)
	}
	if c.rest[0] == "$metadata" {
		return s.metadata(w, sets)
	}
	name, keyText, hasKey := strings.Cut(c.rest[0], "(")
	var es *entitySet
	for _, x := range sets {
		if x.name == name {
			es = x
		}
	}
	if es == nil {
		if len(c.rest) == 1 && !hasKey {
			return s.method(w, r, c, name)
		}
		return notFoundAPI("Entity set %s was not found in %s", name, c.service)
	}
	if !hasKey {
		switch {
		case len(c.rest) == 2 && c.rest[1] == "$count" && r.Method == http.MethodGet:
			return s.count(w, r, es)
		case len(c.rest) > 1:
			return notFoundAPI("The requested resource %s was not found", r.URL.Path)
		case r.Method == http.MethodGet:
			return s.readCollection(w, r, c, es, nil)
		case r.Method == http.MethodPost:
			return s.postEntity(w, r, c, es)
		}
		return methodNotAllowed(r)
	}
	keys, err := parseKeys(strings.TrimSuffix(keyText, ")"), es, c.company)
	if err != nil {
		return err
	}
	if len(c.rest) == 2 {
		nv, ok := es.navs[c.rest[1]]
		if !ok || r.Method != http.MethodGet {
			return notFoundAPI("The requested resource %s was not found", r.URL.Path)
		}
		s.mu.RLock()
		parent, found := s.st.tables[es.name].get(keys)
		s.mu.RUnlock()
		if !found {
			return recordNotFound(es)
		}
		return s.readCollection(w, r, c, s.schema.sets[nv.set], link(nv, parent))
	}
	switch r.Method {
	case http.MethodGet:
		return s.readEntity(w, r, c, es, keys)
	case http.MethodPatch, http.MethodPut, "MERGE":
		return s.patchEntity(w, r, c, es, keys)
	case http.MethodDelete:
		return s.deleteEntity(w, c, es, keys)
	}
	return methodNotAllowed(r)
}

func methodNotAllowed(r *http.Request) *apiError {
	return &apiError{status: http.StatusMethodNotAllowed, typ: typeAPI, msg: fmt.Sprintf("The HTTP method %s is not allowed here", r.Method)}
}

func recordNotFound(es *entitySet) *apiError {
	return &apiError{status: http.StatusNotFound, typ: typeNotFound, msg: "Record not found.", table: es.table}
}

// link returns the field values a child row must share with parent.
func link(nv nav, parent odata.Row) map[string]any {
	m := map[string]any{}
	for _, f := range nv.fields {
		m[f] = parent[f]
	}
	return m
}

// parseKeys reads "'EPIC06',5012" or "Company='EPIC06',OrderNum=5012".
// Positional keys may leave out the leading Company.
func parseKeys(text string, es *entitySet, company string) ([]any, *apiError) {
	bad := func(msg string) *apiError {
		return &apiError{status: http.StatusBadRequest, typ: typeOData, msg: fmt.Sprintf("Bad key (%s) for %s: %s", text, es.name, msg)}
	}
	parts := splitKeys(text)
	named := map[string]string{}
	var positional []string
	for _, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok && !strings.HasPrefix(strings.TrimSpace(p), "'") {
			named[strings.TrimSpace(k)] = v
		} else {
			positional = append(positional, p)
		}
	}
	if len(named) > 0 && len(positional) > 0 {
		return nil, bad("mixes named and positional values")
	}
	if len(positional) == len(es.keys)-1 {
		positional = append([]string{"'" + company + "'"}, positional...)
	}
	vals := make([]any, len(es.keys))
	for i, k := range es.keys {
		raw, ok := named[k]
		if len(named) == 0 {
			if len(positional) != len(es.keys) {
				return nil, bad(fmt.Sprintf("expected %d key values (%s)", len(es.keys), strings.Join(es.keys, ", ")))
			}
			raw, ok = positional[i], true
		}
		if !ok {
			return nil, bad("missing key " + k)
		}
		v, err := keyLiteral(strings.TrimSpace(raw), es.byName[k])
		if err != nil {
			return nil, bad(err.Error())
		}
		vals[i] = v
	}
	return vals, nil
}

func splitKeys(s string) []string {
	var out []string
	quoted, start := false, 0
	for i, c := range s {
		switch {
		case c == '\'':
			quoted = !quoted
		case c == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func keyLiteral(raw string, c column) (any, error) {
	if c.typ == 's' {
		if len(raw) >= 2 && raw[0] == '\'' && raw[len(raw)-1] == '\'' {
			return strings.ReplaceAll(raw[1:len(raw)-1], "''", "'"), nil
		}
		return raw, nil // v1 clients send unquoted strings
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s must be an integer, got %s", c.name, raw)
	}
	return n, nil
}

// rawQuery parses a query string splitting only on "&": OData nests
// options with ";" (for example $expand=PartWhses($select=A;$top=5)),
// which url.ParseQuery refuses.
func rawQuery(raw string) url.Values {
	v := url.Values{}
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if uv, err := url.QueryUnescape(val); err == nil {
			val = uv
		}
		v.Add(k, val)
	}
	return v
}

func (s *Server) query(r *http.Request, es *entitySet) (*odata.Query, *apiError) {
	q, err := odata.Parse(rawQuery(r.URL.RawQuery), es.entity, !s.opts.CaseSensitiveFilters)
	if err != nil {
		return nil, &apiError{status: http.StatusBadRequest, typ: typeOData, msg: err.Error()}
	}
	return q, nil
}

// render projects a row and attaches its expansions.
func (s *Server) render(st *state, es *entitySet, row odata.Row, q *odata.Query) odata.Row {
	out := copyRow(q.Project(row))
	for _, ex := range q.Expand {
		nv := es.navs[ex.Nav]
		child := s.schema.sets[nv.set]
		rows, _ := ex.Query.Apply(st.tables[nv.set].where(link(nv, row)), 0)
		list := make([]odata.Row, 0, len(rows))
		for _, cr := range rows {
			list = append(list, s.render(st, child, cr, ex.Query))
		}
		out[ex.Nav] = list
	}
	return out
}

func contextURL(c *call, es *entitySet, q *odata.Query, suffix string) (string, string) {
	sel := ""
	if len(q.Select) > 0 {
		sel = "(" + strings.Join(q.Select, ",") + ")"
	}
	if c.v2 {
		return "@odata.context", c.base + "/$metadata#" + es.name + sel + suffix
	}
	return "odata.metadata", c.base + "/$metadata#" + es.name + suffix
}

func (s *Server) readCollection(w http.ResponseWriter, r *http.Request, c *call, es *entitySet, where map[string]any) *apiError {
	q, err := s.query(r, es)
	if err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	rows, count := q.Apply(s.st.tables[es.name].where(where), max(s.opts.MaxRows, 0))
	value := make([]odata.Row, 0, len(rows))
	for _, row := range rows {
		value = append(value, s.render(s.st, es, row, q))
	}
	k, ctx := contextURL(c, es, q, "")
	body := map[string]any{k: ctx, "value": value}
	if q.Count {
		if c.v2 {
			body["@odata.count"] = count
		} else {
			body["odata.count"] = strconv.Itoa(count)
		}
	}
	control.WriteJSON(w, http.StatusOK, body)
	return nil
}

func (s *Server) count(w http.ResponseWriter, r *http.Request, es *entitySet) *apiError {
	q, err := s.query(r, es)
	if err != nil {
		return err
	}
	s.mu.RLock()
	_, n := q.Apply(s.st.tables[es.name].rows, 0)
	s.mu.RUnlock()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, n)
	return nil
}

func (s *Server) readEntity(w http.ResponseWriter, r *http.Request, c *call, es *entitySet, keys []any) *apiError {
	q, err := s.query(r, es)
	if err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	row, ok := s.st.tables[es.name].get(keys)
	if !ok {
		return recordNotFound(es)
	}
	s.writeEntity(w, http.StatusOK, c, es, s.render(s.st, es, row, q), q)
	return nil
}

func (s *Server) writeEntity(w http.ResponseWriter, status int, c *call, es *entitySet, row odata.Row, q *odata.Query) {
	k, ctx := contextURL(c, es, q, "/$entity")
	if !c.v2 {
		k, ctx = contextURL(c, es, q, "/@Element")
	}
	row[k] = ctx
	control.WriteJSON(w, status, row)
}

func (s *Server) serviceDocument(w http.ResponseWriter, c *call, sets []*entitySet) *apiError {
	value := []map[string]string{}
	for _, es := range sets {
		value = append(value, map[string]string{"name": es.name, "kind": "EntitySet", "url": es.name})
	}
	control.WriteJSON(w, http.StatusOK, map[string]any{"@odata.context": c.base + "/$metadata", "value": value})
	return nil
}

// metadata answers a small CSDL document naming the entity sets and fields.
func (s *Server) metadata(w http.ResponseWriter, sets []*entitySet) *apiError {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="Erp.Tablesets" xmlns="http://docs.oasis-open.org/odata/ns/edm">`)
	for _, es := range sets {
		fmt.Fprintf(&b, `<EntityType Name="%sRow"><Key>`, es.table)
		for _, k := range es.keys {
			fmt.Fprintf(&b, `<PropertyRef Name="%s"/>`, k)
		}
		b.WriteString(`</Key>`)
		for _, col := range es.columns {
			fmt.Fprintf(&b, `<Property Name="%s" Type="%s"/>`, col.name, col.typ.edm())
		}
		b.WriteString(`</EntityType>`)
	}
	b.WriteString(`<EntityContainer Name="Container">`)
	for _, es := range sets {
		fmt.Fprintf(&b, `<EntitySet Name="%s" EntityType="Erp.Tablesets.%sRow"/>`, es.name, es.table)
	}
	b.WriteString(`</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`)
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	io.WriteString(w, b.String())
	return nil
}
