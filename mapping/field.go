package mapping

import (
	"sort"
	"strings"

	"github.com/bridgework/bridgework/schema"
)

// maxValues bounds the sample values kept per field.
const maxValues = 50

// Field is one leaf of a document: a scalar, or an array of scalars.
type Field struct {
	// Path names the field: keys joined by ".", with "[]" after a key whose
	// value is an array, e.g. "lines[].qty".
	Path string `json:"path"`
	// Type is the JSON type ("string", "integer", ...); "" when unknown.
	Type   string `json:"type,omitempty"`
	Format string `json:"format,omitempty"`
	// Required is true when the field and every object above it are required.
	Required    bool   `json:"required,omitempty"`
	Description string `json:"description,omitempty"`
	Enum        []any  `json:"enum,omitempty"`

	segs   []string // keys, with "[]" for an array step
	values []any
	tokens []string // expanded name tokens of the leaf key
	parent []string // expanded tokens of the nearest enclosing key
}

// Name is the field's own key.
func (f *Field) Name() string {
	for i := len(f.segs) - 1; i >= 0; i-- {
		if f.segs[i] != "[]" {
			return f.segs[i]
		}
	}
	return ""
}

// arrayDepth counts the arrays above the field.
func (f *Field) arrayDepth() int {
	n := 0
	for _, s := range f.segs[:len(f.segs)-1] {
		if s == "[]" {
			n++
		}
	}
	return n
}

// objectDepth counts the keys above the field.
func (f *Field) objectDepth() int {
	n := 0
	for _, s := range f.segs[:len(f.segs)-1] {
		if s != "[]" {
			n++
		}
	}
	return n
}

// arrayPrefix is the path of the innermost array holding the field, e.g.
// "lines[]" for "lines[].qty", or "" at the top.
func (f *Field) arrayPrefix() string {
	for i := len(f.segs) - 2; i >= 0; i-- {
		if f.segs[i] == "[]" {
			return pathOf(f.segs[:i+1])
		}
	}
	return ""
}

func pathOf(segs []string) string {
	var b strings.Builder
	for i, s := range segs {
		if s == "[]" {
			b.WriteString("[]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// fieldsOf lists the leaves of s, sorted by path. Objects without
// properties (free-form bags) have no leaves.
func fieldsOf(s *schema.Schema) []*Field {
	var out []*Field
	var walk func(s *schema.Schema, segs []string, required bool)
	walk = func(s *schema.Schema, segs []string, required bool) {
		switch {
		case s == nil:
		case len(s.Properties) > 0:
			for k, p := range s.Properties {
				walk(p, append(append([]string(nil), segs...), k), required && s.IsRequired(k))
			}
		case s.Type.Main() == "array" && s.Items != nil && (len(s.Items.Properties) > 0 || s.Items.Items != nil):
			walk(s.Items, append(append([]string(nil), segs...), "[]"), required)
		case s.Type.Main() == "object":
		case len(segs) > 0:
			f := &Field{segs: segs, Path: pathOf(segs), Type: s.Type.Main(), Format: s.Format,
				Required: required, Description: s.Description, Enum: s.Enum}
			f.tokens = tokens(f.Name())
			if p := parentKey(segs); p != "" {
				f.parent = tokens(p)
			}
			out = append(out, f)
		}
	}
	walk(s, nil, true)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func parentKey(segs []string) string {
	for i := len(segs) - 2; i >= 0; i-- {
		if segs[i] != "[]" {
			return segs[i]
		}
	}
	return ""
}

// collect gathers up to maxValues non-null sample values per field.
func collect(fields []*Field, samples []any) {
	for _, f := range fields {
		for _, s := range samples {
			gather(s, f.segs, &f.values)
			if len(f.values) >= maxValues {
				f.values = f.values[:maxValues]
				break
			}
		}
	}
}

func gather(v any, segs []string, out *[]any) {
	if len(segs) == 0 {
		if v != nil {
			*out = append(*out, v)
		}
		return
	}
	switch t := v.(type) {
	case map[string]any:
		if segs[0] != "[]" {
			gather(t[segs[0]], segs[1:], out)
		}
	case []any:
		if segs[0] == "[]" {
			for _, e := range t {
				gather(e, segs[1:], out)
			}
		}
	}
}
