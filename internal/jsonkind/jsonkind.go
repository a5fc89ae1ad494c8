// Package jsonkind names the kinds of decoded JSON values as JSON Schema's
// "type" keyword does, for the validators and error messages that need them.
package jsonkind

import (
	"encoding/json"
	"fmt"
	"math"
)

// Of names v's JSON type: null, boolean, string, object, array or number.
// Numbers may be any Go numeric type or a json.Number; a value JSON cannot
// hold is named by its Go type.
func Of(v any) string {
	if t := SchemaType(v); t != "integer" {
		return t
	}
	return "number"
}

// SchemaType names v's type as JSON Schema does: like Of, but a finite
// number without a fraction is an integer.
func SchemaType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	if f, ok := Number(v); ok {
		if f == math.Trunc(f) && !math.IsInf(f, 0) {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// Fits reports whether v is of the JSON Schema type t; an integer is a
// number too.
func Fits(v any, t string) bool {
	got := SchemaType(v)
	return got == t || (t == "number" && got == "integer")
}

// Number reads any JSON-decoded or Go numeric value.
func Number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// Article names a type for a message: "an object", "a string", "null".
func Article(t string) string {
	switch t {
	case "object", "array", "integer":
		return "an " + t
	case "null":
		return "null"
	}
	return "a " + t
}
