package odata

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Entity describes an entity set's fields and navigation properties, for
// checking query options.
type Entity struct {
	Name   string
	Fields map[string]bool
	Navs   map[string]*Entity
}

// Order is one $orderby term.
type Order struct {
	Field string
	Desc  bool
}

// Expand is one $expand item with its nested options.
type Expand struct {
	Nav    string
	Entity *Entity
	Query  *Query
}

// Query holds parsed query options.
type Query struct {
	Filter  *Filter
	Select  []string
	OrderBy []Order
	Top     int // -1 when absent
	Skip    int
	Count   bool
	Expand  []Expand
	ci      bool
}

// Parse reads the $ options from a URL query (v4 $count=true and v3
// $inlinecount=allpages both set Count).
func Parse(v url.Values, e *Entity, caseInsensitive bool) (*Query, error) {
	opts := map[string]string{}
	for k := range v {
		if strings.HasPrefix(k, "$") {
			opts[k] = v.Get(k)
		}
	}
	return parseOptions(opts, e, caseInsensitive)
}

func parseOptions(opts map[string]string, e *Entity, ci bool) (*Query, error) {
	q := &Query{Top: -1, ci: ci}
	known := func(f string) bool { return e.Fields[f] }
	for k, val := range opts {
		var err error
		switch k {
		case "$filter":
			q.Filter, err = ParseFilter(val, known, ci)
		case "$select":
			for _, f := range splitTop(val, ',') {
				if f = strings.TrimSpace(f); f != "*" && !known(f) {
					return nil, errorf(k, "Could not find a property named '%s' on type '%s'", f, e.Name)
				}
				q.Select = append(q.Select, strings.TrimSpace(f))
			}
		case "$orderby":
			for _, term := range splitTop(val, ',') {
				parts := strings.Fields(term)
				if len(parts) == 0 || len(parts) > 2 || !known(parts[0]) ||
					(len(parts) == 2 && parts[1] != "asc" && parts[1] != "desc") {
					return nil, errorf(k, "invalid order term '%s' on type '%s'", strings.TrimSpace(term), e.Name)
				}
				q.OrderBy = append(q.OrderBy, Order{Field: parts[0], Desc: len(parts) == 2 && parts[1] == "desc"})
			}
		case "$top":
			q.Top, err = nonNegative(k, val)
		case "$skip":
			q.Skip, err = nonNegative(k, val)
		case "$count":
			if val != "true" && val != "false" {
				return nil, errorf(k, "'%s' is not true or false", val)
			}
			q.Count = val == "true"
		case "$inlinecount":
			q.Count = val == "allpages"
		case "$expand":
			err = q.parseExpand(val, e, ci)
		case "$format", "$metadata":
		default:
			return nil, errorf(k, "the query option '%s' is not supported", k)
		}
		if err != nil {
			return nil, err
		}
	}
	return q, nil
}

func nonNegative(option, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errorf(option, "'%s' is not a non-negative integer", v)
	}
	return n, nil
}

// parseExpand reads Nav or Nav($select=..;$filter=..;$top=..) items.
func (q *Query) parseExpand(val string, e *Entity, ci bool) error {
	for _, item := range splitTop(val, ',') {
		item = strings.TrimSpace(item)
		name, inner, hasOpts := strings.Cut(item, "(")
		child, ok := e.Navs[name]
		if !ok {
			return errorf("$expand", "Could not find a navigation property named '%s' on type '%s'", name, e.Name)
		}
		opts := map[string]string{}
		if hasOpts {
			if !strings.HasSuffix(inner, ")") {
				return errorf("$expand", "missing ')' after options of '%s'", name)
			}
			for _, o := range splitTop(strings.TrimSuffix(inner, ")"), ';') {
				k, v, ok := strings.Cut(o, "=")
				if !ok {
					return errorf("$expand", "option '%s' of '%s' has no value", o, name)
				}
				opts[strings.TrimSpace(k)] = v
			}
		}
		sub, err := parseOptions(opts, child, ci)
		if err != nil {
			return err
		}
		q.Expand = append(q.Expand, Expand{Nav: name, Entity: child, Query: sub})
	}
	return nil
}

// splitTop splits s at sep outside parentheses and quotes.
func splitTop(s string, sep rune) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i, c := range s {
		switch {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if strings.TrimSpace(s[start:]) != "" || len(out) > 0 {
		out = append(out, s[start:])
	}
	return out
}

// Apply filters, orders and pages rows. It returns the page and the count
// of rows that passed the filter (for $count). limit caps the page when
// $top is absent (0 means no cap).
func (q *Query) Apply(rows []Row, limit int) ([]Row, int) {
	kept := make([]Row, 0, len(rows))
	for _, r := range rows {
		if q.Filter.Match(r) {
			kept = append(kept, r)
		}
	}
	ci := q.ci
	if len(q.OrderBy) > 0 {
		sort.SliceStable(kept, func(i, j int) bool {
			for _, o := range q.OrderBy {
				a, b := kept[i][o.Field], kept[j][o.Field]
				if a == nil || b == nil {
					if (a == nil) != (b == nil) {
						return (a == nil) != o.Desc // nulls first ascending, as SQL Server
					}
					continue
				}
				if c, _ := Compare(a, b, ci); c != 0 {
					return (c < 0) != o.Desc
				}
			}
			return false
		})
	}
	count := len(kept)
	start := min(q.Skip, count)
	end := count
	top := q.Top
	if top < 0 && limit > 0 {
		top = limit
	}
	if top >= 0 {
		end = min(start+top, count)
	}
	return kept[start:end], count
}

// Project keeps the $select fields of row (all fields when none or "*").
func (q *Query) Project(row Row) Row {
	if len(q.Select) == 0 {
		return row
	}
	out := Row{}
	for _, f := range q.Select {
		if f == "*" {
			for k, v := range row {
				out[k] = v
			}
			continue
		}
		out[f] = row[f]
	}
	return out
}
