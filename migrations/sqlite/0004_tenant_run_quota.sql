-- Each tenant's runs-per-minute quota, shared by every process: the
-- theoretical arrival time of its next run (GCRA), in Unix microseconds.
CREATE TABLE tenant_run_quota (
    tenant_id  TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    tat        INTEGER NOT NULL
);
