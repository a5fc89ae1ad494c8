package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/itchyny/gojq"

	"github.com/bridgework/bridgework/transform"
)

// JQVariables are the variables every jq program in a flow can use, in the
// order JQ.Run passes them.
var JQVariables = []Variable{
	{Name: "$trigger", Description: "the trigger payload"},
	{Name: "$nodes", Description: "object of node id to output for the steps that succeeded so far"},
	{Name: "$run", Description: "{id, business_key} of the current run"},
	{Name: "$item", Description: "the current element inside a foreach branch, else null"},
	{Name: "$index", Description: "the current element's index inside a foreach branch, else null"},
}

var jqVariableNames = func() []string {
	names := make([]string, len(JQVariables))
	for i, v := range JQVariables {
		names[i] = v.Name
	}
	return names
}()

// JQ is a compiled jq program.
type JQ struct {
	src  string
	code *gojq.Code
}

// jqOptions declare the flow variables and register the shared functions of
// package transform (std_address, similarity, map_value, ...).
var jqOptions = append([]gojq.CompilerOption{gojq.WithVariables(jqVariableNames)}, transform.Functions()...)

// CompileJQ parses and compiles a jq program with the flow variables declared
// and the shared transform functions available.
func CompileJQ(src string) (*JQ, error) {
	q, err := gojq.Parse(src)
	if err != nil {
		var pe *gojq.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("jq syntax error at offset %d near %q: %w", pe.Offset, pe.Token, err)
		}
		return nil, fmt.Errorf("jq syntax error: %w", err)
	}
	code, err := gojq.Compile(q, jqOptions...)
	if err != nil {
		return nil, fmt.Errorf("jq compile error: %w", err)
	}
	return &JQ{src: src, code: code}, nil
}

// String returns the program's source.
func (q *JQ) String() string { return q.src }

// Run evaluates the program over input with the flow variables taken from in
// and returns every value it yields. A jq error (including halt_error) is
// returned as an error; ctx bounds the evaluation.
func (q *JQ) Run(ctx context.Context, input any, in *Input) ([]any, error) {
	iter := q.code.RunWithContext(ctx, input, in.Trigger, in.Nodes, in.Run, in.Item, in.Index)
	var out []any
	for {
		v, ok := iter.Next()
		if !ok {
			return out, nil
		}
		if err, isErr := v.(error); isErr {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return out, nil
			}
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, fmt.Errorf("jq: %w", ctxErr)
			}
			return nil, fmt.Errorf("jq: %w", err)
		}
		out = append(out, v)
	}
}

// One evaluates the program and returns its single value: null when it yields
// nothing, an error when it yields several.
func (q *JQ) One(ctx context.Context, input any, in *Input) (any, error) {
	vs, err := q.Run(ctx, input, in)
	if err != nil {
		return nil, err
	}
	switch len(vs) {
	case 0:
		return nil, nil
	case 1:
		return vs[0], nil
	}
	return nil, fmt.Errorf("jq: program yielded %d values, expected one", len(vs))
}

// Key evaluates the program as a lookup key (business key, dedupe key): ""
// when it yields null or nothing, strings as they are, other values as JSON.
func (q *JQ) Key(ctx context.Context, input any, in *Input) (string, error) {
	v, err := q.One(ctx, input, in)
	if err != nil {
		return "", err
	}
	switch k := v.(type) {
	case nil:
		return "", nil
	case string:
		return k, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("jq: encode key: %w", err)
	}
	return string(b), nil
}
