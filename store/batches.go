package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// BatchItem is an item a batch step collected. BatchRunID is set when a
// flush hands it to a batch run.
type BatchItem struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"-"`
	FlowID     string    `json:"flow_id"`
	NodeID     string    `json:"node_id"`
	RunID      string    `json:"run_id"`
	StepKey    string    `json:"step_key"`
	Item       JSON      `json:"item"`
	BatchSize  int       `json:"batch_size"`
	DueAt      time.Time `json:"due_at"`
	BatchRunID *string   `json:"batch_run_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// BatchKey names one batch node of one flow of one tenant.
type BatchKey struct {
	TenantID string
	FlowID   string
	NodeID   string
}

// AddBatchItem stores an item once per run step; a second call for the same
// step stores nothing.
func (t *Scoped) AddBatchItem(ctx context.Context, it *BatchItem) error {
	it.ID, it.CreatedAt = NewID(), Now()
	err := translate(t.db(ctx).Create(it).Error)
	if errors.Is(err, ErrConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: add batch item: %w", err)
	}
	return nil
}

// WaitingBatchItems returns up to limit items of a batch node not yet
// handed to a batch run, oldest first, and how many wait in all.
func (t *Scoped) WaitingBatchItems(ctx context.Context, flowID, nodeID string, limit int) ([]BatchItem, int64, error) {
	q := t.db(ctx).Model(&BatchItem{}).Where("flow_id = ? AND node_id = ? AND batch_run_id IS NULL", flowID, nodeID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var out []BatchItem
	err := q.Order("created_at, id").Limit(limit).Find(&out).Error
	return out, total, translate(err)
}

// ClaimBatchItems hands waiting items to a batch run. It reports false, and
// the caller should roll back, when another flush took some of them first.
func (t *Scoped) ClaimBatchItems(ctx context.Context, ids []string, batchRunID string) (bool, error) {
	res := t.db(ctx).Model(&BatchItem{}).Where("id IN ? AND batch_run_id IS NULL", ids).Update("batch_run_id", batchRunID)
	if res.Error != nil {
		return false, fmt.Errorf("store: claim batch items: %w", translate(res.Error))
	}
	return res.RowsAffected == int64(len(ids)), nil
}

// DueBatches lists, across tenants, the batch nodes whose waiting items fill
// a batch or whose oldest item's wait has passed at now.
func (s *Store) DueBatches(ctx context.Context, now time.Time, limit int) ([]BatchKey, error) {
	var out []BatchKey
	err := s.system(ctx).Model(&BatchItem{}).Select("tenant_id, flow_id, node_id").
		Where("batch_run_id IS NULL").Group("tenant_id, flow_id, node_id").
		Having("COUNT(*) >= MAX(batch_size) OR MIN(due_at) <= ?", now.UTC()).
		Limit(limit).Scan(&out).Error
	return out, translate(err)
}
