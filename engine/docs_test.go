package engine_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bridgework/bridgework/engine"
)

var update = flag.Bool("update", false, "rewrite the generated docs")

const (
	flowsDoc    = "../docs/flows.md"
	schemaDoc   = "../docs/flow.schema.json"
	beginMarker = "<!-- BEGIN GENERATED NODE TYPES -->\n"
	endMarker   = "<!-- END GENERATED NODE TYPES -->"
)

// docsConnectors knows every operation of the connections the docs use.
type docsConnectors struct{ fakeConnectors }

func (*docsConnectors) Operation(_ context.Context, conn, op string) (engine.OperationInfo, error) {
	if conn != "epicor" && conn != "heartland" {
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: conn}
	}
	return engine.OperationInfo{}, nil
}

var jsonBlock = regexp.MustCompile("(?s)```json\n(.*?)```")

// docExamples returns the flow documents in docs/flows.md.
func docExamples(tb testing.TB) [][]byte {
	tb.Helper()
	doc, err := os.ReadFile(flowsDoc)
	if err != nil {
		tb.Fatalf("read docs: %v", err)
	}
	var flows [][]byte
	for _, m := range jsonBlock.FindAllSubmatch(doc, -1) {
		if bytes.HasPrefix(bytes.TrimSpace(m[1]), []byte(`{
  "nodes"`)) {
			flows = append(flows, m[1])
		}
	}
	if len(flows) < 4 {
		tb.Fatalf("found %d example flows in %s, want at least 4", len(flows), flowsDoc)
	}
	return flows
}

func TestDocsExamplesCompile(t *testing.T) {
	t.Parallel()
	reg := newRegistry(t, nil)
	for i, doc := range docExamples(t) {
		flow, err := engine.ParseFlow(doc)
		if err != nil {
			t.Errorf("example %d: %v", i, err)
			continue
		}
		plan, err := engine.Compile(context.Background(), flow, reg, engine.Env{Connectors: &docsConnectors{}})
		if err != nil {
			t.Errorf("example %d: %v", i, err)
			continue
		}
		if w := plan.Warnings(); len(w) > 0 {
			t.Errorf("example %d has warnings: %v", i, w)
		}
	}
}

func TestDocsAreCurrent(t *testing.T) {
	specs := newRegistry(t, nil).Specs()
	schema, err := engine.FlowSchema(specs)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(flowsDoc)
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(doc, []byte(beginMarker))
	end := bytes.Index(doc, []byte(endMarker))
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks the generated section markers", flowsDoc)
	}
	var want bytes.Buffer
	want.Write(doc[:begin+len(beginMarker)])
	want.WriteString(engine.NodeTypesMarkdown(specs))
	want.Write(doc[end:])

	if *update {
		if err := os.WriteFile(flowsDoc, want.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(schemaDoc, schema, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	const hint = "; run: go test ./engine -run TestDocsAreCurrent -update"
	if !bytes.Equal(doc, want.Bytes()) {
		t.Errorf("%s node type reference is stale%s", flowsDoc, hint)
	}
	current, err := os.ReadFile(schemaDoc)
	if err != nil || !bytes.Equal(current, schema) {
		t.Errorf("%s is stale or missing (%v)%s", schemaDoc, err, hint)
	}
}

func TestFlowSchemaCoversEveryNodeType(t *testing.T) {
	t.Parallel()
	specs := newRegistry(t, nil).Specs()
	schema, err := engine.FlowSchema(specs)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		if !strings.Contains(string(schema), `"config.`+s.Type+`"`) {
			t.Errorf("flow schema lacks the config of %s", s.Type)
		}
	}
}
