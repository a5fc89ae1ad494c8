package connectors

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/internal/jsonkind"
)

// Prop is one property of an object schema, built with String, Integer,
// Number, Boolean, Object, Array or Any.
type Prop struct {
	Name     string
	Schema   map[string]any
	required bool
}

// Required returns the property marked as required.
func (p Prop) Required() Prop { p.required = true; return p }

// Enum returns the property restricted to the given values.
func (p Prop) Enum(values ...string) Prop {
	s := clone(p.Schema)
	s["enum"] = values
	p.Schema = s
	return p
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func prop(name, typ, desc string) Prop {
	return Prop{Name: name, Schema: map[string]any{"type": typ, "description": desc}}
}

// String is a string property.
func String(name, desc string) Prop { return prop(name, "string", desc) }

// Integer is an integer property.
func Integer(name, desc string) Prop { return prop(name, "integer", desc) }

// Number is a numeric property.
func Number(name, desc string) Prop { return prop(name, "number", desc) }

// Boolean is a boolean property.
func Boolean(name, desc string) Prop { return prop(name, "boolean", desc) }

// Any is a property of any JSON type.
func Any(name, desc string) Prop {
	return Prop{Name: name, Schema: map[string]any{"description": desc}}
}

// Object is an object property with the given properties; with none, any
// object is accepted.
func Object(name, desc string, props ...Prop) Prop {
	s := ObjectSchema(props...)
	s["description"] = desc
	return Prop{Name: name, Schema: s}
}

// Array is an array property whose items follow items (nil: anything).
func Array(name, desc string, items map[string]any) Prop {
	s := map[string]any{"type": "array", "description": desc}
	if items != nil {
		s["items"] = items
	}
	return Prop{Name: name, Schema: s}
}

// ObjectSchema is the schema of an object with the given properties.
func ObjectSchema(props ...Prop) map[string]any {
	s := map[string]any{"type": "object"}
	if len(props) == 0 {
		return s
	}
	properties := map[string]any{}
	var required []string
	for _, p := range props {
		properties[p.Name] = p.Schema
		if p.required {
			required = append(required, p.Name)
		}
	}
	s["properties"] = properties
	if required != nil {
		s["required"] = required
	}
	return s
}

// Schema encodes a schema built with ObjectSchema (or any JSON value).
func Schema(s map[string]any) json.RawMessage {
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("connectors: schema: %v", err)) // only static specs reach here
	}
	return b
}

// Input is the input schema of an object with the given properties.
func Input(props ...Prop) json.RawMessage { return Schema(ObjectSchema(props...)) }

// Output describes an operation's result in one sentence: an object or an
// array of objects.
func Output(typ, desc string) json.RawMessage {
	s := map[string]any{"type": typ, "description": desc}
	if typ == "array" {
		s["items"] = map[string]any{"type": "object"}
	}
	return Schema(s)
}

// schema is the subset of JSON Schema the validator understands: type
// (a name or a list), properties, required, items and enum.
type schema struct {
	Types      []string
	Properties map[string]*schema
	Required   []string
	Items      *schema
	Enum       []any
}

func (s *schema) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type       json.RawMessage    `json:"type"`
		Properties map[string]*schema `json:"properties"`
		Required   []string           `json:"required"`
		Items      *schema            `json:"items"`
		Enum       []any              `json:"enum"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*s = schema{Properties: raw.Properties, Required: raw.Required, Items: raw.Items, Enum: raw.Enum}
	if len(raw.Type) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(raw.Type, &one) == nil {
		s.Types = []string{one}
		return nil
	}
	return json.Unmarshal(raw.Type, &s.Types)
}

func parseSchema(b json.RawMessage) (*schema, error) {
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	if !slices.Equal(s.Types, []string{"object"}) {
		return nil, fmt.Errorf("top level must be an object schema")
	}
	return &s, nil
}

// InputError is operation input (or connection config) that does not fit
// its schema. It matches httpx.ErrValidation and is never retryable.
type InputError struct {
	Field   string // path such as "input.lines[2].qty"
	Problem string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Problem }

// Is makes errors.Is(err, httpx.ErrValidation) true.
func (e *InputError) Is(target error) bool { return target == httpx.ErrValidation }

// Retryable is false: the input must change first.
func (e *InputError) Retryable() bool { return false }

// RetryAfter is always 0.
func (e *InputError) RetryAfter() time.Duration { return 0 }

// validate returns the first problem with v, or nil.
func (s *schema) validate(v any, path string) *InputError {
	if len(s.Types) > 0 && !slices.ContainsFunc(s.Types, func(t string) bool { return jsonkind.Fits(v, t) }) {
		if v == nil {
			return &InputError{path, "is required"}
		}
		return &InputError{path, fmt.Sprintf("must be %s, got %s", strings.Join(s.Types, " or "), jsonkind.Of(v))}
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return e == v }) {
		return &InputError{path, fmt.Sprintf("must be one of %v", s.Enum)}
	}
	switch t := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if val, ok := t[r]; !ok || val == nil {
				return &InputError{path + "." + r, "is required"}
			}
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := s.Properties[k]; ok && t[k] != nil {
				if p := ps.validate(t[k], path+"."+k); p != nil {
					return p
				}
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range t {
				if p := s.Items.validate(item, fmt.Sprintf("%s[%d]", path, i)); p != nil {
					return p
				}
			}
		}
	}
	return nil
}
