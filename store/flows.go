package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// CreateFlow inserts a flow with its first draft version (version 1).
func (t *Scoped) CreateFlow(ctx context.Context, f *Flow, definition JSON, createdBy string) (*FlowVersion, error) {
	f.ID = NewID()
	f.DraftVersion = 1
	v := &FlowVersion{ID: NewID(), FlowID: f.ID, Version: 1, Definition: definition, CreatedBy: createdBy}
	err := t.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tx = scopeTx(tx, t.tenantID)
		if err := tx.Create(f).Error; err != nil {
			return err
		}
		return tx.Create(v).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: create flow: %w", translate(err))
	}
	return v, nil
}

// SaveDraft stores a new immutable version of a flow. expected is the draft
// version the editor started from; when someone else saved in between, it
// returns ErrConflict and changes nothing.
func (t *Scoped) SaveDraft(ctx context.Context, flowID string, expected int, name, description string, definition JSON, createdBy string) (*Flow, *FlowVersion, error) {
	var (
		f Flow
		v *FlowVersion
	)
	err := t.s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		tx = scopeTx(tx, t.tenantID)
		res := tx.Model(&Flow{}).Where("id = ? AND draft_version = ?", flowID, expected).
			Updates(map[string]any{"draft_version": expected + 1, "name": name, "description": description, "updated_at": Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			if err := tx.Where("id = ?", flowID).First(&f).Error; err != nil {
				return err
			}
			return fmt.Errorf("%w: the flow is at version %d, the save was based on version %d", ErrConflict, f.DraftVersion, expected)
		}
		v = &FlowVersion{ID: NewID(), FlowID: flowID, Version: expected + 1, Definition: definition, CreatedBy: createdBy}
		if err := tx.Create(v).Error; err != nil {
			return err
		}
		return tx.Where("id = ?", flowID).First(&f).Error
	})
	if err != nil {
		return nil, nil, translate(err)
	}
	return &f, v, nil
}

// Flow returns one flow.
func (t *Scoped) Flow(ctx context.Context, id string) (*Flow, error) {
	var f Flow
	if err := t.db(ctx).Where("id = ?", id).First(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// FlowByName returns the flow with a name, used to upgrade installed templates.
func (t *Scoped) FlowByName(ctx context.Context, name string) (*Flow, error) {
	var f Flow
	if err := t.db(ctx).Where("name = ?", name).First(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// ListFlows returns the tenant's flows ordered by name.
func (t *Scoped) ListFlows(ctx context.Context) ([]Flow, error) {
	var out []Flow
	err := t.db(ctx).Order("name").Find(&out).Error
	return out, translate(err)
}

// DeleteFlow removes a flow with its versions, hooks and runs.
func (t *Scoped) DeleteFlow(ctx context.Context, id string) error {
	res := t.db(ctx).Where("id = ?", id).Delete(&Flow{})
	if res.Error != nil {
		return fmt.Errorf("store: delete flow: %w", translate(res.Error))
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// FlowVersion returns one version of a flow.
func (t *Scoped) FlowVersion(ctx context.Context, flowID string, version int) (*FlowVersion, error) {
	var v FlowVersion
	if err := t.db(ctx).Where("flow_id = ? AND version = ?", flowID, version).First(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// FlowVersionByID returns a version by its id.
func (t *Scoped) FlowVersionByID(ctx context.Context, id string) (*FlowVersion, error) {
	var v FlowVersion
	if err := t.db(ctx).Where("id = ?", id).First(&v).Error; err != nil {
		return nil, translate(err)
	}
	return &v, nil
}

// FlowVersions lists a flow's versions, newest first, without definitions.
func (t *Scoped) FlowVersions(ctx context.Context, flowID string) ([]FlowVersion, error) {
	var out []FlowVersion
	err := t.db(ctx).Select("id", "tenant_id", "flow_id", "version", "created_by", "created_at").
		Where("flow_id = ?", flowID).Order("version DESC").Find(&out).Error
	return out, translate(err)
}

// CountFlows returns how many flows the tenant has.
func (t *Scoped) CountFlows(ctx context.Context) (int, error) {
	var n int64
	err := t.db(ctx).Model(&Flow{}).Count(&n).Error
	return int(n), translate(err)
}
