package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// FlowSchema returns the JSON Schema (draft 2020-12) of flow documents, with
// each node type's config schema applied by its type name. Editors use it
// for completion; Compile remains the authority.
func FlowSchema(specs []NodeSpec) ([]byte, error) {
	types := make([]any, len(specs))
	defs := map[string]any{}
	var byType []any
	for i, s := range specs {
		types[i] = s.Type
		ref := "config." + s.Type
		defs[ref] = s.Config
		byType = append(byType, map[string]any{
			"if":   map[string]any{"properties": map[string]any{"type": map[string]any{"const": s.Type}}},
			"then": map[string]any{"properties": map[string]any{"config": map[string]any{"$ref": "#/$defs/" + ref}}},
		})
	}
	duration := map[string]any{"type": "string", "format": FormatDuration}
	defs["node"] = map[string]any{
		"type":                 "object",
		"required":             []string{"id", "type"},
		"additionalProperties": false,
		"properties": map[string]any{
			"id":       map[string]any{"type": "string", "pattern": nodeIDPattern.String()},
			"type":     map[string]any{"enum": types},
			"name":     map[string]any{"type": "string"},
			"config":   map[string]any{"type": "object"},
			"position": map[string]any{"type": "object", "additionalProperties": false, "properties": map[string]any{"x": map[string]any{"type": "number"}, "y": map[string]any{"type": "number"}}},
		},
		"allOf": byType,
	}
	defs["edge"] = map[string]any{
		"type":                 "object",
		"required":             []string{"from", "to"},
		"additionalProperties": false,
		"properties": map[string]any{
			"from": map[string]any{"type": "string"},
			"to":   map[string]any{"type": "string"},
			"port": map[string]any{"type": "string", "description": "Output port of the from node; empty means \"out\"."},
		},
	}
	defs["settings"] = map[string]any{
		"type":                 "object",
		"additionalProperties": false,
		"properties": map[string]any{
			"business_key":     map[string]any{"type": "string", "format": FormatJQ, "description": "jq over the trigger payload yielding the run's business key."},
			"timeout":          duration,
			"max_output_bytes": map[string]any{"type": "integer", "minimum": 0},
			"retry": map[string]any{
				"type":                 "object",
				"additionalProperties": false,
				"properties": map[string]any{
					"max_attempts":     map[string]any{"type": "integer", "minimum": 0},
					"initial_interval": duration,
					"max_interval":     duration,
				},
			},
		},
	}
	doc := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"title":                "Bridgework flow",
		"type":                 "object",
		"additionalProperties": false,
		"properties": map[string]any{
			"nodes":    map[string]any{"type": "array", "items": map[string]any{"$ref": "#/$defs/node"}},
			"edges":    map[string]any{"type": "array", "items": map[string]any{"$ref": "#/$defs/edge"}},
			"settings": map[string]any{"$ref": "#/$defs/settings"},
		},
		"$defs": defs,
	}
	b, err := marshalIndent(doc)
	if err != nil {
		return nil, fmt.Errorf("flow schema: %w", err)
	}
	return b, nil
}

// NodeTypesMarkdown renders the node type reference of docs/flows.md.
func NodeTypesMarkdown(specs []NodeSpec) string {
	var b strings.Builder
	for _, s := range specs {
		fmt.Fprintf(&b, "### `%s` — %s\n\n%s\n\n", s.Type, s.Title, s.Description)
		fmt.Fprintf(&b, "- Category: %s\n", s.Category)
		fmt.Fprintf(&b, "- Ports: %s\n", portsText(s))
		var flags []string
		if s.Trigger {
			flags = append(flags, "trigger")
		}
		if s.SideEffects {
			flags = append(flags, "side effects (recorded before the next side effect starts; never repeated once succeeded)")
		}
		if s.Iterates {
			flags = append(flags, "iterates")
		}
		if len(flags) > 0 {
			fmt.Fprintf(&b, "- Kind: %s\n", strings.Join(flags, ", "))
		}
		if len(s.Variables) > 0 {
			names := make([]string, len(s.Variables))
			for i, v := range s.Variables {
				names[i] = "`" + v.Name + "`"
			}
			fmt.Fprintf(&b, "- Expression variables: %s\n", strings.Join(names, ", "))
		}
		b.WriteString("\n| config field | type | required | default | description |\n|---|---|---|---|---|\n")
		writeFields(&b, "", s.Config)
		for _, ex := range s.Examples {
			fmt.Fprintf(&b, "\nExample — %s:\n\n```json\n%s\n```\n", ex.Title, indentJSON(ex.Config))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func portsText(s NodeSpec) string {
	var ports []string
	if s.DynamicPorts {
		ports = append(ports, "one per configured case")
	}
	for _, p := range s.Ports {
		ports = append(ports, "`"+p+"`")
	}
	if !s.Trigger {
		ports = append(ports, "`error`")
	}
	return strings.Join(ports, ", ")
}

func writeFields(b *strings.Builder, prefix string, s *Schema) {
	names := make([]string, 0, len(s.Properties))
	for name := range s.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := s.Properties[name]
		typ := f.Type
		if typ == "" {
			typ = "any"
		}
		if f.Format != "" {
			typ += " (" + f.Format + ")"
		}
		if len(f.Enum) > 0 {
			typ = enumList(f.Enum)
		}
		required := ""
		for _, r := range s.Required {
			if r == name {
				required = "yes"
			}
		}
		def := ""
		if f.Default != nil {
			d, _ := json.Marshal(f.Default)
			def = "`" + string(d) + "`"
		}
		fmt.Fprintf(b, "| `%s%s` | %s | %s | %s | %s |\n", prefix, name, strings.ReplaceAll(typ, "|", "\\|"), required, def, strings.ReplaceAll(f.Description, "|", "\\|"))
		if f.Type == "object" && len(f.Properties) > 0 {
			writeFields(b, prefix+name+".", f)
		}
	}
}

func indentJSON(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	out, _ := marshalIndent(v)
	return strings.TrimSuffix(string(out), "\n")
}

// marshalIndent encodes v indented, leaving <, > and & readable.
func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
