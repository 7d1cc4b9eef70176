-- Whether the controller has the host's agent: set to 0 by the controller when an edge host's agent
-- has been silent too long (its router uplinks move to other edge hosts), back to 1 when it speaks.
-- Stored so that a move has a revision of its own, like any other change hosts act on.
ALTER TABLE hosts ADD COLUMN available INTEGER NOT NULL DEFAULT 1;
