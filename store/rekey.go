package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Sealed kinds passed to a Rekey function.
const (
	SealedConnection = "connection"
	SealedHook       = "hook"
)

// Rekey re-encrypts every stored credential (connection secrets, hook
// secrets and the previous hook secrets of a rotation) in one transaction.
// fn gets each sealed value with its kind, tenant and row id and returns the
// value to store. It reports how many values were written.
func (s *Store) Rekey(ctx context.Context, fn func(kind, tenantID, id string, sealed []byte) ([]byte, error)) (int, error) {
	n := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tx = tx.Set(systemKey, true).Session(&gorm.Session{})
		var conns []Connection
		if err := tx.Where("secrets IS NOT NULL").Find(&conns).Error; err != nil {
			return err
		}
		for _, c := range conns {
			if len(c.Secrets) == 0 {
				continue
			}
			out, err := fn(SealedConnection, c.TenantID, c.ID, c.Secrets)
			if err != nil {
				return fmt.Errorf("connection %s: %w", c.ID, err)
			}
			if err := tx.Model(&Connection{}).Where("id = ?", c.ID).Update("secrets", out).Error; err != nil {
				return err
			}
			n++
		}
		var hooks []Hook
		if err := tx.Find(&hooks).Error; err != nil {
			return err
		}
		for _, h := range hooks {
			set := map[string]any{}
			for col, sealed := range map[string][]byte{"secret": h.Secret, "previous_secret": h.PreviousSecret} {
				if len(sealed) == 0 {
					continue
				}
				out, err := fn(SealedHook, h.TenantID, h.ID, sealed)
				if err != nil {
					return fmt.Errorf("hook %s %s: %w", h.ID, col, err)
				}
				set[col] = out
			}
			if len(set) == 0 {
				continue
			}
			if err := tx.Model(&Hook{}).Where("id = ?", h.ID).Updates(set).Error; err != nil {
				return err
			}
			n += len(set)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: rekey: %w", translate(err))
	}
	return n, nil
}
