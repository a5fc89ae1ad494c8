package connectors

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
)

// Invoker runs operations against connections. It keeps one open client
// per connection (so cached tokens and rate limits carry over between
// calls) and reopens it when the connection's config or secrets change.
type Invoker struct {
	reg *Registry
	env Env

	mu      sync.Mutex
	clients map[string]openClient
}

type openClient struct {
	fingerprint string
	client      Client
}

// NewInvoker returns an Invoker for the registry's systems.
func NewInvoker(reg *Registry, env Env) *Invoker {
	return &Invoker{reg: reg, env: env, clients: map[string]openClient{}}
}

// Invoke validates input against the operation's input schema, calls the
// system and returns JSON-compatible output (maps, slices, strings, float64,
// bool, nil). Errors are *InputError for bad input or config, or
// *httpx.Error / *httpx.RateLimitedError from the system.
func (iv *Invoker) Invoke(ctx context.Context, conn Connection, operation string, input map[string]any) (out any, err error) {
	op, ok := iv.reg.Operation(conn.Type, operation)
	if !ok {
		if _, known := iv.reg.System(conn.Type); !known {
			return nil, fmt.Errorf("connectors: unknown connection type %q", conn.Type)
		}
		return nil, fmt.Errorf("%s: unknown operation %q", conn.Type, operation)
	}
	if input == nil {
		input = map[string]any{}
	}
	if err = iv.reg.Validate(conn.Type, operation, input); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", conn.Type, operation, err)
	}
	client, err := iv.open(conn)
	if err != nil {
		return nil, err
	}
	if iv.env.Calls != nil {
		var end func(error)
		ctx, end = iv.env.Calls.StartCall(ctx, conn.Type, operation)
		defer func() { end(err) }()
	}
	out, err = op.Run(ctx, client, input)
	var ie *InputError
	if errors.As(err, &ie) && err == error(ie) {
		return nil, fmt.Errorf("%s: %s: %w", conn.Type, operation, err)
	}
	if err != nil {
		return nil, err
	}
	out, err = JSONCompatible(out)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: encode output: %w", conn.Type, operation, err)
	}
	return out, nil
}

// Test opens the connection and makes the system's cheap test call.
func (iv *Invoker) Test(ctx context.Context, conn Connection) error {
	client, err := iv.open(conn)
	if err != nil {
		return err
	}
	return client.Test(ctx)
}

// Forget drops the open client of a connection (after it is edited or deleted).
func (iv *Invoker) Forget(connectionID string) {
	iv.mu.Lock()
	defer iv.mu.Unlock()
	delete(iv.clients, connectionID)
}

func (iv *Invoker) open(conn Connection) (Client, error) {
	if conn.ID == "" || conn.Type == "" {
		return nil, fmt.Errorf("connectors: %w", errNoConnection)
	}
	sys, ok := iv.reg.System(conn.Type)
	if !ok {
		return nil, fmt.Errorf("connectors: unknown connection type %q", conn.Type)
	}
	fp, err := fingerprint(conn)
	if err != nil {
		return nil, err
	}
	iv.mu.Lock()
	defer iv.mu.Unlock()
	if oc, ok := iv.clients[conn.ID]; ok && oc.fingerprint == fp {
		return oc.client, nil
	}
	client, err := sys.Open(conn, iv.env)
	if err != nil {
		return nil, fmt.Errorf("%s: open connection %s: %w", conn.Type, conn.ID, err)
	}
	iv.clients[conn.ID] = openClient{fingerprint: fp, client: client}
	return client, nil
}

// fingerprint identifies a connection's type, config and secrets.
func fingerprint(conn Connection) (string, error) {
	b, err := json.Marshal([]any{conn.Type, conn.Config, conn.Secrets})
	if err != nil {
		return "", fmt.Errorf("connectors: connection %s config: %w", conn.ID, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
