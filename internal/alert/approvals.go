package alert

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/internal/approval"
	"github.com/bridgework/bridgework/store"
)

// ApprovalNotifier sends approval requests, reminders and decisions to the
// channels of the tenant's enabled "approvals" rules, so approvers hear of
// them by webhook, Slack or e-mail.
type ApprovalNotifier struct {
	Store    *store.Store
	Notifier *Notifier
	Now      func() time.Time
}

// NotifyApproval implements approval.Notifier.
func (a *ApprovalNotifier) NotifyApproval(ctx context.Context, n approval.Notice) error {
	rules, err := a.Store.Tenant(n.TenantID).AlertRules(ctx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if a.Now != nil {
		now = a.Now().UTC()
	}
	ap := n.Approval
	msg := fmt.Sprintf("%s: %s (approval %s, run %s)", ap.Title, ap.Status, ap.ID, ap.RunID)
	if ap.Summary != "" {
		msg = fmt.Sprintf("%s: %s; %s (approval %s, run %s)", ap.Title, ap.Status, ap.Summary, ap.ID, ap.RunID)
	}
	var errs []error
	for i := range rules {
		r := &rules[i]
		if !r.Enabled || r.Kind != KindApprovals || (r.FlowID != "" && r.FlowID != ap.FlowID) {
			continue
		}
		chans, err := Channels(r)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		note := Notification{Status: n.Kind, AlertID: ap.ID, TenantID: n.TenantID, RuleID: r.ID, RuleName: r.Name,
			Kind: KindApprovals, FlowID: ap.FlowID, Message: msg, StartedAt: ap.CreatedAt, At: now}
		for _, ch := range chans {
			errs = append(errs, a.Notifier.Send(ctx, ch, note))
		}
	}
	return errors.Join(errs...)
}
