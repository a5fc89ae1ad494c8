package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Scoped is the store as one tenant sees it: every method reads and writes
// only that tenant's rows.
type Scoped struct {
	s        *Store
	tenantID string
}

// Tenant returns the store scoped to one tenant.
func (s *Store) Tenant(tenantID string) *Scoped { return &Scoped{s: s, tenantID: tenantID} }

// TenantID is the tenant this handle is scoped to.
func (t *Scoped) TenantID() string { return t.tenantID }

func (t *Scoped) db(ctx context.Context) *gorm.DB {
	return t.s.db.WithContext(ctx).Set(tenantKey, t.tenantID)
}

// system is the explicit, cross-tenant scope for lookups that happen before a
// tenant is known (API keys, webhook ids) and for platform administration.
func (s *Store) system(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Set(systemKey, true)
}

// NewID returns a new time-ordered identifier.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// scopeTx scopes a transaction handle to a tenant as a reusable session, so
// several statements can run on it.
func scopeTx(tx *gorm.DB, tenantID string) *gorm.DB {
	return tx.Set(tenantKey, tenantID).Session(&gorm.Session{})
}
