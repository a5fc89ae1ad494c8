package store

import (
	"context"
	"time"
)

// APIKeyByHash resolves an API key across tenants (before a tenant is known).
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (*APIKey, error) {
	var k APIKey
	if err := s.system(ctx).Where("key_hash = ?", hash).First(&k).Error; err != nil {
		return nil, translate(err)
	}
	return &k, nil
}

// UsersByEmail finds the users with an e-mail address in every tenant, or in
// one tenant when tenantSlug is not empty.
func (s *Store) UsersByEmail(ctx context.Context, email, tenantSlug string) ([]User, error) {
	q := s.system(ctx).Where("users.email = ?", email)
	if tenantSlug != "" {
		q = q.Joins("JOIN tenants ON tenants.id = users.tenant_id").Where("tenants.slug = ?", tenantSlug)
	}
	var out []User
	err := q.Limit(10).Find(&out).Error
	return out, translate(err)
}

// TouchAPIKey records that a key was used.
func (t *Scoped) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	return translate(t.db(ctx).Model(&APIKey{}).Where("id = ?", id).Update("last_used_at", at).Error)
}

// UserByID returns a user of the tenant.
func (t *Scoped) UserByID(ctx context.Context, id string) (*User, error) {
	var u User
	if err := t.db(ctx).Where("id = ?", id).First(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}
