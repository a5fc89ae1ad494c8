package heartland

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// cond reports whether a record passes a filter.
type cond func(record) bool

// query is a parsed collection request.
type query struct {
	filters  []cond
	sort     []sortKey
	page     int
	perPage  int // 0 means all
	only     []string
	includes []string
	text     string
}

type sortKey struct {
	field string
	desc  bool
}

// reserved names the query parameters that are not plain equality filters.
var reserved = map[string]bool{
	"page": true, "per_page": true, "sort": true, "sort[]": true, "_only[]": true, "_include[]": true,
	"_filter": true, "_filter[]": true, "query": true, "group[]": true, "exclude_empty_locations": true,
}

// badRequest is an invalid_request error naming what is wrong.
type badRequest string

func (b badRequest) Error() string { return string(b) }

// parseQuery reads paging, sorting, field selection and every filter
// spelling the reference lists (_filter as object or array, repeated
// _filter[], Rack-nested _filter[field][$op], the ~[field][$op] shorthand
// and plain field=value).
func parseQuery(v url.Values, t *table, maxPerPage int) (*query, error) {
	q := &query{page: 1, perPage: 20, only: v["_only[]"], includes: v["_include[]"], text: v.Get("query")}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return nil, badRequest(fmt.Sprintf("page: %q is not a positive integer", p))
		}
		q.page = n
	}
	if p := v.Get("per_page"); p == "all" {
		q.perPage = 0
	} else if p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return nil, badRequest(fmt.Sprintf("per_page: %q is not a positive integer or \"all\"", p))
		}
		q.perPage = min(n, maxPerPage)
	}
	for _, s := range append(v["sort[]"], v["sort"]...) {
		field, dir, _ := strings.Cut(s, ",")
		if !t.known(field) {
			return nil, badRequest(fmt.Sprintf("sort: unknown field %q", field))
		}
		q.sort = append(q.sort, sortKey{field: field, desc: strings.EqualFold(strings.TrimSpace(dir), "desc")})
	}
	var raw []any
	for _, s := range append(v["_filter"], v["_filter[]"]...) {
		var f any
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&f); err != nil {
			return nil, badRequest(fmt.Sprintf("_filter: not valid JSON: %v", err))
		}
		raw = append(raw, normalize(f))
	}
	nested := map[string]any{}
	for key, vals := range v {
		switch {
		case strings.HasPrefix(key, "_filter[") && key != "_filter[]", strings.HasPrefix(key, "~["):
			setNested(nested, bracketPath(strings.TrimPrefix(strings.TrimPrefix(key, "_filter"), "~")), vals[0])
		case !reserved[key] && t.known(key):
			raw = append(raw, map[string]any{key: vals[0]})
		}
	}
	if len(nested) > 0 {
		raw = append(raw, nested)
	}
	for _, f := range raw {
		c, err := compileFilter(f, t)
		if err != nil {
			return nil, err
		}
		q.filters = append(q.filters, c)
	}
	return q, nil
}

var bracketRE = regexp.MustCompile(`\[([^\]]*)\]`)

func bracketPath(s string) []string {
	var out []string
	for _, m := range bracketRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func setNested(m map[string]any, path []string, v string) {
	for i, p := range path {
		if i == len(path)-1 {
			m[p] = v
			return
		}
		next, ok := m[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[p] = next
		}
		m = next
	}
}

// compileFilter turns one _filter value into a condition.
func compileFilter(f any, t *table) (cond, error) {
	switch f := f.(type) {
	case []any:
		return compileAll(f, t, true)
	case map[string]any:
		var conds []cond
		for key, val := range f {
			var c cond
			var err error
			switch key {
			case "$and", "$or":
				list, ok := val.([]any)
				if !ok {
					return nil, badRequest(fmt.Sprintf("_filter: %s takes an array", key))
				}
				c, err = compileAll(list, t, key == "$and")
			default:
				c, err = compileField(key, val, t)
			}
			if err != nil {
				return nil, err
			}
			conds = append(conds, c)
		}
		return allOf(conds), nil
	}
	return nil, badRequest("_filter: expected a JSON object or array")
}

func compileAll(list []any, t *table, and bool) (cond, error) {
	conds := make([]cond, 0, len(list))
	for _, item := range list {
		c, err := compileFilter(item, t)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	if and {
		return allOf(conds), nil
	}
	return func(r record) bool {
		for _, c := range conds {
			if c(r) {
				return true
			}
		}
		return false
	}, nil
}

func allOf(conds []cond) cond {
	return func(r record) bool {
		for _, c := range conds {
			if !c(r) {
				return false
			}
		}
		return true
	}
}

func compileField(field string, val any, t *table) (cond, error) {
	if !t.filterable(field) {
		return nil, badRequest(fmt.Sprintf("_filter: field %q cannot be filtered on %s", field, t.name))
	}
	ops, isOps := val.(map[string]any)
	if !isOps || !hasOperator(ops) {
		return func(r record) bool { return equal(r.get(field), val) }, nil
	}
	var conds []cond
	for op, arg := range ops {
		c, err := compileOp(field, op, arg)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
	}
	return allOf(conds), nil
}

func hasOperator(m map[string]any) bool {
	for k := range m {
		if strings.HasPrefix(k, "$") {
			return true
		}
	}
	return false
}

func compileOp(field, op string, arg any) (cond, error) {
	cmp := func(ok func(int) bool) cond {
		return func(r record) bool {
			n, comparable := compare(r.get(field), arg)
			return comparable && ok(n)
		}
	}
	switch op {
	case "$eq":
		return func(r record) bool { return equal(r.get(field), arg) }, nil
	case "$neq", "$ne":
		return func(r record) bool { return !equal(r.get(field), arg) }, nil
	case "$gt":
		return cmp(func(n int) bool { return n > 0 }), nil
	case "$gte":
		return cmp(func(n int) bool { return n >= 0 }), nil
	case "$lt":
		return cmp(func(n int) bool { return n < 0 }), nil
	case "$lte":
		return cmp(func(n int) bool { return n <= 0 }), nil
	case "$in", "$nin":
		list, ok := arg.([]any)
		if !ok {
			return nil, badRequest(fmt.Sprintf("_filter: %s on %q takes an array", op, field))
		}
		want := op == "$in"
		return func(r record) bool {
			v := r.get(field)
			for _, x := range list {
				if equal(v, x) {
					return want
				}
			}
			return !want
		}, nil
	case "$like":
		s, ok := arg.(string)
		if !ok {
			return nil, badRequest(fmt.Sprintf("_filter: $like on %q takes a string", field))
		}
		re := likePattern(s)
		return func(r record) bool {
			v, ok := r.get(field).(string)
			return ok && re.MatchString(v)
		}, nil
	}
	return nil, badRequest(fmt.Sprintf("_filter: unknown operator %q on %q", op, field))
}

// likePattern turns a SQL LIKE pattern (% and _) into a case-insensitive regexp.
func likePattern(s string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range s {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// number converts JSON-ish numbers (and numeric strings) to float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	case string:
		f, err := strconv.ParseFloat(n, 64)
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

func timeOf(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok || len(s) < 10 {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// compare orders a against b: numbers numerically, timestamps in time order,
// other values as text. It reports false when either side is null.
func compare(a, b any) (int, bool) {
	if a == nil || b == nil {
		return 0, false
	}
	_, aStr := a.(string)
	_, bStr := b.(string)
	if x, ok := number(a); ok && !aStr || ok && !bStr {
		if y, ok := number(b); ok {
			switch {
			case x < y:
				return -1, true
			case x > y:
				return 1, true
			}
			return 0, true
		}
	}
	if x, ok := timeOf(a); ok {
		if y, ok := timeOf(b); ok {
			return x.Compare(y), true
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)), true
}

// equal is filter equality: numbers and numeric strings compare by value,
// booleans also match "true"/"false", strings compare exactly.
func equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if ab, ok := a.(bool); ok {
		return fmt.Sprint(ab) == fmt.Sprint(b)
	}
	n, ok := compare(a, b)
	return ok && n == 0
}

func sortRecords(rows []record, keys []sortKey) {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, k := range keys {
			a, b := rows[i].get(k.field), rows[j].get(k.field)
			if a == nil || b == nil {
				if (a == nil) != (b == nil) {
					return b == nil // nulls last
				}
				continue
			}
			n, _ := compare(a, b)
			if n != 0 {
				return (n < 0) != k.desc
			}
		}
		return false
	})
}

func matchesText(r record, text string, fields []string) bool {
	text = strings.ToLower(text)
	for _, f := range fields {
		if s, ok := r.get(f).(string); ok && strings.Contains(strings.ToLower(s), text) {
			return true
		}
	}
	return false
}

// project keeps the _only[] fields of a record (custom@key keeps that key of
// custom).
func project(r record, only []string) record {
	if len(only) == 0 {
		return r
	}
	out := record{}
	for _, f := range only {
		if key, ok := strings.CutPrefix(f, "custom@"); ok {
			c, _ := out["custom"].(map[string]any)
			if c == nil {
				c = map[string]any{}
				out["custom"] = c
			}
			c[key] = r.get(f)
			continue
		}
		if v, ok := r[f]; ok {
			out[f] = v
		}
	}
	return out
}
