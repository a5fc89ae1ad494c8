package store

import (
	"context"
	"fmt"
)

// CreateTenant inserts a tenant with its first admin user and API key in one
// transaction. IDs and timestamps left empty are filled in.
func (s *Store) CreateTenant(ctx context.Context, t *Tenant, admin *User, key *APIKey) error {
	return s.InTx(ctx, func(tx *Tx) error {
		if t.ID == "" {
			t.ID = NewID()
		}
		if t.Status == "" {
			t.Status = "active"
		}
		if err := tx.system(ctx).Create(t).Error; err != nil {
			return fmt.Errorf("store: create tenant: %w", translate(err))
		}
		scoped := tx.Tenant(t.ID)
		admin.ID = NewID()
		if err := scoped.db(ctx).Create(admin).Error; err != nil {
			return fmt.Errorf("store: create admin user: %w", translate(err))
		}
		key.ID = NewID()
		key.UserID = &admin.ID
		if err := scoped.db(ctx).Create(key).Error; err != nil {
			return fmt.Errorf("store: create api key: %w", translate(err))
		}
		return nil
	})
}

// TenantBySlug finds a tenant by its slug.
func (s *Store) TenantBySlug(ctx context.Context, slug string) (*Tenant, error) {
	var t Tenant
	if err := s.system(ctx).Where("slug = ?", slug).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// TenantByID finds a tenant by id.
func (s *Store) TenantByID(ctx context.Context, id string) (*Tenant, error) {
	var t Tenant
	if err := s.system(ctx).Where("id = ?", id).First(&t).Error; err != nil {
		return nil, translate(err)
	}
	return &t, nil
}

// ListTenants returns every tenant, ordered by slug.
func (s *Store) ListTenants(ctx context.Context) ([]Tenant, error) {
	var out []Tenant
	err := s.system(ctx).Order("slug").Find(&out).Error
	return out, translate(err)
}

// SetPayloadRetention sets how many days a tenant's run payloads are kept.
func (s *Store) SetPayloadRetention(ctx context.Context, tenantID string, days int) error {
	res := s.system(ctx).Model(&Tenant{}).Where("id = ?", tenantID).Updates(map[string]any{"payload_retention_days": days, "updated_at": Now()})
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
