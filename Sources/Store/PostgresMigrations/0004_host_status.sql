-- What the controller holding each host's session last knew of it: whether the session is open,
-- the revision the agent acked, and what it could not realize (a JSON array of {object,
-- message}). Status shared by controllers on one store, not desired state: any controller
-- answers for any host (`?wait=realized`, host status) wherever the agent is connected.
CREATE TABLE host_status (
    host TEXT PRIMARY KEY,
    controller TEXT NOT NULL,
    connected INTEGER NOT NULL,
    acked_revision BIGINT NOT NULL,
    errors TEXT NOT NULL,
    routing_domain TEXT
);
