package store

import "time"

// Run statuses.
const (
	RunQueued    = "queued"
	RunRunning   = "running"
	RunWaiting   = "waiting" // suspended by a delay until a set time
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
	RunCancelled = "cancelled"
)

// Tenant is one customer of the platform; every other row belongs to one.
type Tenant struct {
	ID     string `json:"id"`
	Slug   string `json:"slug"`
	Name   string `json:"name"`
	Status string `json:"status"`
	Limits
	// PayloadRetentionDays is how long run payloads and step data are kept;
	// run metadata stays.
	PayloadRetentionDays int `json:"payload_retention_days"`
	// HidePayloads hides run payloads and step data from viewers.
	HidePayloads bool `json:"hide_payloads"`
	// OutboundAllow lists the CIDRs, addresses and host names the tenant's
	// flows and connections may reach although the outbound guard blocks
	// them (loopback, private, link-local, metadata); set by the platform admin.
	OutboundAllow StringList `json:"outbound_allow"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Tenant statuses.
const (
	TenantActive    = "active"
	TenantSuspended = "suspended"
)

// Limits are a tenant's quotas; 0 means no limit.
type Limits struct {
	MaxFlows         int `json:"max_flows"`
	MaxRunsPerMinute int `json:"max_runs_per_minute"`
	MaxPayloadBytes  int `json:"max_payload_bytes"`
}

// User is a person who signs in to a tenant.
type User struct {
	ID           string     `json:"id"`
	TenantID     string     `json:"tenant_id"`
	Email        string     `json:"email"`
	PasswordHash string     `json:"-"`
	Role         string     `json:"role"`
	DisabledAt   *time.Time `json:"disabled_at,omitempty"`
	// ResetHash is the SHA-256 of a pending password reset token.
	ResetHash      *string    `json:"-"`
	ResetExpiresAt *time.Time `json:"-"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// APIKey authenticates machines; only a hash of the key is stored.
type APIKey struct {
	ID         string     `json:"id"`
	TenantID   string     `json:"tenant_id"`
	UserID     *string    `json:"user_id,omitempty"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	KeyHash    string     `json:"-"`
	Role       string     `json:"role"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Connection is a configured account on an external system. Secrets holds the
// encrypted credentials and is never serialised.
type Connection struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	Name      string    `json:"name"`
	Type      string    `json:"type"`
	Config    JSON      `json:"config"`
	Secrets   []byte    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Flow is an integration; its definitions live in immutable FlowVersions.
type Flow struct {
	ID               string    `json:"id"`
	TenantID         string    `json:"-"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	DraftVersion     int       `json:"version"`
	PublishedVersion *int      `json:"published_version"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// FlowVersion is one immutable definition of a flow.
type FlowVersion struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"-"`
	FlowID     string    `json:"flow_id"`
	Version    int       `json:"version"`
	Definition JSON      `json:"definition"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Run is one execution of a flow version.
type Run struct {
	ID            string     `json:"id"`
	TenantID      string     `json:"-"`
	FlowID        string     `json:"flow_id"`
	FlowVersionID string     `json:"flow_version_id"`
	Status        string     `json:"status"`
	BusinessKey   string     `json:"business_key"`
	DedupeKey     *string    `json:"dedupe_key,omitempty"`
	Payload       JSON       `json:"payload,omitempty"`
	Attempt       int        `json:"attempt"`
	Error         string     `json:"error,omitempty"`
	FailedNode    string     `json:"failed_node,omitempty"`
	JobID         *int64     `json:"-"`
	ReplayOf      *string    `json:"replay_of,omitempty"`
	ReplayedBy    *string    `json:"replayed_by,omitempty"`
	Replay        JSON       `json:"replay,omitempty"`
	PayloadPruned bool       `json:"payload_pruned,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	StartedAt     *time.Time `json:"started_at,omitempty"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// RunStep records what one node did in one attempt of a run.
type RunStep struct {
	ID       string `json:"id"`
	TenantID string `json:"-"`
	RunID    string `json:"run_id"`
	StepKey  string `json:"step_key"`
	NodeID   string `json:"node_id"`
	NodeType string `json:"node_type"`
	Status   string `json:"status"`
	Port     string `json:"port,omitempty"`
	Input    JSON   `json:"input,omitempty"`
	Output   JSON   `json:"output,omitempty"`
	// InputFrom names the step whose output Input is; stored instead of
	// Input, which RunSteps fills in (see engine.StepRecord.InputFrom).
	InputFrom  string     `json:"input_from,omitempty"`
	Error      string     `json:"error,omitempty"`
	Attempt    int        `json:"attempt"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at"`
	UntilAt    *time.Time `json:"until,omitempty"`
}

// Hook is an inbound webhook endpoint bound to a flow's trigger node.
type Hook struct {
	ID       string `json:"id"`
	TenantID string `json:"-"`
	FlowID   string `json:"flow_id"`
	NodeID   string `json:"node_id"`
	AuthMode string `json:"auth_mode"`
	Header   string `json:"header,omitempty"`
	Secret   []byte `json:"-"`
	// PreviousSecret is the sealed secret before the last rotation, still
	// accepted until PreviousExpiresAt.
	PreviousSecret    []byte     `json:"-"`
	PreviousExpiresAt *time.Time `json:"-"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Effect statuses in the ledger.
const (
	EffectPending   = "pending"   // the write is being sent
	EffectSucceeded = "succeeded" // the target confirmed it
	EffectUnknown   = "unknown"   // sent, but the answer was lost (timeout, crash)
)

// Effect is one write on an external system in the effect ledger, keyed by
// its idempotency key: a write recorded as succeeded is never sent again.
type Effect struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"-"`
	IdempotencyKey string    `json:"idempotency_key"`
	ConnectionID   string    `json:"connection_id"`
	Operation      string    `json:"operation"`
	RunID          string    `json:"run_id"`
	StepKey        string    `json:"step_key"`
	Status         string    `json:"status"`
	Output         JSON      `json:"output,omitempty"`
	Error          string    `json:"error,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Schedule fires a published flow's schedule trigger when NextRunAt is due.
type Schedule struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	FlowID    string    `json:"flow_id"`
	NodeID    string    `json:"node_id"`
	NextRunAt time.Time `json:"next_run_at"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// EventTrigger starts a published flow when its named event is published.
type EventTrigger struct {
	ID        string    `json:"id"`
	TenantID  string    `json:"-"`
	FlowID    string    `json:"flow_id"`
	NodeID    string    `json:"node_id"`
	Event     string    `json:"event"`
	CreatedAt time.Time `json:"created_at"`
}

// AuditEntry records who did what in a tenant.
type AuditEntry struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"-"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	TargetType string    `json:"target_type"`
	TargetID   string    `json:"target_id"`
	Details    JSON      `json:"details,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// TableName maps AuditEntry to the audit_log table.
func (AuditEntry) TableName() string { return "audit_log" }
