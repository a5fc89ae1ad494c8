-- Per-tenant outbound allow-list: CIDRs, addresses or host names the tenant's
-- flows and connections may reach although they are loopback, private,
-- link-local or metadata addresses (a JSON array of strings).
ALTER TABLE tenants ADD COLUMN outbound_allow JSONB NOT NULL DEFAULT '[]';
