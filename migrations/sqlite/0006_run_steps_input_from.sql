-- A step whose input is its parent's recorded output stores the parent's
-- step key instead of the same document again; reads fill the input in.
ALTER TABLE run_steps ADD COLUMN input_from TEXT NOT NULL DEFAULT '';
