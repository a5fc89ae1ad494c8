package builtin

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListEveryOperation keeps docs/connectors.md in step with the specs:
// each operation's row must show its description, write flag, key and lookup.
func TestDocsListEveryOperation(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../docs/connectors.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	reg := Registry()
	for _, sys := range reg.Systems() {
		for _, op := range reg.Operations(sys) {
			writes, key, lookup := "no", "—", "—"
			if op.Writes {
				writes = "yes"
			}
			if op.IdempotencyKey != "" {
				key = "`" + op.IdempotencyKey + "`"
			}
			if op.Lookup != "" {
				lookup = "`" + op.Lookup + "`"
			}
			row := "| `" + op.Name + "` | " + op.Description + " | " + writes + " | " + key + " | " + lookup + " |"
			if !strings.Contains(doc, row) {
				t.Errorf("docs/connectors.md lacks the row\n%s", row)
			}
		}
	}
}
