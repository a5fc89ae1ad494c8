package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MappingPair is a field correspondence a tenant accepted for a target.
type MappingPair struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"-"`
	TargetRef  string    `json:"target_ref"`
	SourcePath string    `json:"source"`
	TargetPath string    `json:"target"`
	Count      int       `json:"count"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// AcceptMappings records accepted pairs, counting repeats, in one
// transaction.
func (t *Scoped) AcceptMappings(ctx context.Context, pairs []MappingPair) error {
	return t.s.db.WithContext(ctx).Transaction(func(gtx *gorm.DB) error {
		db := scopeTx(gtx, t.tenantID)
		now := Now()
		for _, p := range pairs {
			res := db.Model(&MappingPair{}).
				Where("target_ref = ? AND source_path = ? AND target_path = ?", p.TargetRef, p.SourcePath, p.TargetPath).
				Updates(map[string]any{"count": gorm.Expr("count + 1"), "updated_at": now})
			if res.Error != nil {
				return fmt.Errorf("store: accept mapping: %w", translate(res.Error))
			}
			if res.RowsAffected > 0 {
				continue
			}
			p.ID, p.Count, p.CreatedAt, p.UpdatedAt = NewID(), 1, now, now
			if err := db.Create(&p).Error; err != nil {
				return fmt.Errorf("store: accept mapping: %w", translate(err))
			}
		}
		return nil
	})
}

// MappingPairs returns the tenant's accepted pairs, most used first.
func (t *Scoped) MappingPairs(ctx context.Context, limit int) ([]MappingPair, error) {
	var out []MappingPair
	err := t.db(ctx).Order("count DESC, updated_at DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
