package store

import (
	"context"
	"fmt"
)

// HookByID resolves an inbound webhook across tenants: the hook id in the URL
// is all a sender presents before it is authenticated.
func (s *Store) HookByID(ctx context.Context, id string) (*Hook, error) {
	var h Hook
	if err := s.system(ctx).Where("id = ?", id).First(&h).Error; err != nil {
		return nil, translate(err)
	}
	return &h, nil
}

// HooksOfFlow lists a flow's hooks.
func (t *Scoped) HooksOfFlow(ctx context.Context, flowID string) ([]Hook, error) {
	var out []Hook
	err := t.db(ctx).Where("flow_id = ?", flowID).Order("node_id").Find(&out).Error
	return out, translate(err)
}

// Hook returns one hook of the tenant.
func (t *Scoped) Hook(ctx context.Context, id string) (*Hook, error) {
	var h Hook
	if err := t.db(ctx).Where("id = ?", id).First(&h).Error; err != nil {
		return nil, translate(err)
	}
	return &h, nil
}

// SaveHook inserts a hook, or updates the auth settings of the existing hook
// of the same flow and node (its id, and so its URL, never changes).
func (t *Scoped) SaveHook(ctx context.Context, h *Hook) error {
	var existing Hook
	err := t.db(ctx).Where("flow_id = ? AND node_id = ?", h.FlowID, h.NodeID).First(&existing).Error
	switch translate(err) {
	case nil:
		h.ID, h.CreatedAt = existing.ID, existing.CreatedAt
		res := t.db(ctx).Model(&Hook{}).Where("id = ?", h.ID).Updates(map[string]any{
			"auth_mode": h.AuthMode, "header": h.Header, "secret": h.Secret, "updated_at": Now(),
		})
		if res.Error != nil {
			return fmt.Errorf("store: update hook: %w", translate(res.Error))
		}
		return nil
	case ErrNotFound:
		if h.ID == "" {
			h.ID = NewID()
		}
		if err := t.db(ctx).Create(h).Error; err != nil {
			return fmt.Errorf("store: create hook: %w", translate(err))
		}
		return nil
	default:
		return fmt.Errorf("store: find hook: %w", err)
	}
}

// DeleteHooksExcept removes a flow's hooks whose node is not in keep (the
// trigger was removed from the published version).
func (t *Scoped) DeleteHooksExcept(ctx context.Context, flowID string, keep []string) error {
	q := t.db(ctx).Where("flow_id = ?", flowID)
	if len(keep) > 0 {
		q = q.Where("node_id NOT IN ?", keep)
	}
	return translate(q.Delete(&Hook{}).Error)
}
