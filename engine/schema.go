package engine

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bridgework/bridgework/internal/jsonkind"
)

// Schema is the subset of JSON Schema that node specs use to describe their
// config: type, properties, required, enum, minimum/maximum, items and
// additionalProperties. Format names the editor widget and adds a check for
// "duration". The x- fields carry editor hints.
type Schema struct {
	Type        string             `json:"type,omitempty"`
	Title       string             `json:"title,omitempty"`
	Description string             `json:"description,omitempty"`
	Format      string             `json:"format,omitempty"`
	Properties  map[string]*Schema `json:"properties,omitempty"`
	Required    []string           `json:"required,omitempty"`
	Enum        []any              `json:"enum,omitempty"`
	Minimum     *float64           `json:"minimum,omitempty"`
	Maximum     *float64           `json:"maximum,omitempty"`
	MinLength   *int               `json:"minLength,omitempty"`
	Items       *Schema            `json:"items,omitempty"`
	Default     any                `json:"default,omitempty"`
	Examples    []any              `json:"examples,omitempty"`
	Secret      bool               `json:"x-secret,omitempty"`
	Advanced    bool               `json:"x-advanced,omitempty"`

	// AdditionalProperties constrains properties not listed in Properties.
	// ClosedProperties forbids them (additionalProperties: false).
	AdditionalProperties *Schema `json:"-"`
	ClosedProperties     bool    `json:"-"`
}

// Formats understood by the editor; FormatDuration is also checked.
const (
	FormatJQ       = "jq"
	FormatExpr     = "expr"
	FormatDuration = "duration"
	FormatCron     = "cron"
	FormatTemplate = "template"
)

type schemaAlias Schema

type schemaJSON struct {
	*schemaAlias
	AdditionalProperties json.RawMessage `json:"additionalProperties,omitempty"`
}

// MarshalJSON writes the schema, including additionalProperties.
func (s *Schema) MarshalJSON() ([]byte, error) {
	out := schemaJSON{schemaAlias: (*schemaAlias)(s)}
	switch {
	case s.ClosedProperties:
		out.AdditionalProperties = json.RawMessage("false")
	case s.AdditionalProperties != nil:
		b, err := json.Marshal(s.AdditionalProperties)
		if err != nil {
			return nil, err
		}
		out.AdditionalProperties = b
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a schema, including additionalProperties as false or a schema.
func (s *Schema) UnmarshalJSON(b []byte) error {
	in := schemaJSON{schemaAlias: (*schemaAlias)(s)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	switch strings.TrimSpace(string(in.AdditionalProperties)) {
	case "", "true":
	case "false":
		s.ClosedProperties = true
	default:
		s.AdditionalProperties = new(Schema)
		return json.Unmarshal(in.AdditionalProperties, s.AdditionalProperties)
	}
	return nil
}

// SchemaError is one place where a value does not match a schema.
type SchemaError struct {
	Path    string // dotted field path, e.g. "auth.mode" or "cases[2]"
	Message string
}

func (e SchemaError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return e.Path + ": " + e.Message
}

// Validate checks a decoded JSON value (map[string]any, []any, float64, string,
// bool, nil) against the schema and returns every mismatch, sorted by path.
func (s *Schema) Validate(v any) []SchemaError {
	var errs []SchemaError
	s.validate("", v, &errs)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return errs
}

func (s *Schema) validate(path string, v any, errs *[]SchemaError) {
	if i, ok := v.(int); ok {
		v = float64(i)
	}
	fail := func(format string, args ...any) {
		*errs = append(*errs, SchemaError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if s.Type != "" && !jsonkind.Fits(v, s.Type) {
		fail("must be %s, got %s", jsonkind.Article(s.Type), jsonkind.Article(jsonkind.Of(v)))
		return
	}
	if len(s.Enum) > 0 && !inEnum(v, s.Enum) {
		fail("must be one of %s", enumList(s.Enum))
	}
	switch val := v.(type) {
	case float64:
		if s.Minimum != nil && val < *s.Minimum {
			fail("must be at least %s", formatNumber(*s.Minimum))
		}
		if s.Maximum != nil && val > *s.Maximum {
			fail("must be at most %s", formatNumber(*s.Maximum))
		}
	case string:
		if s.MinLength != nil && len(val) < *s.MinLength {
			if *s.MinLength == 1 {
				fail("must not be empty")
			} else {
				fail("must be at least %d characters", *s.MinLength)
			}
		}
		if s.Format == FormatDuration {
			if _, err := time.ParseDuration(val); err != nil {
				fail("must be a duration such as \"30s\" or \"5m\", got %q", val)
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range val {
				s.Items.validate(path+"["+strconv.Itoa(i)+"]", item, errs)
			}
		}
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := val[name]; !ok {
				*errs = append(*errs, SchemaError{Path: joinPath(path, name), Message: "is required"})
			}
		}
		for _, name := range sortedKeys(val) {
			sub, ok := s.Properties[name]
			switch {
			case ok:
				sub.validate(joinPath(path, name), val[name], errs)
			case s.ClosedProperties:
				*errs = append(*errs, SchemaError{Path: joinPath(path, name), Message: "is not a known field" + knownFields(s.Properties)})
			case s.AdditionalProperties != nil:
				s.AdditionalProperties.validate(joinPath(path, name), val[name], errs)
			}
		}
	}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func knownFields(props map[string]*Schema) string {
	if len(props) == 0 {
		return ""
	}
	return " (known: " + strings.Join(sortedKeys(props), ", ") + ")"
}

func inEnum(v any, enum []any) bool {
	for _, e := range enum {
		if reflect.DeepEqual(normalizeEnum(e), v) {
			return true
		}
	}
	return false
}

// normalizeEnum makes Go literals in specs comparable with decoded JSON.
func normalizeEnum(e any) any {
	switch n := e.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	}
	return e
}

func enumList(enum []any) string {
	parts := make([]string, len(enum))
	for i, e := range enum {
		b, _ := json.Marshal(e)
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
