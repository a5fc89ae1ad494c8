package store

import (
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// ConfigCacheTTL is how long the hot paths reuse what they read of tenants'
// configuration (a webhook's HookDelivery, a connection) without reading it
// again. Writes through this process to the configuration tables drop these
// caches at once; changes made by another process are seen within this time.
const ConfigCacheTTL = time.Second

// configCacheMax bounds the entries of one cache; beyond it the cache starts
// afresh.
const configCacheMax = 10000

// configTables are the tables the cached reads come from.
var configTables = map[string]bool{"hooks": true, "flows": true, "tenants": true, "connections": true}

// configCache keeps recent reads of configuration by key. Entries are tagged
// with the generation of configuration writes they were read under, so a
// write made through this process invalidates them all.
type configCache[V any] struct {
	gen     *atomic.Uint64
	mu      sync.Mutex
	entries map[string]configEntry[V]
}

type configEntry[V any] struct {
	v    V
	gen  uint64
	read time.Time
}

func newConfigCache[V any](gen *atomic.Uint64) *configCache[V] {
	return &configCache[V]{gen: gen}
}

// get returns a copy of the cached value of key, if still valid.
func (c *configCache[V]) get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if !ok || e.gen != c.gen.Load() || now.Sub(e.read) >= ConfigCacheTTL {
		var zero V
		return zero, false
	}
	return e.v, true
}

// generation is the value to pass to put for a read starting now.
func (c *configCache[V]) generation() uint64 { return c.gen.Load() }

// put caches v, read at read under generation gen.
func (c *configCache[V]) put(key string, v V, gen uint64, read time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= configCacheMax {
		c.entries = make(map[string]configEntry[V])
	}
	c.entries[key] = configEntry[V]{v: v, gen: gen, read: read}
}

// registerConfigInvalidation makes writes to the configuration tables bump
// gen, which invalidates every cached read.
func registerConfigInvalidation(db *gorm.DB, gen *atomic.Uint64) error {
	bump := func(db *gorm.DB) {
		if configTables[db.Statement.Table] {
			gen.Add(1)
		}
	}
	cb := db.Callback()
	if err := cb.Create().After("gorm:create").Register("bridgework:config_create", bump); err != nil {
		return err
	}
	if err := cb.Update().After("gorm:update").Register("bridgework:config_update", bump); err != nil {
		return err
	}
	return cb.Delete().After("gorm:delete").Register("bridgework:config_delete", bump)
}
