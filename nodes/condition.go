package nodes

import (
	"context"
	"fmt"

	"github.com/bridgework/bridgework/engine"
)

// TypeCondition routes the input to its true or false port.
const TypeCondition = "condition"

var conditionSpec = engine.NodeSpec{
	Type:        TypeCondition,
	Title:       "Condition",
	Category:    CategoryFlow,
	Description: "Evaluates a boolean expr-lang expression and passes the input on through the true or the false port; the nodes behind the other port are skipped.",
	Config: object("", []string{"expression"}, map[string]*engine.Schema{
		"expression": nonEmpty("expr-lang expression yielding a boolean.", engine.FormatExpr),
	}),
	Ports:     []string{engine.PortTrue, engine.PortFalse},
	Variables: engine.ExprVariables,
	Examples: []engine.Example{
		example("Only paid orders", map[string]any{"expression": `input.status == "paid" && input.total > 0`}),
	},
}

// Condition is a compiled condition node.
type Condition struct {
	expression *engine.Expr
}

func registerCondition(r *engine.Registry) {
	r.Register(conditionSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Expression string `json:"expression"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		return &Condition{expression: b.Expr("config.expression", c.Expression, true)}, nil
	})
}

// Run evaluates the expression and picks the port.
func (c *Condition) Run(_ context.Context, in *engine.Input) (engine.Outcome, error) {
	v, err := c.expression.Eval(in)
	if err != nil {
		return engine.Outcome{}, err
	}
	ok, isBool := v.(bool)
	if !isBool {
		return engine.Outcome{}, fmt.Errorf("expression yielded %T, expected a boolean", v)
	}
	port := engine.PortFalse
	if ok {
		port = engine.PortTrue
	}
	return engine.Outcome{Output: in.Value, Port: port}, nil
}
