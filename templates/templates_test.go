package templates_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bridgework/bridgework/connectors/builtin"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/templates"
)

// registryConnectors resolves connection ids "conn-<type>" to the built-in
// connector types, so template flows compile without a database.
type registryConnectors struct{}

// compileOnlyApprovals lets approval nodes compile; the test runs no flow.
type compileOnlyApprovals struct{ nodes.Approvals }

func (registryConnectors) Operation(_ context.Context, connectionID, operation string) (engine.OperationInfo, error) {
	typ := strings.TrimPrefix(connectionID, "conn-")
	op, ok := builtin.Registry().Operation(typ, operation)
	if !ok {
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: connectionID, Operation: operation}
	}
	return engine.OperationInfo{Writes: op.Writes, InputSchema: op.InputSchema}, nil
}

func (registryConnectors) Invoke(context.Context, engine.ConnectorCall) (any, error) {
	return nil, errors.New("not invoked in these tests")
}

func connectionIDs(t *templates.Template) map[string]string {
	ids := map[string]string{}
	for _, c := range t.Connections {
		ids[c.Name] = "conn-" + c.Type
	}
	return ids
}

// Every embedded template loads, renders with its defaults and compiles
// without errors or warnings.
func TestEveryTemplateCompiles(t *testing.T) {
	t.Parallel()
	reg := engine.NewRegistry()
	// Compiling needs the services' presence only; nothing runs here.
	nodes.Register(reg, nodes.Deps{Approvals: compileOnlyApprovals{}})
	all := templates.All()
	if len(all) == 0 {
		t.Fatal("no templates embedded")
	}
	for _, tpl := range all {
		t.Run(tpl.Slug, func(t *testing.T) {
			t.Parallel()
			params, err := tpl.Resolve(nil)
			if err != nil {
				t.Fatalf("defaults do not resolve: %v", err)
			}
			flows, err := tpl.Render(params, connectionIDs(tpl))
			if err != nil {
				t.Fatal(err)
			}
			if len(flows) != len(tpl.Flows) {
				t.Fatalf("rendered %d flows, want %d", len(flows), len(tpl.Flows))
			}
			for _, f := range flows {
				if strings.Contains(string(f.Definition), "{{params.") || strings.Contains(string(f.Definition), "{{connections.") {
					t.Fatalf("%s: placeholders left after rendering", f.Spec.File)
				}
				flow, err := engine.ParseFlow(f.Definition)
				if err != nil {
					t.Fatalf("%s: %v", f.Spec.File, err)
				}
				plan, err := engine.Compile(context.Background(), flow, reg, engine.Env{Connectors: registryConnectors{}})
				if err != nil {
					t.Fatalf("%s does not compile: %v", f.Spec.File, err)
				}
				if w := plan.Warnings(); len(w) > 0 {
					t.Fatalf("%s compiles with warnings: %v", f.Spec.File, w)
				}
			}
			samples, err := tpl.Samples()
			if err != nil || len(samples) == 0 {
				t.Fatalf("samples: %d, %v; every template ships sample events", len(samples), err)
			}
			if _, err := tpl.Expected(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestResolveParams(t *testing.T) {
	t.Parallel()
	tpl := templates.Get("heartland-order-to-epicor-sales-order")
	if tpl == nil {
		t.Fatal("template heartland-order-to-epicor-sales-order is missing")
	}
	cases := []struct {
		name   string
		params map[string]any
		field  string
		msg    string
	}{
		{"wrong type", map[string]any{"match_threshold": "high"}, "params.match_threshold", `must be a number, not the string "high"`},
		{"out of range", map[string]any{"match_threshold": 1.5}, "params.match_threshold", "must be at most 1"},
		{"not integer", map[string]any{"price_decimals": 2.5}, "params.price_decimals", "must be an integer"},
		{"enum", map[string]any{"price_field": "cost"}, "params.price_field", "must be one of"},
		{"table value", map[string]any{"status_map": map[string]any{"open": 3.0}}, "params.status_map", `entry "open" must be a string`},
		{"table type", map[string]any{"uom_map": []any{"EA"}}, "params.uom_map", "must be an object"},
		{"unknown", map[string]any{"nope": 1.0}, "params.nope", "is not a parameter"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := tpl.Resolve(c.params)
			var pe *templates.ParamError
			if !errors.As(err, &pe) || len(pe.Problems) != 1 {
				t.Fatalf("Resolve(%v) = %v, want one problem", c.params, err)
			}
			if p := pe.Problems[0]; p.Field != c.field || !strings.Contains(p.Message, c.msg) {
				t.Fatalf("problem %+v, want field %s with %q", p, c.field, c.msg)
			}
		})
	}
	got, err := tpl.Resolve(map[string]any{"match_threshold": 0.8, "status_map": map[string]any{"open": "O"}})
	if err != nil {
		t.Fatal(err)
	}
	if got["match_threshold"] != 0.8 || got["price_decimals"] != 2.0 || got["status_map"].(map[string]any)["open"] != "O" {
		t.Fatalf("resolved params %v: given values and defaults are wrong", got)
	}
}

func TestRenderSubstitutes(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"demo/template.json": {Data: []byte(`{"slug":"demo","name":"Demo","description":"d","category":"c",
			"connections":[{"name":"epicor","type":"epicor","description":"E"}],
			"parameters":[{"name":"every","type":"duration","default":"15m","description":"d"},
			              {"name":"map","type":"table","values":"string","default":{"a":"b \"q\""},"description":"d"},
			              {"name":"n","type":"integer","default":3,"description":"d"}],
			"flows":[{"file":"x.flow.json","name":"X","description":"x","wiring":{}}]}`)},
		"demo/x.flow.json": {Data: []byte(`{"a":"{{params.every}}","b":"map_value({{ params.map }}) + {{params.n}}","c":"{{connections.epicor}}","d":["{{params.n}}"]}`)},
	}
	all, err := templates.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	params, err := all[0].Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := all[0].Render(params, map[string]string{"epicor": "c-1"})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out[0].Definition, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": "15m", "b": `map_value({"a":"b \"q\""}) + 3`, "c": "c-1", "d": []any{3.0}}
	for k, v := range want {
		if gb, _ := json.Marshal(got[k]); string(gb) != mustJSON(t, v) {
			t.Errorf("%s = %s, want %s", k, gb, mustJSON(t, v))
		}
	}
}

func TestLoadRejectsBadTemplates(t *testing.T) {
	t.Parallel()
	base := `{"slug":"demo","name":"Demo","description":"d","category":"c","connections":[],
		"parameters":[%s],"flows":[{"file":"x.flow.json","name":"X","description":"x","wiring":{}}]}`
	cases := []struct {
		name, params, flow, want string
	}{
		{"undeclared placeholder", ``, `{"a":"{{params.nope}}"}`, "undeclared placeholders [{{params.nope}}]"},
		{"bad default", `{"name":"n","type":"integer","default":"x","description":"d"}`, `{}`, `parameter "n": default: must be an integer`},
		{"bad type", `{"name":"n","type":"date","default":"x","description":"d"}`, `{}`, `unknown type "date"`},
		{"bad cron", `{"name":"n","type":"cron","default":"every day","description":"d"}`, `{}`, "must be a cron expression"},
		{"not json", ``, `{`, "not valid JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{
				"demo/template.json": {Data: []byte(strings.Replace(base, "%s", c.params, 1))},
				"demo/x.flow.json":   {Data: []byte(c.flow)},
			}
			_, err := templates.Load(fsys)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Load error = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
