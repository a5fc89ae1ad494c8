package epicor

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Query holds OData system query options for a collection read.
type Query struct {
	Filter  string   // $filter expression, built with Eq, Cmp, And, Or
	Select  []string // $select
	Expand  []string // $expand, e.g. "OrderDtls" or "ShipToes($select=ShipToNum)"
	OrderBy []string // $orderby, e.g. "OrderNum desc"
	Top     int      // $top; 0 omits it
	Skip    int      // $skip; 0 omits it
	Count   bool     // $count=true (OData 4)
}

// Encode returns the options as a query string. Option names keep their
// literal "$"; values are percent-encoded (spaces as %20, quotes as %27).
func (q Query) Encode() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+escape(v)) }
	if q.Filter != "" {
		add("$filter", q.Filter)
	}
	if len(q.Select) > 0 {
		add("$select", strings.Join(q.Select, ","))
	}
	if len(q.Expand) > 0 {
		add("$expand", strings.Join(q.Expand, ","))
	}
	if len(q.OrderBy) > 0 {
		add("$orderby", strings.Join(q.OrderBy, ","))
	}
	if q.Top > 0 {
		add("$top", strconv.Itoa(q.Top))
	}
	if q.Skip > 0 {
		add("$skip", strconv.Itoa(q.Skip))
	}
	if q.Count {
		add("$count", "true")
	}
	return strings.Join(parts, "&")
}

// escape percent-encodes a query value; spaces become %20 rather than "+",
// which some OData servers read literally.
func escape(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") }

// Literal writes a Go value as an OData literal: strings in single quotes
// with quotes doubled (O'Brien → 'O”Brien'), numbers as decimals, booleans
// as true/false, times as 2006-01-02T15:04:05 (Epicor dates carry no zone).
func Literal(v any) string {
	switch t := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(t, "'", "''") + "'"
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case int32:
		return strconv.FormatInt(int64(t), 10)
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case time.Time:
		return t.Format("2006-01-02T15:04:05")
	case nil:
		return "null"
	}
	return Literal(fmt.Sprint(v))
}

// Eq is "field eq value".
func Eq(field string, value any) string { return Cmp(field, "eq", value) }

// Cmp is "field op value" with op one of eq, ne, gt, ge, lt, le.
func Cmp(field, op string, value any) string { return field + " " + op + " " + Literal(value) }

// And joins conditions with "and", dropping empty ones; "or" groups are
// parenthesised.
func And(conds ...string) string { return join(" and ", conds) }

// Or joins conditions with "or", in parentheses.
func Or(conds ...string) string {
	s := join(" or ", conds)
	if strings.Contains(s, " or ") {
		return "(" + s + ")"
	}
	return s
}

func join(sep string, conds []string) string {
	var kept []string
	for _, c := range conds {
		if c != "" {
			kept = append(kept, c)
		}
	}
	return strings.Join(kept, sep)
}

// keyPath addresses one entity: Set('EPIC06',5012). String keys are quoted
// and percent-encoded; the parentheses, quotes and commas stay literal.
func keyPath(set string, keys ...any) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		lit := Literal(k)
		if s, ok := k.(string); ok {
			lit = "'" + url.PathEscape(strings.ReplaceAll(s, "'", "''")) + "'"
		}
		parts[i] = lit
	}
	return set + "(" + strings.Join(parts, ",") + ")"
}
