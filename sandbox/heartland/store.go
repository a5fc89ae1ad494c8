package heartland

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// record is one stored resource as the API renders it.
type record map[string]any

// get reads a field; custom@key reads custom.key.
func (r record) get(field string) any {
	if key, ok := strings.CutPrefix(field, "custom@"); ok {
		c, _ := r["custom"].(map[string]any)
		return c[key]
	}
	return r[field]
}

func (r record) id() int64 { n, _ := r["id"].(int64); return n }

// clone copies a record deeply enough that callers may change the copy.
func (r record) clone() record {
	out := make(record, len(r))
	for k, v := range r {
		if m, ok := v.(map[string]any); ok {
			c := make(map[string]any, len(m))
			for mk, mv := range m {
				c[mk] = mv
			}
			v = c
		}
		out[k] = v
	}
	return out
}

// table holds one resource collection in id order.
type table struct {
	name       string
	fields     map[string]bool
	noFilter   map[string]bool
	textFields []string
	rows       map[int64]record
	ids        []int64
	next       int64
	// links indexes rows by parent-id fields (order_id, ticket_id, ...).
	links map[string]map[int64][]int64
}

func newTable(name string, fields []string, noFilter ...string) *table {
	t := &table{name: name, fields: map[string]bool{}, noFilter: map[string]bool{}, rows: map[int64]record{}, next: 100001}
	for _, f := range fields {
		t.fields[f] = true
	}
	for _, f := range noFilter {
		t.noFilter[f] = true
	}
	return t
}

// known reports whether field exists on the resource (custom@ always does).
func (t *table) known(field string) bool {
	return t.fields[field] || strings.HasPrefix(field, "custom@")
}

func (t *table) filterable(field string) bool { return t.known(field) && !t.noFilter[field] }

// insert stores r, assigning the next id when r has none.
func (t *table) insert(r record) record {
	id := r.id()
	if id == 0 {
		id = t.next
		r["id"] = id
	}
	if id >= t.next {
		t.next = id + 1
	}
	t.rows[id] = r
	t.ids = append(t.ids, id)
	for field, idx := range t.links {
		if parent, ok := r[field].(int64); ok {
			idx[parent] = append(idx[parent], id)
		}
	}
	return r
}

// link indexes the table by a parent-id field; call before inserting.
func (t *table) link(fields ...string) *table {
	t.links = map[string]map[int64][]int64{}
	for _, f := range fields {
		t.links[f] = map[int64][]int64{}
	}
	return t
}

// childrenOf returns the rows whose field (an indexed link) equals parent.
func (t *table) childrenOf(field string, parent any) []record {
	var out []record
	for _, id := range t.links[field][idOf(parent)] {
		if r, ok := t.rows[id]; ok {
			out = append(out, r)
		}
	}
	return out
}

func (t *table) find(id int64) (record, bool) {
	r, ok := t.rows[id]
	return r, ok
}

func (t *table) remove(id int64) bool {
	if _, ok := t.rows[id]; !ok {
		return false
	}
	delete(t.rows, id)
	for i, x := range t.ids {
		if x == id {
			t.ids = append(t.ids[:i], t.ids[i+1:]...)
			break
		}
	}
	return true
}

// all returns the rows in id order, optionally only those matching keep.
func (t *table) all(keep func(record) bool) []record {
	out := make([]record, 0, len(t.ids))
	for _, id := range t.ids {
		if r := t.rows[id]; keep == nil || keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// toRecord converts any JSON-encodable value (such as seed structs) to a record.
func toRecord(v any) record {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("heartland: encode seed value: %v", err))
	}
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		panic(fmt.Sprintf("heartland: decode seed value: %v", err))
	}
	return record(normalize(m).(map[string]any))
}

// normalize turns json.Number into int64 (whole numbers) or float64.
func normalize(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = normalize(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = normalize(x)
		}
		return v
	}
	return v
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// intOf reads an integer field of a request body.
func intOf(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		return int64(n), n == math.Trunc(n)
	case string:
		var x int64
		_, err := fmt.Sscan(n, &x)
		return x, err == nil
	}
	return 0, false
}
