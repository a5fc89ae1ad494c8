// Package outbound gives the address guard each tenant's outbound
// allow-list (tenants.outbound_allow), read from the store and kept for a few
// seconds so an outbound request does not cost a query.
package outbound

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bridgework/bridgework/internal/netguard"
	"github.com/bridgework/bridgework/store"
)

// TTL bounds how long a changed allow-list takes to reach the other
// processes of a cluster; the process that makes the change forgets its copy
// at once.
const TTL = 5 * time.Second

// MaxEntries caps a tenant's allow-list.
const MaxEntries = 100

// Lists caches tenants' allow-lists. The zero value is not usable; set Store.
type Lists struct {
	Store *store.Store
	// TTL is how long a list is kept; 0 means the package's TTL.
	TTL time.Duration
	// Now replaces the clock in tests.
	Now func() time.Time

	mu    sync.Mutex
	known map[string]entry
	epoch uint64 // advanced by Forget: lookups that began before it are not kept
}

type entry struct {
	list    netguard.AllowList
	fetched time.Time
}

// Allow returns the tenant's parsed allow-list: the guard's TenantAllow. A
// tenant that no longer exists has none.
func (l *Lists) Allow(ctx context.Context, tenantID string) (netguard.AllowList, error) {
	now := l.now()
	l.mu.Lock()
	e, ok := l.known[tenantID]
	epoch := l.epoch
	l.mu.Unlock()
	if ok && now.Sub(e.fetched) < l.ttl() {
		return e.list, nil
	}
	entries, err := l.Store.TenantOutboundAllow(ctx, tenantID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return netguard.AllowList{}, err
	}
	list, err := netguard.ParseAllow(entries)
	if err != nil {
		return netguard.AllowList{}, fmt.Errorf("outbound_allow: %w", err)
	}
	l.mu.Lock()
	if l.epoch == epoch {
		if l.known == nil {
			l.known = map[string]entry{}
		}
		l.known[tenantID] = entry{list: list, fetched: now}
	}
	l.mu.Unlock()
	return list, nil
}

// Forget drops a tenant's cached list after it changed (or the tenant was
// deleted), so this process applies the new list to its next request.
func (l *Lists) Forget(tenantID string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	delete(l.known, tenantID)
	l.epoch++
	l.mu.Unlock()
}

func (l *Lists) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Lists) ttl() time.Duration {
	if l.TTL > 0 {
		return l.TTL
	}
	return TTL
}

// Validate checks an allow-list a platform admin sets: at most MaxEntries
// entries, none blank, each a CIDR, an address or a host name. It returns the
// entries trimmed; a bad entry is a *netguard.EntryError naming its index.
func Validate(entries []string) ([]string, error) {
	if len(entries) > MaxEntries {
		return nil, fmt.Errorf("outbound_allow may have at most %d entries, got %d", MaxEntries, len(entries))
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = strings.TrimSpace(e)
		if out[i] == "" {
			return nil, &netguard.EntryError{Index: i, Entry: e, Reason: "is empty"}
		}
	}
	if _, err := netguard.ParseAllow(out); err != nil {
		return nil, err
	}
	return out, nil
}
