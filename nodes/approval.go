package nodes

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bridgework/bridgework/engine"
)

// TypeApproval waits durably for a person to approve or reject.
const TypeApproval = "approval"

// Ports of the approval node.
const (
	PortApproved = "approved"
	PortRejected = "rejected"
	PortTimedOut = "timed_out"
)

// Actions an approval applies when its timeout passes undecided.
const (
	TimeoutApprove  = "approve"
	TimeoutReject   = "reject"
	TimeoutTimedOut = "timed_out"
)

// DefaultApprovalTimeout applies when the config sets none.
const DefaultApprovalTimeout = 72 * time.Hour

// DefaultApproverRoles may decide when the config names no approvers.
var DefaultApproverRoles = []string{"admin", "editor"}

var approvalSpec = engine.NodeSpec{
	Type:     TypeApproval,
	Title:    "Approval",
	Category: CategoryFlow,
	Description: "Pauses the run until a person approves or rejects it in the Approvals inbox. The wait is durable: the run is suspended, nothing is held while it waits, and a decision wakes it. " +
		"Title and summary are jq programs over the input. Approvers are roles and/or user ids or e-mail addresses (default: admins and editors). " +
		"When decide_within passes undecided, on_timeout applies: approve, reject, or the timed_out port. The output carries the decision, who made it, when, and the comment.",
	Config: object("", []string{"title"}, map[string]*engine.Schema{
		"title":   jqField("jq program yielding the request's title, such as \"Order \\(.order_number)\"."),
		"summary": jqField("jq program yielding a summary shown to the approver."),
		"approvers": object("Who may decide; without it admins and editors may.", nil, map[string]*engine.Schema{
			"roles": {Type: "array", Description: "Roles that may decide (admin, editor, support, viewer).", Items: &engine.Schema{Type: "string", Enum: []any{"admin", "editor", "support", "viewer"}}},
			"users": {Type: "array", Description: "User ids or e-mail addresses that may decide.", Items: &engine.Schema{Type: "string", MinLength: ptr(1)}},
		}),
		"decide_within": {Type: "string", Format: engine.FormatDuration, Description: "How long to wait for a decision before on_timeout applies (default 72h)."},
		"on_timeout":    {Type: "string", Enum: []any{TimeoutApprove, TimeoutReject, TimeoutTimedOut}, Description: "What the timeout does: approve, reject (default) or take the timed_out port."},
		"remind_every":  {Type: "string", Format: engine.FormatDuration, Description: "Remind the approvers at this interval while undecided.", Advanced: true},
	}),
	Ports:        []string{PortApproved, PortRejected},
	DynamicPorts: true,
	Variables:    engine.JQVariables,
	Examples: []engine.Example{
		example("Large orders need an admin", map[string]any{
			"title": `"Order \(.order_number) for \(.total)"`, "summary": `"\(.customer.name): \(.lines | length) lines"`,
			"approvers": map[string]any{"roles": []string{"admin"}}, "decide_within": "24h", "on_timeout": "reject",
		}),
	},
}

// ErrNoRun is returned by Approvals and Batches when the run executing the
// step is not stored (the editor's test runs): nothing is kept for it.
var ErrNoRun = errors.New("the run is not stored")

// Approvals keeps the requests of approval steps; internal/approval
// implements it on the store and the queue.
type Approvals interface {
	// Open returns the request of a run step, creating it (and notifying
	// the approvers) on the first call; later calls return it as stored.
	Open(ctx context.Context, tenantID string, r ApprovalRequest) (ApprovalState, error)
	// Expire closes a pending request with its timeout action and returns
	// its final state (a decision that came first wins).
	Expire(ctx context.Context, tenantID, id string, now time.Time) (ApprovalState, error)
	// Remind notifies the approvers of a pending request again.
	Remind(ctx context.Context, tenantID, id string, now time.Time) error
}

// ApprovalRequest is what an approval step asks for.
type ApprovalRequest struct {
	RunID, StepKey, NodeID string
	Title, Summary         string
	Roles, Users           []string
	OnTimeout              string
	ExpiresAt              time.Time
}

// ApprovalState is a request as stored. Status is pending, approved,
// rejected or timed_out.
type ApprovalState struct {
	ID         string
	Title      string
	Status     string
	DecidedBy  string
	DecidedAt  time.Time
	Comment    string
	ExpiresAt  time.Time
	RemindedAt time.Time
	CreatedAt  time.Time
}

// Approval is a compiled approval node.
type Approval struct {
	approvals   Approvals
	tenantID    string
	title       *engine.JQ
	summary     *engine.JQ
	roles       []string
	users       []string
	timeout     time.Duration
	onTimeout   string
	remindEvery time.Duration
}

func registerApproval(r *engine.Registry, approvals Approvals) {
	r.Register(approvalSpec, func(b *engine.Build) (engine.Node, error) {
		var c struct {
			Title     string `json:"title"`
			Summary   string `json:"summary"`
			Approvers struct {
				Roles []string `json:"roles"`
				Users []string `json:"users"`
			} `json:"approvers"`
			Timeout     engine.Duration `json:"decide_within"`
			OnTimeout   string          `json:"on_timeout"`
			RemindEvery engine.Duration `json:"remind_every"`
		}
		if err := b.Decode(&c); err != nil {
			return nil, err
		}
		n := &Approval{
			approvals: approvals, tenantID: b.TenantID(),
			title: b.JQ("config.title", c.Title), summary: b.JQ("config.summary", c.Summary),
			roles: c.Approvers.Roles, users: c.Approvers.Users,
			timeout: time.Duration(c.Timeout), onTimeout: c.OnTimeout, remindEvery: time.Duration(c.RemindEvery),
		}
		if n.timeout <= 0 {
			n.timeout = DefaultApprovalTimeout
		}
		if n.onTimeout == "" {
			n.onTimeout = TimeoutReject
		}
		if len(n.roles) == 0 && len(n.users) == 0 {
			n.roles = DefaultApproverRoles
		}
		if approvals == nil {
			b.Errorf("type", "approvals are not available in this deployment")
		}
		return n, nil
	})
}

// Ports lists approved and rejected, and timed_out when the timeout takes it.
func (a *Approval) Ports() []string {
	if a.onTimeout == TimeoutTimedOut {
		return []string{PortApproved, PortRejected, PortTimedOut}
	}
	return []string{PortApproved, PortRejected}
}

// Run opens the request on first execution and suspends until its timeout
// (or next reminder); a decision wakes the run, and the re-executed step
// settles on the decision's port.
func (a *Approval) Run(ctx context.Context, in *engine.Input) (engine.Outcome, error) {
	req, err := a.request(ctx, in)
	if err != nil {
		return engine.Outcome{}, err
	}
	st, err := a.approvals.Open(ctx, a.tenantID, req)
	if errors.Is(err, ErrNoRun) {
		return engine.Outcome{SuspendUntil: req.ExpiresAt}, nil
	}
	if err != nil {
		return engine.Outcome{}, fmt.Errorf("open approval: %w", err)
	}
	if st.Status == "pending" && !in.Now.Before(st.ExpiresAt) {
		if st, err = a.approvals.Expire(ctx, a.tenantID, st.ID, in.Now); err != nil {
			return engine.Outcome{}, fmt.Errorf("expire approval: %w", err)
		}
	}
	if st.Status != "pending" {
		return a.settle(st), nil
	}
	wake := st.ExpiresAt
	if a.remindEvery > 0 {
		last := st.CreatedAt
		if !st.RemindedAt.IsZero() {
			last = st.RemindedAt
		}
		next := last.Add(a.remindEvery)
		if !in.Now.Before(next) {
			if err := a.approvals.Remind(ctx, a.tenantID, st.ID, in.Now); err != nil {
				return engine.Outcome{}, fmt.Errorf("remind approvers: %w", err)
			}
			next = in.Now.Add(a.remindEvery)
		}
		if next.Before(wake) {
			wake = next
		}
	}
	return engine.Outcome{SuspendUntil: wake}, nil
}

func (a *Approval) request(ctx context.Context, in *engine.Input) (ApprovalRequest, error) {
	req := ApprovalRequest{RunID: in.RunID, StepKey: in.StepKey, NodeID: in.NodeID, Roles: a.roles, Users: a.users,
		OnTimeout: a.onTimeout, ExpiresAt: in.Now.Add(a.timeout)}
	var err error
	if req.Title, err = text1(ctx, a.title, in); err != nil {
		return req, fmt.Errorf("title: %w", err)
	}
	if req.Summary, err = text1(ctx, a.summary, in); err != nil {
		return req, fmt.Errorf("summary: %w", err)
	}
	return req, nil
}

// text1 evaluates a jq program to text: strings as they are, null as "",
// other values as JSON.
func text1(ctx context.Context, q *engine.JQ, in *engine.Input) (string, error) {
	if q == nil {
		return "", nil
	}
	return q.Key(ctx, in.Value, in)
}

func (a *Approval) settle(st ApprovalState) engine.Outcome {
	out := map[string]any{"approval_id": st.ID, "title": st.Title, "decision": st.Status,
		"decided_by": st.DecidedBy, "comment": st.Comment}
	if !st.DecidedAt.IsZero() {
		out["decided_at"] = st.DecidedAt.UTC().Format(time.RFC3339Nano)
	}
	return engine.Outcome{Output: out, Port: st.Status}
}
