-- Tenancy, identity, connections, flows, runs, hooks and the audit log.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active',
    -- Days run payloads and step data are kept (metadata stays).
    payload_retention_days INTEGER NOT NULL DEFAULT 30,
    -- Quotas; 0 means no limit.
    max_flows             INTEGER NOT NULL DEFAULT 0,
    max_runs_per_minute   INTEGER NOT NULL DEFAULT 0,
    max_payload_bytes     INTEGER NOT NULL DEFAULT 0,
    -- Hide run payloads and step data from viewers.
    hide_payloads         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL,
    disabled_at    DATETIME,
    -- A password reset token (its SHA-256) valid until reset_expires_at.
    reset_hash        TEXT,
    reset_expires_at  DATETIME,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    UNIQUE (tenant_id, email)
);
CREATE INDEX users_email_idx ON users (email);
CREATE UNIQUE INDEX users_reset_idx ON users (reset_hash);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id       TEXT REFERENCES users(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    expires_at    DATETIME,
    revoked_at    DATETIME,
    last_used_at  DATETIME,
    created_at    DATETIME NOT NULL
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    config      TEXT NOT NULL DEFAULT '{}',
    secrets     BLOB,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE flows (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    draft_version      INTEGER NOT NULL,
    published_version  INTEGER,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL
);
CREATE INDEX flows_tenant_idx ON flows (tenant_id, name);

CREATE TABLE flow_versions (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id     TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    definition  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    UNIQUE (flow_id, version)
);
CREATE INDEX flow_versions_tenant_idx ON flow_versions (tenant_id, flow_id);

CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id          TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    flow_version_id  TEXT NOT NULL REFERENCES flow_versions(id),
    status           TEXT NOT NULL,
    business_key     TEXT NOT NULL DEFAULT '',
    dedupe_key       TEXT,
    payload          TEXT,
    attempt          INTEGER NOT NULL DEFAULT 0,
    error            TEXT NOT NULL DEFAULT '',
    failed_node      TEXT NOT NULL DEFAULT '',
    job_id           BIGINT,
    replay_of        TEXT,
    replayed_by      TEXT,
    replay           TEXT,
    payload_pruned   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       DATETIME NOT NULL,
    started_at       DATETIME,
    finished_at      DATETIME,
    updated_at       DATETIME NOT NULL
);
CREATE INDEX runs_tenant_created_idx ON runs (tenant_id, created_at DESC);
CREATE INDEX runs_tenant_flow_idx ON runs (tenant_id, flow_id, created_at DESC);
CREATE INDEX runs_tenant_status_idx ON runs (tenant_id, status, created_at DESC);
CREATE INDEX runs_tenant_business_key_idx ON runs (tenant_id, business_key);
CREATE INDEX runs_dead_letter_idx ON runs (tenant_id, status, replayed_by, created_at DESC);
CREATE UNIQUE INDEX runs_dedupe_idx ON runs (tenant_id, flow_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE run_steps (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_key     TEXT NOT NULL,
    node_id      TEXT NOT NULL,
    node_type    TEXT NOT NULL,
    status       TEXT NOT NULL,
    port         TEXT NOT NULL DEFAULT '',
    input        TEXT,
    output       TEXT,
    error        TEXT NOT NULL DEFAULT '',
    attempt      INTEGER NOT NULL DEFAULT 1,
    started_at   DATETIME NOT NULL,
    finished_at  DATETIME NOT NULL,
    until_at     DATETIME
);
CREATE INDEX run_steps_run_idx ON run_steps (run_id, started_at);

CREATE TABLE hooks (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id     TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    node_id     TEXT NOT NULL,
    auth_mode   TEXT NOT NULL,
    header      TEXT NOT NULL DEFAULT '',
    secret      BLOB,
    -- The secret before the last rotation, accepted until previous_expires_at.
    previous_secret      BLOB,
    previous_expires_at  DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (flow_id, node_id)
);
CREATE INDEX hooks_tenant_idx ON hooks (tenant_id);

-- The effect ledger: one row per write a connector operation made (or
-- attempted) on an external system, keyed by its idempotency key.
CREATE TABLE effects (
    id              TEXT PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    connection_id   TEXT NOT NULL,
    operation       TEXT NOT NULL,
    run_id          TEXT NOT NULL,
    step_key        TEXT NOT NULL,
    status          TEXT NOT NULL,
    output          TEXT,
    error           TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX effects_run_idx ON effects (run_id);

-- A published flow with a schedule trigger fires when next_run_at is due.
CREATE TABLE schedules (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    node_id      TEXT NOT NULL,
    next_run_at  DATETIME NOT NULL,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (flow_id, node_id)
);
CREATE INDEX schedules_due_idx ON schedules (next_run_at);

-- A published flow with an event trigger starts when its event is published.
CREATE TABLE event_triggers (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id     TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    node_id     TEXT NOT NULL,
    event       TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    UNIQUE (flow_id, node_id)
);
CREATE INDEX event_triggers_event_idx ON event_triggers (tenant_id, event);

CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_type  TEXT NOT NULL DEFAULT '',
    target_id    TEXT NOT NULL DEFAULT '',
    details      TEXT,
    created_at   DATETIME NOT NULL
);
CREATE INDEX audit_log_tenant_idx ON audit_log (tenant_id, created_at DESC);

-- Field correspondences a tenant accepted; they boost later mapping suggestions.
CREATE TABLE mapping_pairs (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    target_ref   TEXT NOT NULL,
    source_path  TEXT NOT NULL,
    target_path  TEXT NOT NULL,
    count        INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (tenant_id, target_ref, source_path, target_path)
);

-- Accepted payload schemas, optionally bound to a flow for validation.
CREATE TABLE data_schemas (
    id          TEXT PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    flow_id     TEXT REFERENCES flows(id) ON DELETE CASCADE,
    mode        TEXT NOT NULL DEFAULT 'warn',
    document    TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (tenant_id, name)
);
CREATE INDEX data_schemas_flow_idx ON data_schemas (tenant_id, flow_id);

-- Anomalies found in run history; fingerprint makes rescans idempotent.
CREATE TABLE anomalies (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    run_id       TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    field        TEXT NOT NULL DEFAULT '',
    observed     TEXT NOT NULL DEFAULT '',
    expected     TEXT NOT NULL DEFAULT '',
    score        REAL NOT NULL DEFAULT 0,
    message      TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    at           DATETIME NOT NULL,
    created_at   DATETIME NOT NULL,
    UNIQUE (tenant_id, fingerprint)
);
CREATE INDEX anomalies_tenant_at_idx ON anomalies (tenant_id, at DESC);

-- Approval requests of runs waiting at an approval step; one per run step.
CREATE TABLE approvals (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    run_id       TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_key     TEXT NOT NULL,
    node_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    approvers    TEXT NOT NULL,
    status       TEXT NOT NULL,
    on_timeout   TEXT NOT NULL,
    expires_at   DATETIME NOT NULL,
    reminded_at  DATETIME,
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_at   DATETIME,
    comment      TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (tenant_id, run_id, step_key)
);
CREATE INDEX approvals_tenant_status_idx ON approvals (tenant_id, status, created_at DESC);

-- Items a batch step collected, kept until a flush hands them to a batch run.
CREATE TABLE batch_items (
    id           TEXT PRIMARY KEY,
    tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
    node_id      TEXT NOT NULL,
    run_id       TEXT NOT NULL,
    step_key     TEXT NOT NULL,
    item         TEXT,
    batch_size   INTEGER NOT NULL,
    due_at       DATETIME NOT NULL,
    batch_run_id TEXT,
    created_at   DATETIME NOT NULL,
    UNIQUE (tenant_id, run_id, step_key)
);
CREATE INDEX batch_items_open_idx ON batch_items (tenant_id, flow_id, node_id, created_at) WHERE batch_run_id IS NULL;
-- Alert rules a tenant defines, with the state of their last evaluation.
CREATE TABLE alert_rules (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    flow_id           TEXT NOT NULL DEFAULT '',
    threshold         REAL NOT NULL DEFAULT 0,
    window_seconds    INTEGER NOT NULL DEFAULT 0,
    min_runs          INTEGER NOT NULL DEFAULT 0,
    repeat_seconds    INTEGER NOT NULL DEFAULT 0,
    channels          TEXT NOT NULL,
    enabled           BOOLEAN NOT NULL DEFAULT TRUE,
    silenced_until    DATETIME,
    state             TEXT NOT NULL DEFAULT 'ok',
    last_value        REAL NOT NULL DEFAULT 0,
    firing_alert_id   TEXT NOT NULL DEFAULT '',
    last_notified_at  DATETIME,
    evaluated_at      DATETIME,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX alert_rules_tenant_idx ON alert_rules (tenant_id, created_at);

-- One row per firing episode of a rule: opened when it fires, closed when it resolves.
CREATE TABLE alerts (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    rule_id        TEXT NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
    rule_name      TEXT NOT NULL,
    status         TEXT NOT NULL,
    value          REAL NOT NULL DEFAULT 0,
    message        TEXT NOT NULL,
    notifications  INTEGER NOT NULL DEFAULT 0,
    started_at     DATETIME NOT NULL,
    resolved_at    DATETIME
);
CREATE INDEX alerts_tenant_started_idx ON alerts (tenant_id, started_at DESC);
