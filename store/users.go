package store

import (
	"context"
	"fmt"
	"time"
)

// CreateUser adds a user to the tenant.
func (t *Scoped) CreateUser(ctx context.Context, u *User) error {
	u.ID = NewID()
	if err := t.db(ctx).Create(u).Error; err != nil {
		return fmt.Errorf("store: create user: %w", translate(err))
	}
	return nil
}

// Users lists the tenant's users by e-mail address.
func (t *Scoped) Users(ctx context.Context) ([]User, error) {
	var out []User
	err := t.db(ctx).Order("email").Find(&out).Error
	return out, translate(err)
}

// UpdateUser sets columns of one user (role, disabled_at, password_hash,
// reset_hash, reset_expires_at) and returns the user as stored.
func (t *Scoped) UpdateUser(ctx context.Context, id string, set map[string]any) (*User, error) {
	set["updated_at"] = Now()
	res := t.db(ctx).Model(&User{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return nil, fmt.Errorf("store: update user: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return t.UserByID(ctx, id)
}

// DeleteUser removes a user and, by cascade, the API keys it owns.
func (t *Scoped) DeleteUser(ctx context.Context, id string) error {
	res := t.db(ctx).Where("id = ?", id).Delete(&User{})
	if res.Error != nil {
		return fmt.Errorf("store: delete user: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// UserByResetHash resolves a pending password reset across tenants; the
// token is all the caller presents.
func (s *Store) UserByResetHash(ctx context.Context, hash string) (*User, error) {
	var u User
	if err := s.system(ctx).Where("reset_hash = ?", hash).First(&u).Error; err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// ConsumeReset sets a new password hash and clears the reset token, only if
// the token is still the pending one: a token works once.
func (s *Store) ConsumeReset(ctx context.Context, resetHash, passwordHash string) error {
	res := s.system(ctx).Model(&User{}).Where("reset_hash = ? AND reset_expires_at > ?", resetHash, Now()).
		Updates(map[string]any{"password_hash": passwordHash, "reset_hash": nil, "reset_expires_at": nil, "updated_at": Now()})
	if res.Error != nil {
		return fmt.Errorf("store: reset password: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// CreateAPIKey stores a new API key of the tenant.
func (t *Scoped) CreateAPIKey(ctx context.Context, k *APIKey) error {
	k.ID = NewID()
	if err := t.db(ctx).Create(k).Error; err != nil {
		return fmt.Errorf("store: create api key: %w", translate(err))
	}
	return nil
}

// APIKeys lists the tenant's API keys, newest first.
func (t *Scoped) APIKeys(ctx context.Context) ([]APIKey, error) {
	var out []APIKey
	err := t.db(ctx).Order("created_at DESC").Find(&out).Error
	return out, translate(err)
}

// APIKey returns one API key of the tenant.
func (t *Scoped) APIKey(ctx context.Context, id string) (*APIKey, error) {
	var k APIKey
	if err := t.db(ctx).Where("id = ?", id).First(&k).Error; err != nil {
		return nil, translate(err)
	}
	return &k, nil
}

// RevokeAPIKey marks a key revoked; revoking twice keeps the first time.
func (t *Scoped) RevokeAPIKey(ctx context.Context, id string, at time.Time) (*APIKey, error) {
	k, err := t.APIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if k.RevokedAt != nil {
		return k, nil
	}
	if err := t.db(ctx).Model(&APIKey{}).Where("id = ?", id).Update("revoked_at", at).Error; err != nil {
		return nil, fmt.Errorf("store: revoke api key: %w", translate(err))
	}
	k.RevokedAt = &at
	return k, nil
}
