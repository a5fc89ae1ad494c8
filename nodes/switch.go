package nodes

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bridgework/bridgework/engine"
)

// TypeSwitch routes the input to the port named by an expression's value.
const TypeSwitch = "switch"

var switchSpec = engine.NodeSpec{
	Type:        TypeSwitch,
	Title:       "Switch",
	Category:    CategoryFlow,
	Description: "Evaluates an expr-lang expression and passes the input on through the port named like its value (numbers and booleans are matched by their text); values matching no case go to the default port.",
	Config: object("", []string{"expression", "cases"}, map[string]*engine.Schema{
		"expression": nonEmpty("expr-lang expression whose value picks the port.", engine.FormatExpr),
		"cases":      {Type: "array", Description: "Port names, one per case.", Items: &engine.Schema{Type: "string", MinLength: ptr(1)}},
	}),
	Ports:        []string{engine.PortDefault},
	DynamicPorts: true,
	Variables:    engine.ExprVariables,
	Examples: []engine.Example{
		example("By order channel", map[string]any{"expression": "input.channel", "cases": []string{"web", "store"}}),
	},
}

// Switch is a compiled switch node.
type Switch struct {
	expression *engine.Expr
	cases      map[string]bool
	ports      []string
}

func registerSwitch(r *engine.Registry) {
	r.Register(switchSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Expression string   `json:"expression"`
			Cases      []string `json:"cases"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		s := &Switch{expression: b.Expr("config.expression", c.Expression, false), cases: map[string]bool{}}
		for i, name := range c.Cases {
			field := "config.cases[" + strconv.Itoa(i) + "]"
			switch {
			case name == engine.PortDefault || name == engine.PortError:
				b.Errorf(field, "%q is a reserved port name", name)
			case s.cases[name]:
				b.Errorf(field, "duplicate case %q", name)
			default:
				s.cases[name] = true
				s.ports = append(s.ports, name)
			}
		}
		s.ports = append(s.ports, engine.PortDefault)
		return s, nil
	})
}

// Ports returns the case ports followed by "default".
func (s *Switch) Ports() []string { return s.ports }

// Run evaluates the expression and picks the port.
func (s *Switch) Run(_ context.Context, in *engine.Input) (engine.Outcome, error) {
	v, err := s.expression.Eval(in)
	if err != nil {
		return engine.Outcome{}, err
	}
	var key string
	switch t := v.(type) {
	case string:
		key = t
	case nil:
	default:
		key = fmt.Sprint(t)
	}
	port := engine.PortDefault
	if s.cases[key] {
		port = key
	}
	return engine.Outcome{Output: in.Value, Port: port}, nil
}
