package nodes

import (
	"context"
	"fmt"

	"github.com/bridgework/bridgework/engine"
)

// TypeForeach runs a branch once per element of an array.
const TypeForeach = "foreach"

// MaxForeachConcurrency bounds the concurrency setting.
const MaxForeachConcurrency = 32

var foreachSpec = engine.NodeSpec{
	Type:        TypeForeach,
	Title:       "For each",
	Category:    CategoryFlow,
	Description: "Evaluates items (a jq program yielding an array) and runs the branch behind the item port once per element, up to concurrency at a time. Inside the branch the element is the input of the first nodes and $item/$index (item/index in expr) are set. The done port carries the array of per-element results: the output of the branch's last node (an object keyed by node id when the branch ends in several nodes; null where it was skipped).",
	Config: object("", []string{"items"}, map[string]*engine.Schema{
		"items":       jqField("jq program over the input yielding the array to iterate."),
		"concurrency": {Type: "integer", Minimum: ptr(1.0), Maximum: ptr(float64(MaxForeachConcurrency)), Default: engine.DefaultConcurrency, Description: "How many elements are processed at once."},
	}),
	Ports:     []string{engine.PortItem, engine.PortDone},
	Iterates:  true,
	Variables: engine.JQVariables,
	Examples: []engine.Example{
		example("Every order line, two at a time", map[string]any{"items": ".lines", "concurrency": 2}),
	},
}

// Foreach is a compiled foreach node.
type Foreach struct {
	items       *engine.JQ
	concurrency int
}

func registerForeach(r *engine.Registry) {
	r.Register(foreachSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Items       string `json:"items"`
			Concurrency int    `json:"concurrency"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		if c.Concurrency == 0 {
			c.Concurrency = engine.DefaultConcurrency
		}
		return &Foreach{items: b.JQ("config.items", c.Items), concurrency: c.Concurrency}, nil
	})
}

// Concurrency returns how many iterations may run at once.
func (f *Foreach) Concurrency() int { return f.concurrency }

// Run evaluates items; the engine runs the branch per element.
func (f *Foreach) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	v, err := f.items.One(ctx, in.Value, in)
	if err != nil {
		return engine.Outcome{}, err
	}
	switch v.(type) {
	case []any:
		return engine.Outcome{Output: v}, nil
	case nil:
		return engine.Outcome{Output: []any{}}, nil
	}
	return engine.Outcome{}, fmt.Errorf("items yielded %T, expected an array", v)
}
