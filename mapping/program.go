package mapping

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/schema"
)

// helpers are the jq functions a generated program may call, by name.
var helpers = map[string]string{
	"bw_str":      `def bw_str: if . == null then null else tostring end;`,
	"bw_num":      `def bw_num: if . == null then null elif type == "number" then . else (tonumber? // null) end;`,
	"bw_int":      `def bw_int: bw_num | if . == null then null else round end;`,
	"bw_bool":     `def bw_bool: if . == null or type == "boolean" then . elif . == "true" or . == 1 then true elif . == "false" or . == 0 then false else null end;`,
	"bw_date":     `def bw_date: if . == null then null else tostring | .[0:10] end;`,
	"bw_datetime": `def bw_datetime: if . == null then null elif test("T") then . else . + "T00:00:00Z" end;`,
	"bw_list":     `def bw_list: if . == null or type == "array" then . else [.] end;`,
	"bw_oneof":    `def bw_oneof($vals): . as $v | if ($vals | any(. == $v)) then $v else null end;`,
	"bw_prune":    `def bw_prune: if type == "object" then with_entries(select(.value != null) | .value |= bw_prune) elif type == "array" then map(bw_prune) else . end;`,
}

// helperOrder keeps dependencies before their users.
var helperOrder = []string{"bw_str", "bw_num", "bw_int", "bw_bool", "bw_date", "bw_datetime", "bw_list", "bw_oneof", "bw_prune"}

// generator builds a jq program from the chosen source of each target path.
type generator struct {
	chosen map[string]*Field
	used   map[string]bool
}

// program returns a jq program that builds one target document from one
// source document: the chosen sources, converted to the target's types,
// collections mapped element by element, nulls left out.
func program(tgt *schema.Schema, chosen map[string]*Field) string {
	g := &generator{chosen: chosen, used: map[string]bool{"bw_prune": true}}
	body := g.gen(tgt, nil, "")
	if body == "" {
		body = "{}"
	}
	var defs []string
	for _, h := range helperOrder {
		if g.used[h] {
			defs = append(defs, helpers[h])
		}
	}
	return strings.Join(defs, "\n") + "\n. as $root\n| " + body + "\n| bw_prune"
}

func (g *generator) gen(s *schema.Schema, segs []string, ctx string) string {
	switch {
	case s == nil:
		return ""
	case len(s.Properties) > 0:
		keys := make([]string, 0, len(s.Properties))
		for k := range s.Properties {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var entries []string
		for _, k := range keys {
			if e := g.gen(s.Properties[k], append(append([]string(nil), segs...), k), ctx); e != "" {
				q, _ := json.Marshal(k)
				entries = append(entries, string(q)+": "+e)
			}
		}
		if len(entries) == 0 {
			return ""
		}
		return "{" + strings.Join(entries, ", ") + "}"
	case s.Type.Main() == "array" && s.Items != nil && (len(s.Items.Properties) > 0 || s.Items.Items != nil):
		elem := append(append([]string(nil), segs...), "[]")
		src := g.sourceArray(pathOf(elem))
		if src == "" {
			return ""
		}
		inner := g.gen(s.Items, elem, src)
		if inner == "" {
			return ""
		}
		arr := ref(splitPath(strings.TrimSuffix(src, "[]")), ctx)
		return "[(" + arr + " // [])[] | " + inner + "]"
	}
	src := g.chosen[pathOf(segs)]
	if src == nil {
		return ""
	}
	expr := ref(src.segs, ctx)
	if conv := g.convert(src, s); conv != "" {
		expr = "(" + expr + " | " + conv + ")"
	}
	return expr
}

// sourceArray picks the source collection a target collection is built
// from: the innermost source array most of its mapped fields come from.
func (g *generator) sourceArray(prefix string) string {
	votes := map[string]int{}
	for path, src := range g.chosen {
		if src != nil && strings.HasPrefix(path, prefix+".") {
			if p := src.arrayPrefix(); p != "" {
				votes[p]++
			}
		}
	}
	best := ""
	for p, n := range votes {
		if best == "" || n > votes[best] || (n == votes[best] && p < best) {
			best = p
		}
	}
	return best
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ref is the jq expression for a source path: relative to the current
// element when the path lies inside the collection ctx being mapped,
// otherwise from $root; other collections contribute their first element.
func ref(segs []string, ctx string) string {
	base := "$root"
	if ctx != "" {
		cs := splitPath(ctx)
		if len(segs) > len(cs) && pathOf(segs[:len(cs)]) == ctx {
			segs, base = segs[len(cs):], "."
		}
	}
	var b strings.Builder
	b.WriteString(base)
	for _, s := range segs {
		switch {
		case s == "[]":
			b.WriteString("[0]")
		case identRE.MatchString(s):
			if b.String() != "." {
				b.WriteByte('.')
			}
			b.WriteString(s)
		default:
			q, _ := json.Marshal(s)
			b.WriteString("[" + string(q) + "]")
		}
	}
	return b.String()
}

// convert returns the jq filter that turns src's values into dst's type.
func (g *generator) convert(src *Field, dst *schema.Schema) string {
	use := func(h string) string { g.used[h] = true; return h }
	var conv []string
	want := dst.Type.Main()
	switch want {
	case "string":
		switch {
		case dst.Format == schema.FormatDate && src.Format != schema.FormatDate:
			conv = append(conv, use("bw_date"))
		case dst.Format == schema.FormatDateTime && src.Format == schema.FormatDate:
			conv = append(conv, use("bw_datetime"))
		case src.Type != "string":
			conv = append(conv, use("bw_str"))
		}
	case "integer":
		if src.Type != "integer" {
			use("bw_num")
			conv = append(conv, use("bw_int"))
		}
	case "number":
		if src.Type != "integer" && src.Type != "number" {
			conv = append(conv, use("bw_num"))
		}
	case "boolean":
		if src.Type != "boolean" {
			conv = append(conv, use("bw_bool"))
		}
	case "array":
		if src.Type != "array" {
			conv = append(conv, use("bw_list"))
		}
	}
	if len(dst.Enum) > 0 {
		vals, _ := json.Marshal(dst.Enum)
		conv = append(conv, use("bw_oneof")+"("+string(vals)+")")
	}
	return strings.Join(conv, " | ")
}

// Preview runs a mapping program over each sample and returns one output
// per sample.
func Preview(ctx context.Context, program string, samples []any) ([]any, error) {
	q, err := engine.CompileJQ(program)
	if err != nil {
		return nil, fmt.Errorf("mapping: preview: %w", err)
	}
	out := make([]any, len(samples))
	for i, s := range samples {
		v, err := q.One(ctx, schema.Normalize(s), &engine.Input{Trigger: s})
		if err != nil {
			return nil, fmt.Errorf("mapping: preview of sample %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}
