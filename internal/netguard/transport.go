package netguard

import (
	"context"
	"fmt"
	"net/http"
	"sync"
)

type tenantKey struct{}

// WithTenant marks ctx as work done on behalf of a tenant: Transport adds
// that tenant's allow-list (Options.TenantAllow) to its requests. An empty id
// leaves ctx as it is.
func WithTenant(ctx context.Context, tenantID string) context.Context {
	if tenantID == "" {
		return ctx
	}
	return context.WithValue(ctx, tenantKey{}, tenantID)
}

// TenantOf returns the tenant a context works for, or "".
func TenantOf(ctx context.Context) string {
	id, _ := ctx.Value(tenantKey{}).(string)
	return id
}

// idlePerHost is how many idle keep-alive connections a pool keeps per host:
// flows call the same few hosts (an ERP, a POS) from many workers at once,
// and net/http's default of 2 would make most calls dial afresh.
const idlePerHost = 64

// maxPools bounds the connection pools a Transport keeps, one per distinct
// allow-list in use; the least recently used is closed beyond it.
const maxPools = 64

// Transport returns an HTTP transport that dials through the guard and
// ignores proxy settings (a proxy would resolve names past the check).
//
// It is where a tenant's allow-list meets its requests: for a context marked
// WithTenant it adds the tenant's exceptions (WithAllowList). And because the
// check happens when a connection is dialled, connections are pooled per
// allow-list: a keep-alive connection to a private address opened under one
// tenant's list is never handed to a request made under another list.
func (g *Guard) Transport() http.RoundTripper {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.Proxy = nil
	base.DialContext = g.DialContext
	base.MaxIdleConnsPerHost = idlePerHost
	base.MaxIdleConns = 4 * idlePerHost
	return &transport{g: g, base: base, pools: map[string]*pool{}}
}

type transport struct {
	g    *Guard
	base *http.Transport // cloned for every pool

	mu    sync.Mutex
	pools map[string]*pool // by AllowList.String() of the request's context
	tick  uint64
}

type pool struct {
	t    *http.Transport
	used uint64 // tick of the last request, for eviction
}

// RoundTrip sends r through the pool of its context's allow-list.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx := r.Context()
	if id := TenantOf(ctx); id != "" && t.g.tenantAllow != nil {
		list, err := t.g.tenantAllow(ctx, id)
		if err != nil {
			if r.Body != nil {
				r.Body.Close() // a RoundTripper closes the body, even on errors
			}
			return nil, fmt.Errorf("netguard: outbound allow-list of tenant %s: %w", id, err)
		}
		if !list.Empty() {
			ctx = WithAllowList(ctx, list)
			r = r.WithContext(ctx)
		}
	}
	return t.pool(allowFrom(ctx).String()).RoundTrip(r)
}

// pool returns the transport whose connections were all dialled under the
// allow-list key.
func (t *transport) pool(key string) *http.Transport {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.tick++
	if p, ok := t.pools[key]; ok {
		p.used = t.tick
		return p.t
	}
	if len(t.pools) >= maxPools {
		var oldest string
		var oldestUsed uint64
		for k, p := range t.pools {
			if oldestUsed == 0 || p.used < oldestUsed {
				oldest, oldestUsed = k, p.used
			}
		}
		t.pools[oldest].t.CloseIdleConnections()
		delete(t.pools, oldest)
	}
	p := &pool{t: t.base.Clone(), used: t.tick}
	t.pools[key] = p
	return p.t
}

// CloseIdleConnections closes the idle connections of every pool.
func (t *transport) CloseIdleConnections() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, p := range t.pools {
		p.t.CloseIdleConnections()
	}
}
