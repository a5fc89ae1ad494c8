package engine

import (
	"context"
	"encoding/json"
	"fmt"
)

// Connectors gives connector nodes access to the tenant's connections.
type Connectors interface {
	// Operation reports the spec of an operation on a connection; used at
	// compile time. It returns a *NotFoundError when the connection or the
	// operation does not exist.
	Operation(ctx context.Context, connectionID, operation string) (OperationInfo, error)
	// Invoke performs an operation. Errors implementing Retryable() bool or
	// RetryAfter() time.Duration classify the run's failure (see Result).
	Invoke(ctx context.Context, call ConnectorCall) (any, error)
}

// OperationInfo describes a connector operation.
type OperationInfo struct {
	// Writes marks operations that change the target system.
	Writes bool
	// InputSchema is the JSON Schema of the operation's input, if known.
	InputSchema json.RawMessage
}

// ConnectorCall is one invocation of a connector operation.
type ConnectorCall struct {
	ConnectionID string
	Operation    string
	// Input is plain JSON values shared with the run; do not modify it.
	Input   any
	RunID   string
	StepKey string
	// IdempotencyKey is stable across re-executions of the same step
	// (run id + step key); connectors pass it to targets that support one.
	IdempotencyKey string
}

// NotFoundError reports an unknown connection or operation.
type NotFoundError struct {
	ConnectionID string
	Operation    string // empty when the connection itself is missing
}

func (e *NotFoundError) Error() string {
	if e.Operation == "" {
		return fmt.Sprintf("connection %q does not exist", e.ConnectionID)
	}
	return fmt.Sprintf("connection %q has no operation %q", e.ConnectionID, e.Operation)
}
