package nodes

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bridgework/bridgework/engine"
)

// template is text with {{ jq }} placeholders.
type template struct {
	parts []templatePart
}

type templatePart struct {
	literal string
	program *engine.JQ
}

// compileTemplate compiles the placeholders of src, reporting problems at field.
func compileTemplate(b *engine.Build, field, src string) *template {
	t := &template{}
	rest := src
	for {
		start := strings.Index(rest, "{{")
		if start < 0 {
			t.parts = append(t.parts, templatePart{literal: rest})
			return t
		}
		end := strings.Index(rest[start:], "}}")
		if end < 0 {
			b.Errorf(field, "unclosed {{ in template")
			return nil
		}
		t.parts = append(t.parts, templatePart{literal: rest[:start]})
		src := strings.TrimSpace(rest[start+2 : start+end])
		if src == "" {
			b.Errorf(field, "empty {{ }} placeholder")
			return nil
		}
		q := b.JQ(field, src)
		if q == nil {
			return nil
		}
		t.parts = append(t.parts, templatePart{program: q})
		rest = rest[start+end+2:]
	}
}

func (t *template) static() bool {
	for _, p := range t.parts {
		if p.program != nil {
			return false
		}
	}
	return true
}

// text joins the literal parts with the given placeholder values.
func (t *template) text(values []string) string {
	var b strings.Builder
	i := 0
	for _, p := range t.parts {
		if p.program == nil {
			b.WriteString(p.literal)
			continue
		}
		b.WriteString(values[i])
		i++
	}
	return b.String()
}

func (t *template) render(ctx context.Context, in *engine.Input) (string, error) {
	var values []string
	for _, p := range t.parts {
		if p.program == nil {
			continue
		}
		v, err := p.program.One(ctx, in.Value, in)
		if err != nil {
			return "", fmt.Errorf("{{ %s }}: %w", p.program, err)
		}
		switch s := v.(type) {
		case string:
			values = append(values, s)
		case nil:
			values = append(values, "")
		default:
			b, err := json.Marshal(s)
			if err != nil {
				return "", fmt.Errorf("{{ %s }}: %w", p.program, err)
			}
			values = append(values, string(b))
		}
	}
	return t.text(values), nil
}
