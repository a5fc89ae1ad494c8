package schema

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/bridgework/bridgework/internal/jsonkind"
)

// Validation rules a Violation can name.
const (
	RuleType     = "type"
	RuleRequired = "required"
	RuleEnum     = "enum"
	RuleFormat   = "format"
	RuleMinimum  = "minimum"
	RuleMaximum  = "maximum"
)

// Violation is one way a document breaks a schema.
type Violation struct {
	Field   string `json:"field"` // path such as "lines[2].qty"; "" is the document itself
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

func (v Violation) String() string {
	if v.Field == "" {
		return v.Message
	}
	return v.Field + ": " + v.Message
}

// Validate returns every violation of s by doc, in a stable order.
func Validate(s *Schema, doc any) []Violation {
	var out []Violation
	validate(s, Normalize(doc), "", &out)
	return out
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func validate(s *Schema, v any, path string, out *[]Violation) {
	if s == nil {
		return
	}
	add := func(rule, format string, args ...any) {
		*out = append(*out, Violation{Field: path, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	if len(s.Type) > 0 && !slices.ContainsFunc(s.Type, func(t string) bool { return jsonkind.Fits(v, t) }) {
		add(RuleType, "must be %s, got %s", strings.Join(s.Type, " or "), jsonkind.SchemaType(v))
		return
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return Normalize(e) == v }) {
		add(RuleEnum, "must be one of %v, got %v", s.Enum, v)
	}
	switch x := v.(type) {
	case string:
		if s.Format != "" && !MatchesFormat(s.Format, x) {
			add(RuleFormat, "must be a valid %s, got %q", s.Format, x)
		}
	case float64:
		if s.Minimum != nil && x < *s.Minimum {
			add(RuleMinimum, "must be at least %v, got %v", *s.Minimum, x)
		}
		if s.Maximum != nil && x > *s.Maximum {
			add(RuleMaximum, "must be at most %v, got %v", *s.Maximum, x)
		}
	case map[string]any:
		for _, r := range s.Required {
			if e, ok := x[r]; !ok || e == nil {
				*out = append(*out, Violation{Field: join(path, r), Rule: RuleRequired, Message: "is required"})
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if p, ok := s.Properties[k]; ok && !(x[k] == nil && !s.IsRequired(k)) {
				validate(p, x[k], join(path, k), out)
			}
		}
	case []any:
		for i, e := range x {
			validate(s.Items, e, fmt.Sprintf("%s[%d]", path, i), out)
		}
	}
}
