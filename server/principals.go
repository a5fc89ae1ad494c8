package server

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bridgework/bridgework/internal/auth"
	"github.com/bridgework/bridgework/store"
)

var (
	errRevoked         = apiError(fiber.StatusUnauthorized, "token_revoked", "the user or API key behind this token is disabled, revoked or deleted")
	errTenantSuspended = apiError(fiber.StatusForbidden, "tenant_suspended", "this tenant is suspended")
)

// principalTTL is how long a checked user or key stays trusted before it is
// read again. Changes made through this process take effect at once; changes
// made through another process within this time.
const principalTTL = 5 * time.Second

// principals checks on every request that the user or API key behind a valid
// token still exists and is enabled, that its tenant is active, and returns
// its current role. Results are cached briefly.
type principals struct {
	st *store.Store

	mu      sync.Mutex
	entries map[string]principalEntry
}

type principalEntry struct {
	role     auth.Role
	tenantID string
	err      error
	until    time.Time
}

func newPrincipals(st *store.Store) *principals {
	return &principals{st: st, entries: map[string]principalEntry{}}
}

// resolve returns the caller's current role, or errRevoked / errTenantSuspended.
func (p *principals) resolve(ctx context.Context, cl *auth.Claims) (auth.Role, error) {
	key := cl.Kind + ":" + cl.Subject
	now := time.Now()
	p.mu.Lock()
	e, ok := p.entries[key]
	p.mu.Unlock()
	if !ok || now.After(e.until) || e.tenantID != cl.TenantID {
		role, err := p.load(ctx, cl)
		if err != nil && !errors.Is(err, errRevoked) && !errors.Is(err, errTenantSuspended) {
			return 0, err // a database error is not cached
		}
		e = principalEntry{role: role, tenantID: cl.TenantID, err: err, until: now.Add(principalTTL)}
		p.mu.Lock()
		if len(p.entries) > 50_000 {
			clear(p.entries)
		}
		p.entries[key] = e
		p.mu.Unlock()
	}
	return e.role, e.err
}

func (p *principals) load(ctx context.Context, cl *auth.Claims) (auth.Role, error) {
	active, err := p.st.TenantActive(ctx, cl.TenantID)
	if errors.Is(err, store.ErrNotFound) {
		return 0, errRevoked
	}
	if err != nil {
		return 0, err
	}
	if !active {
		return 0, errTenantSuspended
	}
	ts := p.st.Tenant(cl.TenantID)
	var name string
	switch cl.Kind {
	case auth.KindUser:
		u, err := ts.UserByID(ctx, cl.Subject)
		if errors.Is(err, store.ErrNotFound) {
			return 0, errRevoked
		}
		if err != nil {
			return 0, err
		}
		if u.DisabledAt != nil {
			return 0, errRevoked
		}
		name = u.Role
	case auth.KindAPIKey:
		k, err := ts.APIKey(ctx, cl.Subject)
		if errors.Is(err, store.ErrNotFound) {
			return 0, errRevoked
		}
		if err != nil {
			return 0, err
		}
		if !keyUsable(k, time.Now()) {
			return 0, errRevoked
		}
		name = k.Role
	default:
		return 0, errRevoked
	}
	role, ok := auth.ParseRole(name)
	if !ok {
		return 0, errRevoked
	}
	return role, nil
}

// keyUsable reports whether an API key is neither revoked nor expired.
func keyUsable(k *store.APIKey, now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || now.Before(*k.ExpiresAt))
}

// forget drops the cached check of one user or key after it changed.
func (p *principals) forget(kind, subject string) {
	p.mu.Lock()
	delete(p.entries, kind+":"+subject)
	p.mu.Unlock()
}

// forgetTenant drops the cached checks of a tenant's callers after its status changed.
func (p *principals) forgetTenant(tenantID string) {
	p.mu.Lock()
	for k, e := range p.entries {
		if e.tenantID == tenantID {
			delete(p.entries, k)
		}
	}
	p.mu.Unlock()
}
