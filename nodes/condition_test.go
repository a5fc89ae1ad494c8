package nodes_test

import (
	"testing"

	"github.com/bridgework/bridgework/engine"
)

func TestCondition(t *testing.T) {
	t.Parallel()
	doc := `{"status":"paid","total":120.5,"lines":[1,2]}`
	tests := []struct {
		expression, port, err string
	}{
		{expression: `input.status == "paid" && input.total > 100`, port: engine.PortTrue},
		{expression: `input.total > 1000`, port: engine.PortFalse},
		{expression: `len(input.lines) == 2 && trigger.status == nodes.t.status && run.business_key == "10234"`, port: engine.PortTrue},
		{expression: `item == nil && index == nil`, port: engine.PortTrue},
		{expression: `input.status`, err: "bool(string)"},
		{expression: `input.total.amount > 1`, err: "expr:"},
	}
	for _, tt := range tests {
		t.Run(tt.expression, func(t *testing.T) {
			t.Parallel()
			n := mustNode(t, "condition", `{"expression":`+toJSON(t, tt.expression)+`}`)
			in := input(t, doc)
			out, err := run(t, n, in)
			if expectError(t, err, tt.err) {
				return
			}
			if out.Port != tt.port || toJSON(t, out.Output) != toJSON(t, in.Value) {
				t.Errorf("outcome = port %q output %v, want port %q and the input passed through", out.Port, out.Output, tt.port)
			}
		})
	}
}
