package templates

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Parameter types.
const (
	TypeString   = "string"
	TypeInteger  = "integer"
	TypeNumber   = "number"
	TypeBoolean  = "boolean"
	TypeDuration = "duration" // Go duration text such as "15m"
	TypeCron     = "cron"     // 5-field cron expression or @descriptor
	TypeTable    = "table"    // mapping table: object of string keys to values of Values type
)

// Param is a template parameter, referenced in flows as {{params.NAME}}.
type Param struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Description string   `json:"description"`
	Default     any      `json:"default"`
	Required    bool     `json:"required,omitempty"`
	Enum        []string `json:"enum,omitempty"`
	Minimum     *float64 `json:"minimum,omitempty"`
	Maximum     *float64 `json:"maximum,omitempty"`
	// Values is the type of a table's values (string, integer, number).
	Values string `json:"values,omitempty"`
}

// ParamError lists what is wrong with an install's parameters.
type ParamError struct {
	Problems []Problem
}

// Problem is one bad parameter or connection.
type Problem struct {
	Field   string `json:"field"` // "params.match_threshold", "connections.epicor"
	Message string `json:"message"`
}

func (e *ParamError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid template input: " + strings.Join(parts, "; ")
}

func (p *Param) validateSpec() error {
	switch p.Type {
	case TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeDuration, TypeCron:
	case TypeTable:
		if !slices.Contains([]string{TypeString, TypeInteger, TypeNumber}, p.Values) {
			return fmt.Errorf("parameter %q: a table needs values string, integer or number", p.Name)
		}
	default:
		return fmt.Errorf("parameter %q: unknown type %q", p.Name, p.Type)
	}
	if p.Name == "" || p.Description == "" {
		return fmt.Errorf("parameter %q: name and description are required", p.Name)
	}
	if p.Default == nil {
		if !p.Required {
			return fmt.Errorf("parameter %q: needs a default or required: true", p.Name)
		}
		return nil
	}
	if _, msg := p.check(p.Default); msg != "" {
		return fmt.Errorf("parameter %q: default: %s", p.Name, msg)
	}
	return nil
}

// check converts a JSON-decoded value to the parameter's type; msg says what
// is wrong when it does not fit.
func (p *Param) check(v any) (any, string) {
	switch p.Type {
	case TypeString, TypeDuration, TypeCron:
		s, ok := v.(string)
		if !ok {
			return nil, "must be a string, not " + kind(v)
		}
		return s, p.checkString(s)
	case TypeInteger, TypeNumber:
		return p.checkNumber(v, p.Type == TypeInteger)
	case TypeBoolean:
		if _, ok := v.(bool); !ok {
			return nil, "must be true or false, not " + kind(v)
		}
		return v, ""
	case TypeTable:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, "must be an object mapping keys to " + p.Values + " values, not " + kind(v)
		}
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make(map[string]any, len(m))
		for _, k := range keys {
			val, msg := (&Param{Type: p.Values}).check(m[k])
			if msg != "" {
				return nil, fmt.Sprintf("entry %q %s", k, msg)
			}
			out[k] = val
		}
		return out, ""
	}
	return nil, "has an unknown type"
}

func (p *Param) checkString(s string) string {
	switch {
	case len(p.Enum) > 0 && !slices.Contains(p.Enum, s):
		return fmt.Sprintf("must be one of %s, not %q", strings.Join(p.Enum, ", "), s)
	case p.Type == TypeDuration:
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return fmt.Sprintf("must be a positive duration such as \"15m\", not %q", s)
		}
	case p.Type == TypeCron:
		if _, err := cron.ParseStandard(s); err != nil {
			return fmt.Sprintf("must be a cron expression such as \"0 2 * * *\": %v", err)
		}
	case p.Required && strings.TrimSpace(s) == "":
		return "must not be empty"
	}
	return ""
}

func (p *Param) checkNumber(v any, integer bool) (any, string) {
	f, ok := v.(float64)
	if !ok {
		if n, isInt := v.(int); isInt {
			f, ok = float64(n), true
		}
	}
	want := "a number"
	if integer {
		want = "an integer"
	}
	if !ok || (integer && f != math.Trunc(f)) {
		return nil, "must be " + want + ", not " + kind(v)
	}
	if p.Minimum != nil && f < *p.Minimum {
		return nil, fmt.Sprintf("must be at least %v", *p.Minimum)
	}
	if p.Maximum != nil && f > *p.Maximum {
		return nil, fmt.Sprintf("must be at most %v", *p.Maximum)
	}
	return f, ""
}

func kind(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return "a boolean"
	case float64, int:
		return fmt.Sprintf("the number %v", x)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}

// Resolve checks an install's parameters (JSON-decoded values) against the
// template and returns every parameter's value, defaults filled in. Unknown
// names, wrong types and out-of-range values give a *ParamError naming each.
func (t *Template) Resolve(params map[string]any) (map[string]any, error) {
	var problems []Problem
	out := map[string]any{}
	for _, p := range t.Parameters {
		v, given := params[p.Name]
		if !given || v == nil {
			if p.Default == nil {
				problems = append(problems, Problem{"params." + p.Name, "is required"})
				continue
			}
			v = p.Default
		}
		val, msg := p.check(v)
		if msg != "" {
			problems = append(problems, Problem{"params." + p.Name, msg})
			continue
		}
		out[p.Name] = val
	}
	for _, name := range unknownKeys(params, func(n string) bool { return t.Param(n) != nil }) {
		problems = append(problems, Problem{"params." + name, "is not a parameter of template " + t.Slug})
	}
	if len(problems) > 0 {
		return nil, &ParamError{Problems: problems}
	}
	return out, nil
}

// Schema returns the JSON Schema of the template's params object.
func (t *Template) Schema() map[string]any {
	props := map[string]any{}
	var required []string
	for _, p := range t.Parameters {
		props[p.Name] = p.schema()
		if p.Required {
			required = append(required, p.Name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func (p *Param) schema() map[string]any {
	s := map[string]any{"description": p.Description}
	if p.Default != nil {
		s["default"] = p.Default
	}
	switch p.Type {
	case TypeTable:
		s["type"] = "object"
		s["additionalProperties"] = map[string]any{"type": p.Values}
	case TypeDuration, TypeCron:
		s["type"], s["format"] = "string", p.Type
	default:
		s["type"] = p.Type
	}
	if len(p.Enum) > 0 {
		s["enum"] = p.Enum
	}
	if p.Minimum != nil {
		s["minimum"] = *p.Minimum
	}
	if p.Maximum != nil {
		s["maximum"] = *p.Maximum
	}
	return s
}

// UnknownConnections lists, sorted, the names in given that are not
// connections of the template.
func (t *Template) UnknownConnections(given map[string]string) []string {
	return unknownKeys(given, func(n string) bool { return t.Connection(n) != nil })
}

// unknownKeys lists the keys of m that known rejects, sorted.
func unknownKeys[V any](m map[string]V, known func(string) bool) []string {
	var out []string
	for k := range m {
		if !known(k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
