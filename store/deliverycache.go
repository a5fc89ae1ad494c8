package store

import (
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// DeliveryCacheTTL is how long a webhook's HookDelivery is reused without
// reading it again. Writes through this process to hooks, flows or tenants
// drop the cache at once; changes made by another process are seen within
// this time.
const DeliveryCacheTTL = time.Second

// deliveryCacheMax bounds the hooks whose delivery is cached; beyond it the
// cache starts afresh.
const deliveryCacheMax = 10000

// deliveryCache keeps recent HookDelivery answers. Entries are tagged with
// the generation of delivery-relevant writes they were read under.
type deliveryCache struct {
	gen     atomic.Uint64 // bumped by every write to hooks, flows or tenants
	mu      sync.Mutex
	entries map[string]deliveryEntry
}

type deliveryEntry struct {
	d    HookDelivery
	gen  uint64
	read time.Time
}

// get returns a copy of the cached delivery of hook id, if still valid.
func (c *deliveryCache) get(id string, now time.Time) (*HookDelivery, bool) {
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || now.Sub(e.read) >= DeliveryCacheTTL {
		return nil, false
	}
	return &e.d, true
}

// put caches d, read at read under generation gen.
func (c *deliveryCache) put(id string, d *HookDelivery, gen uint64, read time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= deliveryCacheMax {
		c.entries = make(map[string]deliveryEntry)
	}
	c.entries[id] = deliveryEntry{d: *d, gen: gen, read: read}
}

// deliveryTables are the tables HookDelivery reads.
var deliveryTables = map[string]bool{"hooks": true, "flows": true, "tenants": true}

// registerDeliveryInvalidation makes writes to the delivery tables drop the
// cache (they bump its generation).
func registerDeliveryInvalidation(db *gorm.DB, c *deliveryCache) error {
	bump := func(db *gorm.DB) {
		if deliveryTables[db.Statement.Table] {
			c.gen.Add(1)
		}
	}
	cb := db.Callback()
	if err := cb.Create().After("gorm:create").Register("bridgework:delivery_create", bump); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("bridgework:delivery_update", bump); err != nil {
		return err
	}
	return cb.Delete().After("gorm:delete").Register("bridgework:delivery_delete", bump)
}
