package telemetry

import "sync"

// Other is the label value that stands for every tenant or flow beyond the
// cardinality bounds.
const Other = "other"

// Default cardinality bounds of the tenant and flow labels.
const (
	DefaultMaxTenants        = 50
	DefaultMaxFlowsPerTenant = 20
)

// labelCap bounds the tenant and flow label values a process exports: the
// first maxTenants tenants it sees keep their id and later ones are counted
// as "other"; likewise the first maxFlows flows of each tenant.
type labelCap struct {
	maxTenants, maxFlows int

	mu    sync.Mutex
	flows map[string]map[string]struct{}
}

func newLabelCap(maxTenants, maxFlows int) *labelCap {
	return &labelCap{maxTenants: maxTenants, maxFlows: maxFlows, flows: map[string]map[string]struct{}{}}
}

// tenant returns the label value of a tenant, admitting it if there is room.
func (c *labelCap) tenant(tenant string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.admitTenant(tenant) == nil {
		return Other
	}
	return tenant
}

// pair returns the label values of a tenant and one of its flows.
func (c *labelCap) pair(tenant, flow string) (string, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fs := c.admitTenant(tenant)
	if fs == nil {
		return Other, Other
	}
	if _, ok := fs[flow]; !ok {
		if len(fs) >= c.maxFlows {
			return tenant, Other
		}
		fs[flow] = struct{}{}
	}
	return tenant, flow
}

// admitTenant returns the tenant's flow set, or nil when the tenant is over
// the bound. c.mu is held.
func (c *labelCap) admitTenant(tenant string) map[string]struct{} {
	if fs, ok := c.flows[tenant]; ok {
		return fs
	}
	if len(c.flows) >= c.maxTenants {
		return nil
	}
	fs := map[string]struct{}{}
	c.flows[tenant] = fs
	return fs
}
