package epicor

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/bridgework/bridgework/sandbox/odata"
	"github.com/bridgework/bridgework/sandbox/seed"
)

// dateLayout is how Epicor renders dates: no zone.
const dateLayout = "2006-01-02T15:04:05"

// table holds the rows of one entity set in insertion order.
type table struct {
	set   *entitySet
	rows  []odata.Row
	index map[string]int
	// byFirst indexes rows by the key field after Company (OrderNum,
	// PartNum, ...), which every navigation link includes.
	byFirst map[any][]int
	// maxKey tracks the largest value of each integer key field.
	maxKey map[string]int64
}

func newTable(es *entitySet) *table {
	return &table{set: es, index: map[string]int{}, byFirst: map[any][]int{}, maxKey: map[string]int64{}}
}

func keyString(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, "\x00")
}

func (t *table) keyOf(r odata.Row) string {
	vals := make([]any, len(t.set.keys))
	for i, k := range t.set.keys {
		vals[i] = r[k]
	}
	return keyString(vals)
}

func (t *table) get(vals []any) (odata.Row, bool) {
	i, ok := t.index[keyString(vals)]
	if !ok {
		return nil, false
	}
	return t.rows[i], true
}

func (t *table) insert(r odata.Row) {
	i := len(t.rows)
	t.index[t.keyOf(r)] = i
	t.rows = append(t.rows, r)
	if len(t.set.keys) > 1 {
		first := r[t.set.keys[1]]
		t.byFirst[first] = append(t.byFirst[first], i)
	}
	for _, k := range t.set.keys {
		if n, ok := r[k].(int64); ok && n > t.maxKey[k] {
			t.maxKey[k] = n
		}
	}
}

func (t *table) remove(r odata.Row) {
	i, ok := t.index[t.keyOf(r)]
	if !ok {
		return
	}
	rows := append(t.rows[:i:i], t.rows[i+1:]...)
	maxKey := t.maxKey
	*t = *newTable(t.set)
	for _, row := range rows {
		t.insert(row)
	}
	t.maxKey = maxKey // numbers are not reused after a delete
}

// where returns rows whose fields equal the given values.
func (t *table) where(match map[string]any) []odata.Row {
	var out []odata.Row
	candidates := t.rows
	if len(t.set.keys) > 1 {
		if v, ok := match[t.set.keys[1]]; ok {
			idx := t.byFirst[v]
			candidates = make([]odata.Row, len(idx))
			for i, j := range idx {
				candidates[i] = t.rows[j]
			}
		}
	}
	for _, r := range candidates {
		ok := true
		for k, v := range match {
			if r[k] != v {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	return out
}

// state is the company's data; the Server's mutex guards it.
type state struct {
	company string
	plant   string
	tables  map[string]*table
	sysRev  int64
	now     func() time.Time
}

func newState(sc *schema, d *seed.Epicor, now func() time.Time) *state {
	st := &state{company: d.Company, plant: d.Plant, tables: map[string]*table{}, now: now}
	for name, es := range sc.sets {
		st.tables[name] = newTable(es)
	}
	load := func(set string, list any, extra odata.Row) {
		b, _ := json.Marshal(list)
		var rows []map[string]any
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber()
		if err := dec.Decode(&rows); err != nil {
			panic(fmt.Sprintf("epicor: load seed %s: %v", set, err))
		}
		for _, raw := range rows {
			for k, v := range extra {
				raw[k] = v
			}
			row := st.tables[set].set.blank(st.company)
			for k, v := range raw {
				if c, ok := st.tables[set].set.byName[k]; ok {
					cv, err := coerce(c, v)
					if err != nil {
						panic(fmt.Sprintf("epicor: seed %s.%s: %v", set, k, err))
					}
					row[k] = cv
				}
			}
			st.add(set, row)
		}
	}
	load("Warehses", d.Warehouses, nil)
	load("Parts", d.Parts, nil)
	load("PartWhses", d.PartWhses, odata.Row{"Plant": d.Plant})
	load("Customers", d.Customers, odata.Row{"CustomerType": "CUS", "TermsCode": "N30", "CurrencyCode": "USD"})
	load("GLAccounts", d.GLAccounts, odata.Row{"EffFrom": "2020-01-01"})
	load("BankAccts", d.BankAccts, odata.Row{"CurrencyCode": "USD"})
	load("PayMethods", d.PayMethods, nil)
	load("Vendors", d.Vendors, odata.Row{"CurrencyCode": "USD"})
	for _, p := range st.tables["Parts"].rows {
		p["SearchWord"] = strings.ToUpper(strings.Fields(p["PartDescription"].(string) + " X")[0])
		p["PUM"], p["PricePerCode"], p["SellingFactor"] = p["IUM"], "E", 1.0
	}
	return st
}

// add stamps system columns on a new row and stores it.
func (st *state) add(set string, r odata.Row) {
	st.sysRev++
	r["SysRevID"] = st.sysRev
	r["SysRowID"] = fmt.Sprintf("%08x-0000-4000-9000-%012x", st.sysRev, st.sysRev)
	r["RowMod"] = ""
	st.tables[set].insert(r)
}

// bump records a change to an existing row.
func (st *state) bump(r odata.Row) {
	st.sysRev++
	r["SysRevID"] = st.sysRev
}

func (st *state) today() string {
	return st.now().UTC().Truncate(24 * time.Hour).Format(dateLayout)
}

// coerce converts a JSON value to the column's type.
func coerce(c column, v any) (any, error) {
	if v == nil {
		if c.typ == 'd' {
			return nil, nil
		}
		return nil, fmt.Errorf("cannot convert null to %s", c.typ.edm())
	}
	switch c.typ {
	case 's':
		if s, ok := v.(string); ok {
			return s, nil
		}
	case 'b':
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case 'i', 'n':
		var f float64
		switch n := v.(type) {
		case json.Number:
			x, err := n.Float64()
			if err != nil {
				return nil, fmt.Errorf("cannot convert %v to %s", v, c.typ.edm())
			}
			f = x
		case float64:
			f = n
		case int64:
			f = float64(n)
		default:
			return nil, fmt.Errorf("cannot convert %q to %s", fmt.Sprint(v), c.typ.edm())
		}
		if c.typ == 'n' {
			return f, nil
		}
		if f == math.Trunc(f) {
			return int64(f), nil
		}
	case 'd':
		if s, ok := v.(string); ok {
			t, err := parseDate(s)
			if err == nil {
				return t.Format(dateLayout), nil
			}
		}
	}
	return nil, fmt.Errorf("cannot convert %q to %s", fmt.Sprint(v), c.typ.edm())
}

func (t ftype) edm() string {
	switch t {
	case 's':
		return "Edm.String"
	case 'i':
		return "Edm.Int32"
	case 'n':
		return "Edm.Decimal"
	case 'b':
		return "Edm.Boolean"
	}
	return "Edm.DateTimeOffset"
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", dateLayout, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %q", s)
}

func copyRow(r odata.Row) odata.Row {
	out := make(odata.Row, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

// clone copies the state deeply, so a multi-row method can run on the copy
// and be dropped when one row fails.
func (st *state) clone() *state {
	c := *st
	c.tables = make(map[string]*table, len(st.tables))
	for name, t := range st.tables {
		nt := newTable(t.set)
		for _, r := range t.rows {
			nt.insert(copyRow(r))
		}
		for k, v := range t.maxKey {
			nt.maxKey[k] = v
		}
		c.tables[name] = nt
	}
	return &c
}
