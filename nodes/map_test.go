package nodes_test

import (
	"testing"
)

func TestMap(t *testing.T) {
	t.Parallel()
	order := `{"public_id":"10234","customer":{"id":7},"lines":[{"sku":"A","qty":2},{"sku":"B","qty":1}]}`
	tests := []struct {
		name, config, want, err string
	}{
		{name: "reshape", config: `{"jq":"{PONum: \"HL-\\(.public_id)\", Lines: [.lines[] | {PartNum: .sku, Qty: .qty}]}"}`, want: `{"Lines":[{"PartNum":"A","Qty":2},{"PartNum":"B","Qty":1}],"PONum":"HL-10234"}`},
		{name: "no output is null", config: `{"jq":"empty"}`, want: `null`},
		{name: "several outputs fail by default", config: `{"jq":".lines[]"}`, err: `yielded 2 values; set multiple to "array"`},
		{name: "several outputs collected", config: `{"jq":".lines[] | .sku","multiple":"array"}`, want: `["A","B"]`},
		{name: "collect nothing", config: `{"jq":"empty","multiple":"array"}`, want: `[]`},
		{name: "variables", config: `{"jq":"[$trigger.customer.id, $nodes.t.public_id, $run.business_key, $item, $index]"}`, want: `[7,"10234","10234",null,null]`},
		{name: "runtime error", config: `{"jq":".lines | ascii_downcase"}`, err: "jq:"},
		{name: "halt stops quietly", config: `{"jq":"1, halt"}`, want: `1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := run(t, mustNode(t, "map", tt.config), input(t, order))
			if expectError(t, err, tt.err) {
				return
			}
			if got := toJSON(t, out.Output); got != tt.want {
				t.Errorf("output = %s, want %s", got, tt.want)
			}
		})
	}
}
