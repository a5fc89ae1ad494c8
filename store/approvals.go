package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Approval statuses. A closed approval is never reopened.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalRejected = "rejected"
	ApprovalTimedOut = "timed_out"
)

// Approval is a person's decision a run waits for at an approval step.
type Approval struct {
	ID       string `json:"id"`
	TenantID string `json:"-"`
	FlowID   string `json:"flow_id"`
	RunID    string `json:"run_id"`
	StepKey  string `json:"step_key"`
	NodeID   string `json:"node_id"`
	Title    string `json:"title"`
	Summary  string `json:"summary"`
	// Approvers is {"roles": [...], "users": [...]}: who may decide.
	Approvers JSON   `json:"approvers"`
	Status    string `json:"status"`
	// OnTimeout is the status applied when ExpiresAt passes undecided.
	OnTimeout  string     `json:"on_timeout"`
	ExpiresAt  time.Time  `json:"expires_at"`
	RemindedAt *time.Time `json:"reminded_at,omitempty"`
	DecidedBy  string     `json:"decided_by,omitempty"`
	DecidedAt  *time.Time `json:"decided_at,omitempty"`
	Comment    string     `json:"comment,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// OpenApproval stores a pending approval unless the run step already has one,
// which it returns instead with created false: re-executions of the step
// find the same request.
func (t *Scoped) OpenApproval(ctx context.Context, a *Approval) (*Approval, bool, error) {
	now := Now()
	a.ID, a.Status, a.CreatedAt, a.UpdatedAt = NewID(), ApprovalPending, now, now
	err := t.db(ctx).Create(a).Error
	if err == nil {
		return a, true, nil
	}
	if err = translate(err); !errors.Is(err, ErrConflict) {
		return nil, false, fmt.Errorf("store: open approval: %w", err)
	}
	existing, err := t.ApprovalOfStep(ctx, a.RunID, a.StepKey)
	return existing, false, err
}

// Approval returns one approval.
func (t *Scoped) Approval(ctx context.Context, id string) (*Approval, error) {
	var a Approval
	if err := t.db(ctx).Where("id = ?", id).First(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// ApprovalOfStep returns the approval a run step opened.
func (t *Scoped) ApprovalOfStep(ctx context.Context, runID, stepKey string) (*Approval, error) {
	var a Approval
	if err := t.db(ctx).Where("run_id = ? AND step_key = ?", runID, stepKey).First(&a).Error; err != nil {
		return nil, translate(err)
	}
	return &a, nil
}

// ApprovalFilter selects approvals; zero fields do not filter.
type ApprovalFilter struct {
	Status string
	FlowID string
	Limit  int
	Offset int
}

// ListApprovals returns matching approvals, pending ones first, then newest
// first, and how many match in all.
func (t *Scoped) ListApprovals(ctx context.Context, f ApprovalFilter) ([]Approval, int64, error) {
	q := t.db(ctx).Model(&Approval{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.FlowID != "" {
		q = q.Where("flow_id = ?", f.FlowID)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err)
	}
	var out []Approval
	err := q.Order(fmt.Sprintf("CASE WHEN status = '%s' THEN 0 ELSE 1 END, created_at DESC, id DESC", ApprovalPending)).
		Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, total, translate(err)
}

// CloseApproval records the decision on a pending approval. It reports false
// and changes nothing when the approval is no longer pending.
func (t *Scoped) CloseApproval(ctx context.Context, id, status, by, comment string, at time.Time) (bool, error) {
	res := t.db(ctx).Model(&Approval{}).Where("id = ? AND status = ?", id, ApprovalPending).Updates(map[string]any{
		"status": status, "decided_by": by, "decided_at": at.UTC(), "comment": comment, "updated_at": Now(),
	})
	if res.Error != nil {
		return false, fmt.Errorf("store: close approval: %w", translate(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// MarkApprovalReminded records when a reminder about an approval went out.
func (t *Scoped) MarkApprovalReminded(ctx context.Context, id string, at time.Time) error {
	return translate(t.db(ctx).Model(&Approval{}).Where("id = ?", id).
		Updates(map[string]any{"reminded_at": at.UTC(), "updated_at": Now()}).Error)
}
