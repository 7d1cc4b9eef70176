-- The controllers serving a shared store: each writes its southbound address every second
-- (status, not desired state). Agents learn the live ones, to move to another when theirs goes.
CREATE TABLE controllers (
    address TEXT PRIMARY KEY,
    heard_at DOUBLE PRECISION NOT NULL
);
