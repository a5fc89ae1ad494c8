package runner

import (
	"sync"

	"github.com/bridgework/bridgework/store"
)

// versionCacheSize bounds the flow versions an Enqueuer keeps; past it the
// cache starts over.
const versionCacheSize = 4096

// versionCache keeps flow versions by tenant, flow and number. Versions are
// immutable once saved, so an entry never goes stale; which version is
// published is read from the flow each time.
type versionCache struct {
	mu sync.Mutex
	m  map[versionKey]store.FlowVersion
}

type versionKey struct {
	tenantID, flowID string
	version          int
}

// get returns a copy of a cached version.
func (c *versionCache) get(k versionKey) (*store.FlowVersion, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return &v, ok
}

func (c *versionCache) put(k versionKey, v *store.FlowVersion) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= versionCacheSize {
		c.m = make(map[versionKey]store.FlowVersion)
	}
	c.m[k] = *v
}
