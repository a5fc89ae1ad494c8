// Package plans turns stored flow definitions into compiled engine plans for
// a tenant, and caches them by flow version so every run of a version reuses
// one plan.
package plans

import (
	"context"

	"github.com/bridgework/bridgework/engine"
)

// ConnectorsFor returns the connector access of one tenant.
type ConnectorsFor func(tenantID string) engine.Connectors

// Compiler compiles and caches plans.
type Compiler struct {
	registry   *engine.Registry
	connectors ConnectorsFor
	cache      *engine.PlanCache
}

// New returns a compiler over the node registry; connectors may be nil when
// no connections are available.
func New(registry *engine.Registry, connectors ConnectorsFor, cacheSize int) *Compiler {
	return &Compiler{registry: registry, connectors: connectors, cache: engine.NewPlanCache(cacheSize)}
}

// Registry is the node registry plans are compiled against.
func (c *Compiler) Registry() *engine.Registry { return c.registry }

// Compile parses and compiles a definition for a tenant without caching it
// (saving, publishing and test runs). Problems come back as *engine.ValidationError.
func (c *Compiler) Compile(ctx context.Context, tenantID string, definition []byte) (*engine.Plan, error) {
	flow, err := engine.ParseFlow(definition)
	if err != nil {
		return nil, err
	}
	env := engine.Env{TenantID: tenantID}
	if c.connectors != nil {
		env.Connectors = c.connectors(tenantID)
	}
	return engine.Compile(ctx, flow, c.registry, env)
}

// Plan returns the cached plan of a flow version, compiling it on first use.
func (c *Compiler) Plan(ctx context.Context, tenantID, versionID string, definition []byte) (*engine.Plan, error) {
	return c.cache.Get(versionID, func() (*engine.Plan, error) { return c.Compile(ctx, tenantID, definition) })
}

// Cached returns the plan of a flow version if it is compiled already, so a
// caller can skip loading the version's definition.
func (c *Compiler) Cached(versionID string) (*engine.Plan, bool) {
	return c.cache.Lookup(versionID)
}
