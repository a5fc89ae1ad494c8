package approval

import (
	"context"

	"github.com/bridgework/bridgework/store"
)

// Notice kinds.
const (
	NoticeRequested = "requested" // a run waits for a new approval
	NoticeReminder  = "reminder"  // still undecided after the reminder interval
	NoticeDecided   = "decided"   // approved, rejected or timed out
)

// Notice is one event about an approval.
type Notice struct {
	Kind     string
	TenantID string
	Approval store.Approval
}

// Notifier tells people about approvals (e-mail, chat). The Service calls
// it after the change is committed; an error is logged and does not undo
// anything, so a notifier should queue its own retries. A nil Notifier is
// allowed and sends nothing.
type Notifier interface {
	NotifyApproval(ctx context.Context, n Notice) error
}
