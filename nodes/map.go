package nodes

import (
	"context"
	"fmt"

	"github.com/bridgework/bridgework/engine"
)

// TypeMap reshapes data with a jq program.
const TypeMap = "map"

// Values of the map node's "multiple" setting.
const (
	MultipleError = "error"
	MultipleArray = "array"
)

var mapSpec = engine.NodeSpec{
	Type:        TypeMap,
	Title:       "Map (jq)",
	Category:    CategoryTransform,
	Description: "Runs a jq program over the input (the upstream output). One result becomes the output; no result gives null; several results are an error unless multiple is \"array\", which collects them.",
	Config: object("", []string{"jq"}, map[string]*engine.Schema{
		"jq":       jqField("jq program over the input."),
		"multiple": {Type: "string", Enum: []any{MultipleError, MultipleArray}, Default: MultipleError, Description: "What to do when the program yields several values."},
	}),
	Ports:     []string{engine.PortOut},
	Variables: engine.JQVariables,
	Examples: []engine.Example{
		example("Heartland order to Epicor sales order", map[string]any{
			"jq": `{CustNum: .customer.custom.epicor_cust_num, PONum: "HL-\(.public_id)", OrderDtl: [.lines[] | {PartNum: .item.public_id, SellingQuantity: .qty, DocUnitPrice: .unit_price}]}`,
		}),
		example("One output per line", map[string]any{"jq": ".lines[]", "multiple": MultipleArray}),
	},
}

// Map is a compiled map node.
type Map struct {
	program *engine.JQ
	collect bool
}

func registerMap(r *engine.Registry) {
	r.Register(mapSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			JQ       string `json:"jq"`
			Multiple string `json:"multiple"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		return &Map{program: b.JQ("config.jq", c.JQ), collect: c.Multiple == MultipleArray}, nil
	})
}

// Run evaluates the program over the input.
func (m *Map) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	vs, err := m.program.Run(ctx, in.Value, in)
	if err != nil {
		return engine.Outcome{}, err
	}
	switch {
	case m.collect:
		if vs == nil {
			vs = []any{}
		}
		return engine.Outcome{Output: vs}, nil
	case len(vs) == 0:
		return engine.Outcome{}, nil
	case len(vs) == 1:
		return engine.Outcome{Output: vs[0]}, nil
	}
	return engine.Outcome{}, fmt.Errorf("jq program yielded %d values; set multiple to %q to collect them", len(vs), MultipleArray)
}
