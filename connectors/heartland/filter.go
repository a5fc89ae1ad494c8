package heartland

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Filter is a _filter JSON object: field equality ({"public_id":"A"}),
// operators ({"id":{"$gt":5}}) and $and/$or. Custom fields are addressed as
// "custom@<key>" (see Custom).
type Filter map[string]any

// Eq matches field == value.
func Eq(field string, value any) Filter { return Filter{field: value} }

// Op matches with an operator such as "$gt", "$gte", "$lt", "$lte", "$in".
func Op(field, op string, value any) Filter { return Filter{field: map[string]any{op: value}} }

// Gt matches field > value.
func Gt(field string, value any) Filter { return Op(field, "$gt", value) }

// Gte matches field >= value.
func Gte(field string, value any) Filter { return Op(field, "$gte", value) }

// Lt matches field < value.
func Lt(field string, value any) Filter { return Op(field, "$lt", value) }

// Lte matches field <= value.
func Lte(field string, value any) Filter { return Op(field, "$lte", value) }

// In matches field equal to any of values.
func In[T any](field string, values ...T) Filter { return Op(field, "$in", values) }

// Custom is the filter, sort and write name of a custom field.
func Custom(key string) string { return "custom@" + key }

// And joins filters; empty ones are dropped and a single one is returned as is.
func And(filters ...Filter) Filter { return join("$and", filters) }

// Or matches any of the filters.
func Or(filters ...Filter) Filter { return join("$or", filters) }

func join(op string, filters []Filter) Filter {
	var kept []Filter
	for _, f := range filters {
		if len(f) > 0 {
			kept = append(kept, f)
		}
	}
	switch len(kept) {
	case 0:
		return nil
	case 1:
		return kept[0]
	}
	return Filter{op: kept}
}

// Encode returns the filter as the JSON the _filter parameter carries.
// Strings are written as UTF-8 without HTML escaping; URL encoding is left
// to the query encoder.
func (f Filter) Encode() (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any(f)); err != nil {
		return "", fmt.Errorf("heartland: encode filter: %w", err)
	}
	return string(bytes.TrimSpace(b.Bytes())), nil
}
