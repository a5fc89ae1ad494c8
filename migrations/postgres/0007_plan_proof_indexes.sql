-- Lookups by primary key carry a tenant_id condition too. When a prepared
-- statement's generic plan is made while a table is still small (a new
-- install, the first minute after start), Postgres may pick a unique index
-- led by tenant_id over the primary key, and keep that plan as the table
-- grows: every settlement of a ledger entry then walked all of the tenant's
-- entries. Leading with the key that identifies a row leaves the primary key
-- as the only index a lookup by id can use; uniqueness is unchanged.
ALTER TABLE effects DROP CONSTRAINT effects_tenant_id_idempotency_key_key;
ALTER TABLE effects ADD CONSTRAINT effects_idempotency_key_tenant_id_key UNIQUE (idempotency_key, tenant_id);

