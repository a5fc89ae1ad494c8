package engine

import (
	"fmt"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// ExprEnv is the typed environment of expr expressions (condition, switch).
type ExprEnv struct {
	Input   any            `expr:"input"`
	Trigger any            `expr:"trigger"`
	Nodes   map[string]any `expr:"nodes"`
	Run     map[string]any `expr:"run"`
	Item    any            `expr:"item"`
	Index   any            `expr:"index"`
}

// ExprVariables document ExprEnv for node specs.
var ExprVariables = []Variable{
	{Name: "input", Description: "the node's input (upstream output)"},
	{Name: "trigger", Description: "the trigger payload"},
	{Name: "nodes", Description: "map of node id to output for the steps that succeeded so far"},
	{Name: "run", Description: "{id, business_key} of the current run"},
	{Name: "item", Description: "the current element inside a foreach branch, else nil"},
	{Name: "index", Description: "the current element's index inside a foreach branch, else nil"},
}

// Expr is a compiled expr-lang expression.
type Expr struct {
	src  string
	prog *vm.Program
}

// CompileExpr compiles an expression against ExprEnv. With boolean set, the
// expression must produce a bool (checked at compile time where the types
// are known, at run time otherwise).
func CompileExpr(src string, boolean bool) (*Expr, error) {
	opts := []expr.Option{expr.Env(ExprEnv{})}
	if boolean {
		opts = append(opts, expr.AsBool())
	}
	prog, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, fmt.Errorf("expr: %w", err)
	}
	return &Expr{src: src, prog: prog}, nil
}

// String returns the expression's source.
func (e *Expr) String() string { return e.src }

// Eval evaluates the expression for a step.
func (e *Expr) Eval(in *Input) (any, error) {
	env := ExprEnv{Input: in.Value, Trigger: in.Trigger, Nodes: in.Nodes, Run: in.Run, Item: in.Item, Index: in.Index}
	out, err := expr.Run(e.prog, env)
	if err != nil {
		return nil, fmt.Errorf("expr: %w", err)
	}
	return out, nil
}
