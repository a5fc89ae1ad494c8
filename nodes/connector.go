package nodes

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bridgework/bridgework/engine"
)

// TypeConnector calls an operation of a configured connection.
const TypeConnector = "connector"

var connectorSpec = engine.NodeSpec{
	Type:        TypeConnector,
	Title:       "Connector",
	Category:    CategoryAction,
	Description: "Calls an operation (such as create-sales-order) on a connection (such as the tenant's Epicor). The input jq program builds the operation's input from the node's input; without it the input is passed as is. The call carries an idempotency key (run id + step key), and a succeeded call is never repeated when the run is retried. Only operations that write count as side effects.",
	Config: object("", []string{"connection", "operation"}, map[string]*engine.Schema{
		"connection": nonEmpty("Connection id.", ""),
		"operation":  nonEmpty("Operation name of the connection's connector.", ""),
		"input":      jqField("jq program over the input building the operation input (default: the input)."),
	}),
	Ports:       []string{engine.PortOut},
	SideEffects: true,
	Variables:   engine.JQVariables,
	Examples: []engine.Example{
		example("Create an Epicor sales order", map[string]any{"connection": "epicor", "operation": "create_sales_order", "input": "{order: .}"}),
	},
}

// Connector is a compiled connector node.
type Connector struct {
	connectors engine.Connectors
	connection string
	operation  string
	input      *engine.JQ
	schema     *engine.Schema
	writes     bool
}

func registerConnector(r *engine.Registry) {
	r.Register(connectorSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Connection string `json:"connection"`
			Operation  string `json:"operation"`
			Input      string `json:"input"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		n := &Connector{connectors: b.Connectors(), connection: c.Connection, operation: c.Operation, input: b.JQ("config.input", c.Input)}
		if n.connectors == nil {
			b.Errorf("config.connection", "no connections are available to this flow")
			return n, nil
		}
		info, err := n.connectors.Operation(b.Context(), c.Connection, c.Operation)
		n.writes = info.Writes
		var nf *engine.NotFoundError
		switch {
		case errors.As(err, &nf) && nf.Operation == "":
			b.Errorf("config.connection", "%v", err)
		case errors.As(err, &nf):
			b.Errorf("config.operation", "%v", err)
		case err != nil:
			b.Errorf("config.connection", "look up operation %q: %v", c.Operation, err)
		case len(info.InputSchema) > 0:
			n.schema = new(engine.Schema)
			if err := json.Unmarshal(info.InputSchema, n.schema); err != nil {
				b.Errorf("config.operation", "operation %q has an unreadable input schema: %v", c.Operation, err)
			}
		}
		return n, nil
	})
}

// SideEffects reports whether the operation writes to the target system.
func (n *Connector) SideEffects() bool { return n.writes }

// Run builds the operation input and invokes the operation.
func (n *Connector) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	input := in.Value
	if n.input != nil {
		v, err := n.input.One(ctx, in.Value, in)
		if err != nil {
			return engine.Outcome{}, fmt.Errorf("input: %w", err)
		}
		input = v
	}
	if n.schema != nil {
		if errs := n.schema.Validate(input); len(errs) > 0 {
			return engine.Outcome{}, fmt.Errorf("%s.%s: invalid input: %w", n.connection, n.operation, errors.Join(schemaErrors(errs)...))
		}
	}
	out, err := n.connectors.Invoke(ctx, engine.ConnectorCall{
		ConnectionID:   n.connection,
		Operation:      n.operation,
		Input:          input,
		RunID:          in.RunID,
		StepKey:        in.StepKey,
		IdempotencyKey: in.RunID + ":" + in.StepKey,
	})
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("%s.%s: %w", n.connection, n.operation, err)
	}
	return engine.Outcome{Output: out}, nil
}

func schemaErrors(errs []engine.SchemaError) []error {
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = e
	}
	return out
}
