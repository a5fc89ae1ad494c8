package store

import (
	"context"
	"fmt"
	"time"
)

// ListConnections returns the tenant's connections ordered by name.
func (t *Scoped) ListConnections(ctx context.Context) ([]Connection, error) {
	var out []Connection
	err := t.db(ctx).Order("name").Find(&out).Error
	return out, translate(err)
}

// Connection returns one connection of the tenant.
func (t *Scoped) Connection(ctx context.Context, id string) (*Connection, error) {
	var c Connection
	if err := t.db(ctx).Where("id = ?", id).First(&c).Error; err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// CachedConnection is Connection for the hot path of runs, which resolve a
// connection on every call: a read is reused for up to ConfigCacheTTL, and
// writes through this process are seen at once (see configCache).
func (t *Scoped) CachedConnection(ctx context.Context, id string) (*Connection, error) {
	key, now := t.tenantID+"/"+id, time.Now()
	if c, ok := t.s.caches.connections.get(key, now); ok {
		return &c, nil
	}
	gen := t.s.caches.connections.generation()
	c, err := t.Connection(ctx, id)
	if err != nil {
		return nil, err
	}
	t.s.caches.connections.put(key, *c, gen, now)
	return c, nil
}

// CreateConnection inserts a connection; its ID must already be set, because
// its encrypted secrets are bound to it.
func (t *Scoped) CreateConnection(ctx context.Context, c *Connection) error {
	if c.ID == "" {
		return fmt.Errorf("store: create connection: id must be set before sealing secrets")
	}
	if err := t.db(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("store: create connection: %w", translate(err))
	}
	return nil
}

// UpdateConnection saves name, config and secrets of an existing connection.
func (t *Scoped) UpdateConnection(ctx context.Context, c *Connection) error {
	res := t.db(ctx).Model(&Connection{}).Where("id = ?", c.ID).Updates(map[string]any{
		"name": c.Name, "config": c.Config, "secrets": c.Secrets, "updated_at": Now(),
	})
	if res.Error != nil {
		return fmt.Errorf("store: update connection: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteConnection removes a connection of the tenant.
func (t *Scoped) DeleteConnection(ctx context.Context, id string) error {
	res := t.db(ctx).Where("id = ?", id).Delete(&Connection{})
	if res.Error != nil {
		return fmt.Errorf("store: delete connection: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
