// Package approval keeps the approval requests of runs waiting at approval
// steps: it opens them for the approval node, records decisions and wakes
// the waiting run's job, and tells a Notifier about them.
package approval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/bridgework/bridgework/internal/queue"
	"github.com/bridgework/bridgework/nodes"
	"github.com/bridgework/bridgework/store"
)

// Errors Decide returns; callers answer 403 and 409.
var (
	// ErrNotApprover: the caller is neither in an allowed role nor a named user.
	ErrNotApprover = errors.New("approval: the caller may not decide this approval")
	// ErrClosed: the approval was already decided or timed out.
	ErrClosed = errors.New("approval: the approval is already closed")
)

// Approvers is who may decide, as stored on the approval.
type Approvers struct {
	Roles []string `json:"roles,omitempty"`
	Users []string `json:"users,omitempty"`
}

// Decider is the person (or API key) deciding.
type Decider struct {
	// Actor names the caller in the audit log ("user:<id>").
	Actor string
	// UserID and Email identify a user; Email may be empty for API keys.
	UserID, Email string
	Role          string
}

// Allows reports whether d may decide.
func (a Approvers) Allows(d Decider) bool {
	if slices.Contains(a.Roles, d.Role) {
		return true
	}
	for _, u := range a.Users {
		if u == d.UserID || (d.Email != "" && strings.EqualFold(u, d.Email)) {
			return true
		}
	}
	return false
}

// Service implements nodes.Approvals and decides approvals.
type Service struct {
	Store *store.Store
	// Queue wakes runs after a decision; it is set once the queue client
	// exists (the client needs the workers first).
	Queue *queue.Client
	// Notifier hears of new requests, reminders and decisions; may be nil.
	Notifier Notifier
	Logger   *slog.Logger
}

var _ nodes.Approvals = (*Service)(nil)

// Open implements nodes.Approvals.
func (s *Service) Open(ctx context.Context, tenantID string, r nodes.ApprovalRequest) (nodes.ApprovalState, error) {
	ts := s.Store.Tenant(tenantID)
	a, err := ts.ApprovalOfStep(ctx, r.RunID, r.StepKey)
	if err == nil {
		return state(a), nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nodes.ApprovalState{}, err
	}
	run, err := ts.Run(ctx, r.RunID)
	if errors.Is(err, store.ErrNotFound) {
		return nodes.ApprovalState{}, nodes.ErrNoRun
	}
	if err != nil {
		return nodes.ApprovalState{}, err
	}
	approvers, err := json.Marshal(Approvers{Roles: r.Roles, Users: r.Users})
	if err != nil {
		return nodes.ApprovalState{}, err
	}
	onTimeout := map[string]string{nodes.TimeoutApprove: store.ApprovalApproved, nodes.TimeoutReject: store.ApprovalRejected,
		nodes.TimeoutTimedOut: store.ApprovalTimedOut}[r.OnTimeout]
	a, created, err := ts.OpenApproval(ctx, &store.Approval{FlowID: run.FlowID, RunID: r.RunID, StepKey: r.StepKey, NodeID: r.NodeID,
		Title: r.Title, Summary: r.Summary, Approvers: approvers, OnTimeout: onTimeout, ExpiresAt: r.ExpiresAt.UTC()})
	if err != nil {
		return nodes.ApprovalState{}, err
	}
	if created {
		s.notify(ctx, Notice{Kind: NoticeRequested, TenantID: tenantID, Approval: *a})
	}
	return state(a), nil
}

// Expire implements nodes.Approvals: the timeout decides a pending request
// with its on_timeout status, recorded in the audit log as the system's.
func (s *Service) Expire(ctx context.Context, tenantID, id string, now time.Time) (nodes.ApprovalState, error) {
	var closed *store.Approval
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		ts := tx.Tenant(tenantID)
		a, err := ts.Approval(ctx, id)
		if err != nil {
			return err
		}
		ok, err := ts.CloseApproval(ctx, id, a.OnTimeout, "timeout", "", now)
		if err != nil || !ok {
			return err
		}
		if a, err = ts.Approval(ctx, id); err != nil {
			return err
		}
		closed = a
		return ts.Audit(ctx, "system:timeout", "approval.timeout", "approval", id, map[string]any{"run_id": a.RunID, "status": a.Status})
	})
	if err != nil {
		return nodes.ApprovalState{}, err
	}
	if closed != nil {
		s.notify(ctx, Notice{Kind: NoticeDecided, TenantID: tenantID, Approval: *closed})
	}
	a, err := s.Store.Tenant(tenantID).Approval(ctx, id)
	if err != nil {
		return nodes.ApprovalState{}, err
	}
	return state(a), nil
}

// Remind implements nodes.Approvals.
func (s *Service) Remind(ctx context.Context, tenantID, id string, now time.Time) error {
	ts := s.Store.Tenant(tenantID)
	if err := ts.MarkApprovalReminded(ctx, id, now); err != nil {
		return err
	}
	a, err := ts.Approval(ctx, id)
	if err != nil {
		return err
	}
	s.notify(ctx, Notice{Kind: NoticeReminder, TenantID: tenantID, Approval: *a})
	return nil
}

// Decide approves or rejects a pending approval for d, records it in the
// audit log and wakes the waiting run, all in one transaction. It returns
// ErrNotApprover or ErrClosed, changing nothing, when d may not decide or
// the approval is no longer pending.
func (s *Service) Decide(ctx context.Context, tenantID, id string, approve bool, comment string, d Decider) (*store.Approval, error) {
	status, action := store.ApprovalRejected, "approval.reject"
	if approve {
		status, action = store.ApprovalApproved, "approval.approve"
	}
	var decided *store.Approval
	err := s.Store.InTx(ctx, func(tx *store.Tx) error {
		ts := tx.Tenant(tenantID)
		a, err := ts.Approval(ctx, id)
		if err != nil {
			return err
		}
		if a.Status != store.ApprovalPending {
			return ErrClosed
		}
		var who Approvers
		if err := json.Unmarshal(a.Approvers, &who); err != nil {
			return fmt.Errorf("approval %s: read approvers: %w", id, err)
		}
		if !who.Allows(d) {
			return ErrNotApprover
		}
		ok, err := ts.CloseApproval(ctx, id, status, d.Actor, comment, store.Now())
		if err != nil {
			return err
		}
		if !ok {
			return ErrClosed
		}
		if err := ts.Audit(ctx, d.Actor, action, "approval", id, map[string]any{"run_id": a.RunID, "comment": comment}); err != nil {
			return err
		}
		if _, err := s.Queue.InsertTx(ctx, tx, WakeArgs{TenantID: tenantID, RunID: a.RunID}, nil); err != nil {
			return err
		}
		decided, err = ts.Approval(ctx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.notify(ctx, Notice{Kind: NoticeDecided, TenantID: tenantID, Approval: *decided})
	return decided, nil
}

func (s *Service) notify(ctx context.Context, n Notice) {
	if s.Notifier == nil {
		return
	}
	if err := s.Notifier.NotifyApproval(ctx, n); err != nil && s.Logger != nil {
		s.Logger.Warn("approval notification failed", slog.String("approval_id", n.Approval.ID), slog.String("kind", n.Kind), slog.Any("err", err))
	}
}

func state(a *store.Approval) nodes.ApprovalState {
	st := nodes.ApprovalState{ID: a.ID, Title: a.Title, Status: a.Status, DecidedBy: a.DecidedBy, Comment: a.Comment,
		ExpiresAt: a.ExpiresAt, CreatedAt: a.CreatedAt}
	if a.DecidedAt != nil {
		st.DecidedAt = *a.DecidedAt
	}
	if a.RemindedAt != nil {
		st.RemindedAt = *a.RemindedAt
	}
	return st
}
