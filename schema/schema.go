// Package schema infers JSON Schemas from sample payloads and validates
// documents against them. It understands the subset of JSON Schema that
// inference produces and connector specs use: type (one or several),
// properties, required, items, enum, format, minimum and maximum.
package schema

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Schema is one node of a JSON Schema.
type Schema struct {
	Type        Types              `json:"type,omitempty"`
	Format      string             `json:"format,omitempty"`
	Description string             `json:"description,omitempty"`
	Properties  map[string]*Schema `json:"properties,omitempty"`
	Required    []string           `json:"required,omitempty"`
	Items       *Schema            `json:"items,omitempty"`
	Enum        []any              `json:"enum,omitempty"`
	Minimum     *float64           `json:"minimum,omitempty"`
	Maximum     *float64           `json:"maximum,omitempty"`
}

// Types is the "type" keyword: a single name or a list of names.
type Types []string

// MarshalJSON writes one type as a string and several as a list.
func (t Types) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// UnmarshalJSON reads a string or a list of strings.
func (t *Types) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = Types{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("type must be a string or a list of strings")
	}
	*t = many
	return nil
}

// Has reports whether name is one of the types.
func (t Types) Has(name string) bool { return slices.Contains(t, name) }

// Main is the first type that is not "null", or "" when there is none.
func (t Types) Main() string {
	for _, n := range t {
		if n != "null" {
			return n
		}
	}
	return ""
}

// Parse decodes a JSON Schema document.
func Parse(b []byte) (*Schema, error) {
	var s Schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("schema: parse: %w", err)
	}
	return &s, nil
}

// IsRequired reports whether the object schema requires property name.
func (s *Schema) IsRequired(name string) bool { return slices.Contains(s.Required, name) }
