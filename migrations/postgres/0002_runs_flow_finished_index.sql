-- The flows list counts each flow's runs that finished in a recent window
-- (GET /api/v1/flows: finished_24h, failed_24h); this index answers that per
-- flow with a range on finished_at, and holds status so the count reads only
-- the index.
CREATE INDEX runs_tenant_flow_finished_idx ON runs (tenant_id, flow_id, finished_at, status);
