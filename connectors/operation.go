// Package connectors describes what Bridgework can call on external
// systems: operation specs per system, a registry of them, connections, and
// the Invoker that runs an operation against a connection.
package connectors

import (
	"context"
	"encoding/json"
)

// Operation is one thing a flow can do with a system, such as
// "create_sales_order". Its specs drive input validation, docs and editor forms.
type Operation struct {
	System       string          `json:"system"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Writes       bool            `json:"writes"`
	InputSchema  json.RawMessage `json:"input_schema"`
	OutputSchema json.RawMessage `json:"output_schema"`
	// IdempotencyKey names the input field(s), comma-separated, whose values
	// identify the record a write creates (e.g. "PONum"). Empty when the
	// system offers no natural key.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Lookup names the read operation that finds a record this write may
	// already have created, for recovering from an unknown outcome. It takes
	// the IdempotencyKey fields as input.
	Lookup string `json:"lookup,omitempty"`
	// Parts marks a batch write that sends its records in parts through
	// Once (an adjustment set, one item): a repeated call of the same step
	// sends only the parts not recorded as done, so it is run again after an
	// unknown outcome rather than refused.
	Parts bool `json:"parts,omitempty"`

	// Run performs the operation with a client opened by the system's Open.
	// Input has already been validated against InputSchema.
	Run func(ctx context.Context, client Client, input map[string]any) (any, error) `json:"-"`
}

// Client is an open connection to a system.
type Client interface {
	// Test makes a cheap authenticated call and returns a clear error when
	// the URL, the credentials or the network are wrong.
	Test(ctx context.Context) error
}

// System is one kind of connection: how to open it and what it can do.
type System struct {
	Name         string          // connection type: "heartland", "epicor", "http"
	Title        string          // human name
	ConfigSchema json.RawMessage // the non-secret config fields
	Secrets      []string        // names of the secret fields it reads
	Open         func(conn Connection, env Env) (Client, error)
	Operations   []Operation
}
