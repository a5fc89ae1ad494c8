-- Run history is written far more often than it is read: compress large
-- payloads and step documents with lz4, much cheaper than the default pglz.
-- Existing rows keep their compression; a server built without lz4 keeps
-- pglz.
DO $$
BEGIN
  ALTER TABLE run_steps ALTER COLUMN input SET COMPRESSION lz4, ALTER COLUMN output SET COMPRESSION lz4;
  ALTER TABLE runs ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available: run history keeps pglz compression';
END $$;
