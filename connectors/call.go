package connectors

import (
	"context"
	"fmt"
)

// Call is an operation's prepared call on a system's client type C.
type Call[C any] func(ctx context.Context, c C) (any, error)

// Runner adapts a system's typed handler to Operation.Run. prepare reads the
// input (through Values, so a wrong field is reported before any request is
// sent) and returns the call to make.
func Runner[C Client](prepare func(in *Values) Call[C]) func(context.Context, Client, map[string]any) (any, error) {
	return func(ctx context.Context, client Client, input map[string]any) (any, error) {
		c, ok := client.(C)
		if !ok {
			return nil, fmt.Errorf("connectors: operation given a %T client", client)
		}
		in := NewValues("input", input)
		call := prepare(in)
		if err := in.Err(); err != nil {
			return nil, err
		}
		return call(ctx, c)
	}
}
