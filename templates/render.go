package templates

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// placeholder matches {{params.NAME}} and {{connections.NAME}}.
var placeholder = regexp.MustCompile(`\{\{\s*(params|connections)\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}`)

// Rendered is a template flow ready to be saved and published.
type Rendered struct {
	Spec       FlowSpec
	Definition json.RawMessage
}

// checkPlaceholders verifies that a flow document is JSON and names only
// declared parameters and connections.
func (t *Template) checkPlaceholders(doc []byte) error {
	if !json.Valid(doc) {
		return fmt.Errorf("not valid JSON")
	}
	var unknown []string
	for _, m := range placeholder.FindAllStringSubmatch(string(doc), -1) {
		if (m[1] == "params" && t.Param(m[2]) == nil) || (m[1] == "connections" && t.Connection(m[2]) == nil) {
			unknown = append(unknown, m[0])
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("undeclared placeholders %v", unknown)
	}
	return nil
}

// Render substitutes parameters (as returned by Resolve) and connection ids
// (by connection name) into every flow document of the template. A string
// that is exactly one placeholder becomes the value itself (a number stays a
// number); a placeholder inside a longer string, such as a jq program, is
// replaced by the value's JSON text, which is also a jq literal.
func (t *Template) Render(params map[string]any, connections map[string]string) ([]Rendered, error) {
	out := make([]Rendered, 0, len(t.Flows))
	for _, f := range t.Flows {
		var doc any
		if err := json.Unmarshal(t.docs[f.File], &doc); err != nil {
			return nil, fmt.Errorf("template %s: %s: %w", t.Slug, f.File, err)
		}
		r := renderer{params: params, connections: connections}
		doc = r.value(doc)
		if r.err != nil {
			return nil, fmt.Errorf("template %s: %s: %w", t.Slug, f.File, r.err)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return nil, fmt.Errorf("template %s: %s: %w", t.Slug, f.File, err)
		}
		out = append(out, Rendered{Spec: f, Definition: b})
	}
	return out, nil
}

type renderer struct {
	params      map[string]any
	connections map[string]string
	err         error
}

func (r *renderer) value(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = r.value(e)
		}
	case []any:
		for i, e := range x {
			x[i] = r.value(e)
		}
	case string:
		return r.text(x)
	}
	return v
}

func (r *renderer) text(s string) any {
	if m := placeholder.FindStringSubmatch(s); m != nil && m[0] == s {
		return r.lookup(m[1], m[2])
	}
	return placeholder.ReplaceAllStringFunc(s, func(ph string) string {
		m := placeholder.FindStringSubmatch(ph)
		v := r.lookup(m[1], m[2])
		if m[1] == "connections" {
			return fmt.Sprint(v)
		}
		b, err := json.Marshal(v)
		if err != nil && r.err == nil {
			r.err = fmt.Errorf("%s: %w", ph, err)
		}
		return string(b)
	})
}

func (r *renderer) lookup(kind, name string) any {
	if kind == "connections" {
		id, ok := r.connections[name]
		if !ok && r.err == nil {
			r.err = fmt.Errorf("no id for connection %q", name)
		}
		return id
	}
	v, ok := r.params[name]
	if !ok && r.err == nil {
		r.err = fmt.Errorf("no value for parameter %q", name)
	}
	return v
}
