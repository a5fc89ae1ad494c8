package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bridgework/bridgework/internal/pan"
)

// Audit records an action in the tenant's audit log. details is marshalled to JSON.
func (t *Scoped) Audit(ctx context.Context, actor, action, targetType, targetID string, details any) error {
	e := AuditEntry{ID: NewID(), Actor: actor, Action: action, TargetType: targetType, TargetID: targetID}
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return fmt.Errorf("store: audit details: %w", err)
		}
		e.Details = pan.MaskJSON(b)
	}
	if err := t.db(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("store: audit: %w", translate(err))
	}
	return nil
}

// AuditLog returns the tenant's newest audit entries first.
func (t *Scoped) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := t.db(ctx).Order("created_at DESC").Limit(limit).Find(&out).Error
	return out, translate(err)
}
