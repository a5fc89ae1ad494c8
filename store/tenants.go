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

// TenantUpdate holds the fields of a tenant to change; nil fields stay as they are.
type TenantUpdate struct {
	Name          *string
	Status        *string
	Limits        *Limits
	RetentionDays *int // days run payloads are kept
	HidePayloads  *bool
	OutboundAllow *[]string // replaces the whole list
}

// UpdateTenant changes a tenant and returns it as stored.
func (s *Store) UpdateTenant(ctx context.Context, id string, u TenantUpdate) (*Tenant, error) {
	set := map[string]any{"updated_at": Now()}
	if u.Name != nil {
		set["name"] = *u.Name
	}
	if u.Status != nil {
		set["status"] = *u.Status
	}
	if u.Limits != nil {
		set["max_flows"] = u.Limits.MaxFlows
		set["max_runs_per_minute"] = u.Limits.MaxRunsPerMinute
		set["max_payload_bytes"] = u.Limits.MaxPayloadBytes
	}
	if u.RetentionDays != nil {
		set["payload_retention_days"] = *u.RetentionDays
	}
	if u.HidePayloads != nil {
		set["hide_payloads"] = *u.HidePayloads
	}
	if u.OutboundAllow != nil {
		set["outbound_allow"] = StringList(*u.OutboundAllow)
	}
	res := s.system(ctx).Model(&Tenant{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return nil, fmt.Errorf("store: update tenant: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return s.TenantByID(ctx, id)
}

// DeleteTenant removes a tenant; the database cascades the delete to every
// row the tenant owns.
func (s *Store) DeleteTenant(ctx context.Context, id string) error {
	res := s.system(ctx).Where("id = ?", id).Delete(&Tenant{})
	if res.Error != nil {
		return fmt.Errorf("store: delete tenant: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// TenantActive reports whether a tenant exists and is not suspended. The
// webhook receiver checks it before accepting a delivery and the run worker
// before starting a queued run.
func (s *Store) TenantActive(ctx context.Context, id string) (bool, error) {
	var t Tenant
	err := s.system(ctx).Select("status").Where("id = ?", id).First(&t).Error
	if err != nil {
		return false, fmt.Errorf("store: tenant status: %w", translate(err))
	}
	return t.Status == TenantActive, nil
}

// TenantOutboundAllow returns a tenant's outbound allow-list (empty when it
// has none).
func (s *Store) TenantOutboundAllow(ctx context.Context, id string) ([]string, error) {
	var t Tenant
	err := s.system(ctx).Select("outbound_allow").Where("id = ?", id).First(&t).Error
	if err != nil {
		return nil, fmt.Errorf("store: tenant outbound allow-list: %w", translate(err))
	}
	return t.OutboundAllow, nil
}
