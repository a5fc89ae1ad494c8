package server

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

// schema is a JSON Schema (the OpenAPI 3.1 dialect) as a plain map.
type schema = map[string]any

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemaOf derives the JSON Schema of the JSON encoding/json produces for
// values of v's type: the response and request shapes are documented from
// the Go types that produce them, so they cannot drift apart.
func schemaOf(v any) schema { return typeSchema(reflect.TypeOf(v), map[reflect.Type]bool{}) }

func typeSchema(t reflect.Type, seen map[reflect.Type]bool) schema {
	if t == nil {
		return schema{}
	}
	if t.Kind() == reflect.Pointer {
		return nullable(typeSchema(t.Elem(), seen))
	}
	if t == timeType {
		return schema{"type": "string", "format": "date-time"}
	}
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
		return schema{} // raw JSON: any value
	}
	if t.Implements(textType) {
		return schema{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		return schema{"type": "string"}
	case reflect.Bool:
		return schema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return schema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return schema{"type": "number"}
	case reflect.Slice, reflect.Array:
		return schema{"type": []any{"array", "null"}, "items": typeSchema(t.Elem(), seen)}
	case reflect.Map:
		return schema{"type": []any{"object", "null"}, "additionalProperties": typeSchema(t.Elem(), seen)}
	case reflect.Struct:
		if seen[t] {
			return schema{"type": "object"} // recursive: not expanded again
		}
		seen[t] = true
		defer delete(seen, t)
		props, required := schema{}, []any{}
		addFields(t, props, &required, seen)
		return schema{"type": "object", "properties": props, "required": required}
	}
	return schema{}
}

// addFields adds a struct's JSON fields, inlining embedded structs.
func addFields(t reflect.Type, props schema, required *[]any, seen map[reflect.Type]bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addFields(f.Type, props, required, seen)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = typeSchema(f.Type, seen)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// nullable also admits null.
func nullable(s schema) schema {
	out := schema{}
	for k, v := range s {
		out[k] = v
	}
	switch t := s["type"].(type) {
	case string:
		out["type"] = []any{t, "null"}
	case nil:
	}
	return out
}

// object builds an object schema whose every property is required.
func object(props schema) schema {
	required := []any{}
	for k := range props {
		required = append(required, k)
	}
	return schema{"type": "object", "properties": props, "required": required}
}

// listOf is {"<key>": [items]}.
func listOf(key string, item any) schema {
	return object(schema{key: schema{"type": []any{"array", "null"}, "items": schemaOf(item)}})
}
