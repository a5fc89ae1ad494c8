// Package connections gives the engine and the API access to a tenant's
// stored connections: it seals and opens their secrets, resolves connector
// operations at compile time and invokes them at run time.
package connections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bridgework/bridgework/connectors"
	"github.com/bridgework/bridgework/connectors/httpx"
	"github.com/bridgework/bridgework/engine"
	"github.com/bridgework/bridgework/internal/netguard"
	"github.com/bridgework/bridgework/internal/secret"
	"github.com/bridgework/bridgework/store"
)

// Service resolves connections for every tenant of the process.
type Service struct {
	Store    *store.Store
	Box      *secret.Box
	Registry *connectors.Registry
	Invoker  *connectors.Invoker
}

// aad binds a connection's ciphertext to its tenant and id.
func aad(c *store.Connection) []byte { return secret.ConnectionAAD(c.TenantID, c.ID) }

// OpenSecrets decrypts a stored connection's secrets.
func (s *Service) OpenSecrets(c *store.Connection) (map[string]string, error) {
	out := map[string]string{}
	if len(c.Secrets) == 0 {
		return out, nil
	}
	plain, err := s.Box.Open(c.Secrets, aad(c))
	if err != nil {
		return nil, err
	}
	return out, json.Unmarshal(plain, &out)
}

// SealSecrets encrypts secrets into c (c.ID and c.TenantID must be set).
func (s *Service) SealSecrets(c *store.Connection, secrets map[string]string) error {
	if len(secrets) == 0 {
		c.Secrets = nil
		return nil
	}
	plain, err := json.Marshal(secrets)
	if err != nil {
		return err
	}
	c.Secrets, err = s.Box.Seal(plain, aad(c))
	return err
}

// Resolve loads a tenant's connection with its secrets, as connectors use it.
func (s *Service) Resolve(ctx context.Context, tenantID, connectionID string) (connectors.Connection, error) {
	c, err := s.Store.Tenant(tenantID).CachedConnection(ctx, connectionID)
	if err != nil {
		return connectors.Connection{}, err
	}
	secrets, err := s.OpenSecrets(c)
	if err != nil {
		return connectors.Connection{}, fmt.Errorf("connection %s: %w", c.Name, err)
	}
	cfg := map[string]any{}
	if len(c.Config) > 0 {
		if err := json.Unmarshal(c.Config, &cfg); err != nil {
			return connectors.Connection{}, fmt.Errorf("connection %s: config: %w", c.Name, err)
		}
	}
	return connectors.Connection{ID: c.ID, Type: c.Type, Config: cfg, Secrets: secrets}, nil
}

// Test checks that a connection reaches its system with its credentials.
func (s *Service) Test(ctx context.Context, tenantID, connectionID string) error {
	conn, err := s.Resolve(ctx, tenantID, connectionID)
	if err != nil {
		return err
	}
	return s.Invoker.Test(netguard.WithTenant(ctx, tenantID), conn)
}

// For returns the engine's view of one tenant's connections.
func (s *Service) For(tenantID string) engine.Connectors {
	return tenantConnectors{s: s, tenantID: tenantID}
}

type tenantConnectors struct {
	s        *Service
	tenantID string
}

// Operation resolves an operation on a connection, for compile-time checks.
func (t tenantConnectors) Operation(ctx context.Context, connectionID, operation string) (engine.OperationInfo, error) {
	c, err := t.s.Store.Tenant(t.tenantID).CachedConnection(ctx, connectionID)
	if errors.Is(err, store.ErrNotFound) {
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: connectionID}
	}
	if err != nil {
		return engine.OperationInfo{}, err
	}
	op, ok := t.s.Registry.Operation(c.Type, operation)
	if !ok {
		return engine.OperationInfo{}, &engine.NotFoundError{ConnectionID: connectionID, Operation: operation}
	}
	return engine.OperationInfo{Writes: op.Writes, InputSchema: op.InputSchema}, nil
}

// Invoke performs an operation for a run (or a template install). Its
// requests are made for the tenant: the guard applies its outbound allow-list.
func (t tenantConnectors) Invoke(ctx context.Context, call engine.ConnectorCall) (any, error) {
	ctx = netguard.WithTenant(ctx, t.tenantID)
	conn, err := t.s.Resolve(ctx, t.tenantID, call.ConnectionID)
	if err != nil {
		return nil, err
	}
	input, ok := call.Input.(map[string]any)
	if !ok {
		if call.Input != nil {
			return nil, fmt.Errorf("operation %s: the input must be a JSON object, got %T", call.Operation, call.Input)
		}
		input = map[string]any{}
	}
	op, ok := t.s.Registry.Operation(conn.Type, call.Operation)
	if !ok {
		return nil, &engine.NotFoundError{ConnectionID: call.ConnectionID, Operation: call.Operation}
	}
	var out any
	if !op.Writes {
		out, err = t.s.Invoker.Invoke(ctx, conn, call.Operation, input)
	} else {
		out, err = t.write(ctx, conn, op, input, call)
	}
	if errors.Is(err, httpx.ErrServer) {
		// A 5xx from the target is worth retrying: reads are safe, and the
		// effect ledger resolves a write whose outcome it left unknown.
		err = &engine.TransientError{Err: err}
	}
	return out, err
}
