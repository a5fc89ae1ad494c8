package templates

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Docs renders the reference part of docs/templates.md from the embedded
// templates: each template with its connections, flows and their wiring,
// parameters and assumptions.
func Docs() string {
	var b strings.Builder
	for _, t := range All() {
		fmt.Fprintf(&b, "### %s (`%s`)\n\n%s\n\n", t.Name, t.Slug, t.Description)
		fmt.Fprintf(&b, "Category: %s. Connections: ", t.Category)
		for i, c := range t.Connections {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "`%s` (%s: %s)", c.Name, c.Type, c.Description)
		}
		b.WriteString(".\n\n| flow | trigger wiring |\n|---|---|\n")
		for _, f := range t.Flows {
			fmt.Fprintf(&b, "| %s — %s | %s |\n", f.Name, f.Description, wiringText(f.Wiring))
		}
		b.WriteString("\n| parameter | type | default | description |\n|---|---|---|---|\n")
		for _, p := range t.Parameters {
			typ := p.Type
			if p.Type == TypeTable {
				typ = "table of " + p.Values
			}
			if len(p.Enum) > 0 {
				typ += " (" + strings.Join(quoteAll(p.Enum), ", ") + ")"
			}
			def, _ := json.Marshal(p.Default)
			fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", p.Name, typ, strings.ReplaceAll(string(def), "|", `\|`), p.Description)
		}
		if len(t.Assumptions) > 0 {
			b.WriteString("\nAssumptions:\n\n")
			for _, a := range t.Assumptions {
				fmt.Fprintf(&b, "- %s\n", a)
			}
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

func wiringText(w Wiring) string {
	var parts []string
	if len(w.HeartlandEvents) > 0 {
		parts = append(parts, "Heartland webhook: "+strings.Join(quoteAll(w.HeartlandEvents), ", "))
	}
	if len(w.EpicorEvents) > 0 {
		parts = append(parts, "Epicor notification: "+strings.Join(quoteAll(w.EpicorEvents), ", "))
	}
	if w.Schedule != "" {
		parts = append(parts, "schedule: "+w.Schedule)
	}
	return strings.Join(parts, "; ")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = "`" + s + "`"
	}
	return out
}
