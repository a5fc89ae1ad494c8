package server

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

// jsonSchema is a JSON Schema (the OpenAPI 3.1 dialect) as a plain map.
type jsonSchema = map[string]any

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemaOf derives the JSON Schema of the JSON encoding/json produces for
// values of v's type: the response and request shapes are documented from
// the Go types that produce them, so they cannot drift apart.
func schemaOf(v any) jsonSchema { return typeSchema(reflect.TypeOf(v), map[reflect.Type]bool{}) }

func typeSchema(t reflect.Type, seen map[reflect.Type]bool) jsonSchema {
	if t == nil {
		return jsonSchema{}
	}
	if t.Kind() == reflect.Pointer {
		return nullable(typeSchema(t.Elem(), seen))
	}
	if t == timeType {
		return jsonSchema{"type": "string", "format": "date-time"}
	}
	if t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) {
		return jsonSchema{} // raw JSON: any value
	}
	if t.Implements(textType) {
		return jsonSchema{"type": "string"}
	}
	switch t.Kind() {
	case reflect.String:
		return jsonSchema{"type": "string"}
	case reflect.Bool:
		return jsonSchema{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return jsonSchema{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return jsonSchema{"type": "number"}
	case reflect.Slice, reflect.Array:
		return jsonSchema{"type": []any{"array", "null"}, "items": typeSchema(t.Elem(), seen)}
	case reflect.Map:
		return jsonSchema{"type": []any{"object", "null"}, "additionalProperties": typeSchema(t.Elem(), seen)}
	case reflect.Struct:
		if seen[t] {
			return jsonSchema{"type": "object"} // recursive: not expanded again
		}
		seen[t] = true
		defer delete(seen, t)
		props, required := jsonSchema{}, []any{}
		addFields(t, props, &required, seen)
		return jsonSchema{"type": "object", "properties": props, "required": required}
	}
	return jsonSchema{}
}

// addFields adds a struct's JSON fields, inlining embedded structs.
func addFields(t reflect.Type, props jsonSchema, required *[]any, seen map[reflect.Type]bool) {
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
func nullable(s jsonSchema) jsonSchema {
	out := jsonSchema{}
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

// object builds an object jsonSchema whose every property is required.
func object(props jsonSchema) jsonSchema {
	required := []any{}
	for k := range props {
		required = append(required, k)
	}
	return jsonSchema{"type": "object", "properties": props, "required": required}
}

// listOf is {"<key>": [items]}.
func listOf(key string, item any) jsonSchema {
	return object(jsonSchema{key: jsonSchema{"type": []any{"array", "null"}, "items": schemaOf(item)}})
}
