package nodes_test

import (
	"testing"

	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/nodes"
)

func TestForeachItems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		items, want, err string
	}{
		{items: ".lines", want: `[{"sku":"A"},{"sku":"B"}]`},
		{items: "[.lines[] | .sku]", want: `["A","B"]`},
		{items: ".missing", want: `[]`},
		{items: ".lines[0]", err: "expected an array"},
		{items: ".lines[]", err: "yielded 2 values"},
	}
	for _, tt := range tests {
		n := mustNode(t, "foreach", `{"items":`+toJSON(t, tt.items)+`}`)
		out, err := run(t, n, input(t, `{"lines":[{"sku":"A"},{"sku":"B"}]}`))
		if expectError(t, err, tt.err) {
			continue
		}
		if toJSON(t, out.Output) != tt.want {
			t.Errorf("items %s: output %s, %v; want %s", tt.items, toJSON(t, out.Output), err, tt.want)
		}
	}
}

func TestForeachConcurrency(t *testing.T) {
	t.Parallel()
	if got := mustNode(t, "foreach", `{"items":"."}`).(engine.ConcurrencyLimiter).Concurrency(); got != engine.DefaultConcurrency {
		t.Errorf("default concurrency = %d", got)
	}
	if got := mustNode(t, "foreach", `{"items":".","concurrency":8}`).(engine.ConcurrencyLimiter).Concurrency(); got != 8 {
		t.Errorf("concurrency = %d, want 8", got)
	}
	_, err := compileNode(t, "foreach", `{"items":".","concurrency":1000}`, engine.Env{}, nodes.Deps{})
	wantProblem(t, err, "config.concurrency", "must be at most 32")
}
