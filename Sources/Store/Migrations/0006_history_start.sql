-- Tombstones are pruned below a horizon: "what changed since R" can be answered for R at or
-- above history_start only; a reader further behind must read the whole state again.
ALTER TABLE meta ADD COLUMN history_start INTEGER NOT NULL DEFAULT 0;
