-- Postgres only (lz4 compression of run history); SQLite does not compress.
SELECT 1;
