package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
)

// Env is what Compile needs from the outside world.
type Env struct {
	// Connectors resolves connector operations; nil means no connections
	// are available and connector nodes fail to compile.
	Connectors Connectors
	// TenantID is the tenant the flow belongs to, for nodes that keep
	// tenant-owned state (approvals, batches).
	TenantID string
}

// Build is handed to a Factory while compiling one node. Problems reported
// through it carry the node id.
type Build struct {
	ctx      context.Context
	nodeID   string
	config   json.RawMessage
	env      Env
	problems *problems
	failed   bool
}

// Context returns the compile context (for Connectors lookups).
func (b *Build) Context() context.Context { return b.ctx }

// NodeID returns the id of the node being compiled.
func (b *Build) NodeID() string { return b.nodeID }

// Connectors returns the compile environment's connectors (may be nil).
func (b *Build) Connectors() Connectors { return b.env.Connectors }

// TenantID returns the tenant the flow is compiled for (may be empty).
func (b *Build) TenantID() string { return b.env.TenantID }

// Decode decodes the node's config (already checked against the spec
// schema, without the common "timeout" field) into dst.
func (b *Build) Decode(dst any) error {
	dec := json.NewDecoder(bytes.NewReader(b.config))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("decode config: %w", describeJSONError(err))
	}
	return nil
}

// Errorf reports a config problem at field.
func (b *Build) Errorf(field, format string, args ...any) {
	b.failed = true
	b.problems.errorf(b.nodeID, field, format, args...)
}

// Warnf reports a warning at field.
func (b *Build) Warnf(field, format string, args ...any) {
	b.problems.warnf(b.nodeID, field, format, args...)
}

// JQ compiles the jq program in field; on failure it reports the problem and
// returns nil. An empty program yields nil without a problem.
func (b *Build) JQ(field, src string) *JQ {
	if src == "" {
		return nil
	}
	q, err := CompileJQ(src)
	if err != nil {
		b.Errorf(field, "%v", err)
		return nil
	}
	return q
}

// Expr compiles the expr expression in field (boolean: must yield a bool);
// on failure it reports the problem and returns nil.
func (b *Build) Expr(field, src string, boolean bool) *Expr {
	e, err := CompileExpr(src, boolean)
	if err != nil {
		b.Errorf(field, "%v", err)
		return nil
	}
	return e
}
