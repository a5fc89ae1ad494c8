package store

import (
	"context"
	"fmt"
	"time"
)

// DataSchema is an accepted JSON Schema for payloads, optionally bound to a
// flow whose trigger payloads it validates in Mode "warn" or "fail".
type DataSchema struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	Name      string    `json:"name"`
	FlowID    *string   `json:"flow_id,omitempty"`
	Mode      string    `json:"mode"`
	Document  JSON      `json:"schema"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CreateDataSchema stores an accepted schema; a duplicate name is a conflict.
func (t *Scoped) CreateDataSchema(ctx context.Context, d *DataSchema) error {
	if d.ID == "" {
		d.ID = NewID()
	}
	if err := t.db(ctx).Create(d).Error; err != nil {
		return fmt.Errorf("store: create data schema: %w", translate(err))
	}
	return nil
}

// DataSchema returns one schema.
func (t *Scoped) DataSchema(ctx context.Context, id string) (*DataSchema, error) {
	var d DataSchema
	if err := t.db(ctx).Where("id = ?", id).First(&d).Error; err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// DataSchemas lists the tenant's schemas by name.
func (t *Scoped) DataSchemas(ctx context.Context) ([]DataSchema, error) {
	var out []DataSchema
	err := t.db(ctx).Order("name").Find(&out).Error
	return out, translate(err)
}

// SchemaForFlow returns the newest schema bound to a flow, or ErrNotFound.
// A runner validating trigger payloads calls it (see docs/mapping.md).
func (t *Scoped) SchemaForFlow(ctx context.Context, flowID string) (*DataSchema, error) {
	var d DataSchema
	if err := t.db(ctx).Where("flow_id = ?", flowID).Order("created_at DESC, id DESC").First(&d).Error; err != nil {
		return nil, translate(err)
	}
	return &d, nil
}
