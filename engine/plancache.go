package engine

import (
	"container/list"
	"sync"
)

// PlanCache keeps compiled plans by flow version id so every run of a
// version reuses one Plan. It holds at most its capacity, evicting the least
// recently used. Safe for concurrent use.
type PlanCache struct {
	mu       sync.Mutex
	capacity int
	lru      *list.List // of *cacheEntry, most recent first
	entries  map[string]*list.Element
}

type cacheEntry struct {
	key  string
	plan *Plan
}

// NewPlanCache returns a cache holding up to capacity plans (at least 1).
func NewPlanCache(capacity int) *PlanCache {
	return &PlanCache{capacity: max(capacity, 1), lru: list.New(), entries: map[string]*list.Element{}}
}

// Get returns the plan of a flow version, compiling it with compile on a
// miss. Compile errors are returned and not cached. Two goroutines missing
// at once may both compile; the first result is kept.
func (c *PlanCache) Get(versionID string, compile func() (*Plan, error)) (*Plan, error) {
	if p, ok := c.Lookup(versionID); ok {
		return p, nil
	}
	p, err := compile()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[versionID]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*cacheEntry).plan, nil
	}
	c.entries[versionID] = c.lru.PushFront(&cacheEntry{key: versionID, plan: p})
	for c.lru.Len() > c.capacity {
		oldest := c.lru.Back()
		c.lru.Remove(oldest)
		delete(c.entries, oldest.Value.(*cacheEntry).key)
	}
	return p, nil
}

// Lookup returns the cached plan of a flow version, if any.
func (c *PlanCache) Lookup(versionID string) (*Plan, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[versionID]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(el)
	return el.Value.(*cacheEntry).plan, true
}

// Remove drops a flow version's plan (e.g. when its connections change).
func (c *PlanCache) Remove(versionID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[versionID]; ok {
		c.lru.Remove(el)
		delete(c.entries, versionID)
	}
}

// Len returns the number of cached plans.
func (c *PlanCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
