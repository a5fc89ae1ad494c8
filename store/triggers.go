package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Triggers are the entry points of a published flow version: at most one of
// each, matching its trigger node.
type Triggers struct {
	Hook     *Hook         // trigger.webhook; keeps its id (URL) across publishes
	Schedule *Schedule     // trigger.schedule
	Event    *EventTrigger // trigger.event
}

// PublishFlow makes version the running version of a flow and replaces the
// flow's triggers, in one transaction. A hook that already exists for the
// same node keeps its id and, when h.Secret is nil, its secret.
func (t *Scoped) PublishFlow(ctx context.Context, flowID string, version int, trg Triggers) error {
	err := t.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tx = scopeTx(tx, t.tenantID)
		now := Now()
		res := tx.Model(&Flow{}).Where("id = ?", flowID).Updates(map[string]any{"published_version": version, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := saveHook(tx, flowID, trg.Hook); err != nil {
			return err
		}
		if err := tx.Where("flow_id = ?", flowID).Delete(&Schedule{}).Error; err != nil {
			return err
		}
		if trg.Schedule != nil {
			trg.Schedule.ID, trg.Schedule.FlowID = NewID(), flowID
			if err := tx.Create(trg.Schedule).Error; err != nil {
				return err
			}
		}
		if err := tx.Where("flow_id = ?", flowID).Delete(&EventTrigger{}).Error; err != nil {
			return err
		}
		if trg.Event != nil {
			trg.Event.ID, trg.Event.FlowID = NewID(), flowID
			return tx.Create(trg.Event).Error
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: publish flow: %w", translate(err))
	}
	return nil
}

// saveHook upserts the flow's webhook, or removes it when h is nil.
func saveHook(tx *gorm.DB, flowID string, h *Hook) error {
	if h == nil {
		return tx.Where("flow_id = ?", flowID).Delete(&Hook{}).Error
	}
	h.FlowID = flowID
	if err := tx.Where("flow_id = ? AND node_id <> ?", flowID, h.NodeID).Delete(&Hook{}).Error; err != nil {
		return err
	}
	var existing Hook
	err := tx.Where("flow_id = ? AND node_id = ?", flowID, h.NodeID).First(&existing).Error
	if err == gorm.ErrRecordNotFound {
		if h.ID == "" {
			h.ID = NewID()
		}
		return tx.Create(h).Error
	}
	if err != nil {
		return err
	}
	h.ID, h.CreatedAt = existing.ID, existing.CreatedAt
	if h.Secret == nil {
		h.Secret = existing.Secret
	}
	return tx.Model(&Hook{}).Where("id = ?", h.ID).Updates(map[string]any{
		"auth_mode": h.AuthMode, "header": h.Header, "secret": h.Secret, "updated_at": Now(),
	}).Error
}

// HookDelivery is what accepting a webhook needs, read in one query: the
// hook, its tenant's status and quotas, and its flow.
type HookDelivery struct {
	Hook   Hook
	Tenant Tenant // ID, Status and Limits only
	Flow   Flow   // ID, Name, DraftVersion and PublishedVersion only
}

// HookDelivery resolves an inbound webhook across tenants, with its tenant
// and flow; ErrNotFound when there is no such hook. Answers are reused for up
// to ConfigCacheTTL (see configCache); the caller gets its own copy.
func (s *Store) HookDelivery(ctx context.Context, id string) (*HookDelivery, error) {
	now := time.Now()
	if d, ok := s.caches.deliveries.get(id, now); ok {
		return &d, nil
	}
	gen := s.caches.deliveries.generation()
	var row struct {
		Hook
		TenantStatus           string
		TenantMaxFlows         int
		TenantMaxRunsPerMinute int
		TenantMaxPayloadBytes  int
		FlowName               string
		FlowDraftVersion       int
		FlowPublishedVersion   *int
	}
	res := s.system(ctx).Raw(`SELECT hooks.*, tenants.status AS tenant_status, tenants.max_flows AS tenant_max_flows,
  tenants.max_runs_per_minute AS tenant_max_runs_per_minute, tenants.max_payload_bytes AS tenant_max_payload_bytes,
  flows.name AS flow_name, flows.draft_version AS flow_draft_version, flows.published_version AS flow_published_version
FROM hooks
JOIN tenants ON tenants.id = hooks.tenant_id
JOIN flows ON flows.id = hooks.flow_id AND flows.tenant_id = hooks.tenant_id
WHERE hooks.id = ?`, id).Scan(&row)
	if res.Error != nil {
		return nil, translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	h := row.Hook
	d := &HookDelivery{
		Hook: h,
		Tenant: Tenant{ID: h.TenantID, Status: row.TenantStatus, Limits: Limits{MaxFlows: row.TenantMaxFlows,
			MaxRunsPerMinute: row.TenantMaxRunsPerMinute, MaxPayloadBytes: row.TenantMaxPayloadBytes}},
		Flow: Flow{ID: h.FlowID, TenantID: h.TenantID, Name: row.FlowName, DraftVersion: row.FlowDraftVersion,
			PublishedVersion: row.FlowPublishedVersion},
	}
	s.caches.deliveries.put(id, *d, gen, now)
	return d, nil
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

// SetHookSecret replaces a hook's sealed secret. With a non-zero graceUntil
// the current secret stays valid as the previous one until then, so senders
// can switch without downtime; otherwise the previous secret is dropped.
func (t *Scoped) SetHookSecret(ctx context.Context, id string, sealed []byte, graceUntil time.Time) error {
	return t.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tx = scopeTx(tx, t.tenantID)
		var h Hook
		if err := tx.Where("id = ?", id).First(&h).Error; err != nil {
			return translate(err)
		}
		set := map[string]any{"secret": sealed, "previous_secret": nil, "previous_expires_at": nil, "updated_at": Now()}
		if !graceUntil.IsZero() && len(h.Secret) > 0 {
			set["previous_secret"], set["previous_expires_at"] = h.Secret, graceUntil.UTC().Truncate(time.Microsecond)
		}
		if err := tx.Model(&Hook{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return fmt.Errorf("store: set hook secret: %w", translate(err))
		}
		return nil
	})
}

// EventTriggers lists the published flows of the tenant started by an event.
func (t *Scoped) EventTriggers(ctx context.Context, event string) ([]EventTrigger, error) {
	var out []EventTrigger
	err := t.db(ctx).Where("event = ?", event).Order("flow_id").Find(&out).Error
	return out, translate(err)
}

// DueSchedules returns schedules whose next firing is at or before now, across tenants.
func (s *Store) DueSchedules(ctx context.Context, now time.Time, limit int) ([]Schedule, error) {
	var out []Schedule
	err := s.system(ctx).Where("next_run_at <= ?", now.UTC()).Order("next_run_at").Limit(limit).Find(&out).Error
	return out, translate(err)
}

// AdvanceSchedule moves a schedule from the firing it claims to the next one.
// It reports false when another process already claimed that firing, which
// makes each tick fire once across all processes.
func (t *Scoped) AdvanceSchedule(ctx context.Context, id string, claimed, next time.Time) (bool, error) {
	res := t.db(ctx).Model(&Schedule{}).Where("id = ? AND next_run_at = ?", id, claimed.UTC()).
		Updates(map[string]any{"next_run_at": next.UTC().Truncate(time.Microsecond), "updated_at": Now()})
	return res.RowsAffected == 1, translate(res.Error)
}
