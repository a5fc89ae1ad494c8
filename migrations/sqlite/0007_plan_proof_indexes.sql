-- Postgres only (index column order for prepared plans); SQLite plans each statement from its own statistics.
SELECT 1;
