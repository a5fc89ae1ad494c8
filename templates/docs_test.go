package templates_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/templates"
)

var update = flag.Bool("update", false, "rewrite the generated part of docs/templates.md")

const (
	docsFile   = "../docs/templates.md"
	beginMark  = "<!-- BEGIN GENERATED TEMPLATES -->\n"
	endMarkStr = "<!-- END GENERATED TEMPLATES -->"
)

// docs/templates.md lists every template as its metadata says
// (go test ./templates -run TestDocsAreCurrent -update regenerates it).
func TestDocsAreCurrent(t *testing.T) {
	raw, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start, end := strings.Index(doc, beginMark), strings.Index(doc, endMarkStr)
	if start < 0 || end < start {
		t.Fatalf("%s lacks the generated-section markers", docsFile)
	}
	want := doc[:start+len(beginMark)] + templates.Docs() + doc[end:]
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(docsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("%s is stale; run go test ./templates -run TestDocsAreCurrent -update", docsFile)
}
